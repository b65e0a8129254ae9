package fakeqradar_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// serviceBody is a create body for POST /config/access/authorized_services.
func serviceBody(label string, roleID, profileID int) map[string]any {
	return map[string]any{"label": label, "user_role_id": roleID, "security_profile_id": profileID}
}

// createAuthorizedService creates an authorized service and returns its id and token.
func (c *console) createAuthorizedService(body map[string]any) (int64, string) {
	c.t.Helper()
	r := c.post("/config/access/authorized_services", body).is(201)
	o := r.obj()
	token, isStr := o["token"].(string)
	require.True(c.t, isStr, "token missing from the create response: %s", r.Raw)
	return jsonInt(c.t, o["id"]), token
}

// getAs sends a GET with a SEC token other than the admin's.
func (c *console) getAs(token, path string) *res {
	c.t.Helper()
	return c.get(path, "SEC", token)
}

func TestAuthorizedServiceCreate(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	r := c.post("/config/access/authorized_services", serviceBody("connector-ci", 2, 1)).is(201)
	o := r.obj()
	id := jsonInt(t, o["id"])
	assert.Equal(t, fmt.Sprintf("/api/config/access/authorized_services/%d", id), r.Header.Get("Location"))
	token, _ := o["token"].(string)
	assert.Regexp(t, uuidPattern, token)
	assert.NotEqual(t, c.ts.Token(), token)
	assert.Equal(t, "connector-ci", o["label"])
	assert.EqualValues(t, 2, o["user_role_id"])
	assert.EqualValues(t, 1, o["security_profile_id"])
	assert.EqualValues(t, start.UnixMilli(), o["creation_date"])
	assert.Equal(t, "fakeqradar-admin", o["created_by"])
	for _, k := range []string{"id", "label", "token", "created_by", "tenant_id", "security_profile_id", "user_role_id", "creation_date", "expiration_date", "last_used_date"} {
		assert.Contains(t, o, k)
	}
	assert.Nil(t, o["expiration_date"])
	assert.Nil(t, o["tenant_id"])

	// The token is never shown again.
	one := c.get(fmt.Sprintf("/config/access/authorized_services/%d", id)).is(200).obj()
	assert.Contains(t, one, "token")
	assert.Nil(t, one["token"])
	assert.Equal(t, "connector-ci", one["label"])
	all := c.get("/config/access/authorized_services").is(200).list()
	require.Len(t, all, 2)
	for _, s := range all {
		assert.Contains(t, s, "token")
		assert.Nil(t, s["token"], "label %v", s["label"])
	}
	assert.Equal(t, "items 0-1/2", c.get("/config/access/authorized_services").Header.Get("Content-Range"))

	// The new token authenticates with its role's rights.
	for _, tc := range []struct {
		path   string
		status int
		code   int
	}{
		{"/config/access/user_roles", 200, 0},
		{"/config/access/security_profiles", 200, 0},
		{"/staged_config/access/users", 403, 26},
		{"/config/access/user_roles/2", 403, 26},
		{"/config/access/authorized_services", 403, 26},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c := c.withT(t)
			r := c.getAs(token, tc.path)
			if tc.status == 200 {
				r.is(200)
				return
			}
			r.fails(tc.status, tc.code, "insufficient capabilities")
		})
	}
	// An authorized service is not a user: it sees no deployed users.
	assert.Empty(t, c.getAs(token, "/config/access/users").is(200).list())
	assert.Len(t, c.getAs(token, "/config/access/user_roles?current_user_role=true").is(200).list(), 1)

	// An Admin-role service gets admin rights.
	_, adminToken := c.createAuthorizedService(serviceBody("connector-admin", 1, 3))
	c.getAs(adminToken, "/staged_config/access/users").is(200)
	c.getAs(adminToken, "/config/access/authorized_services").is(200)
}

func TestAuthorizedServiceCreateRejects(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.createAuthorizedService(serviceBody("existing", 3, 1))
	past := start.Add(-time.Hour).UnixMilli()
	for _, tc := range []struct {
		name   string
		body   any
		status int
		code   int
		msg    string
	}{
		{"duplicate label", serviceBody("existing", 2, 1), 422, 95103008, "must be unique"},
		{"label of the admin service", serviceBody("fakeqradar-admin", 2, 1), 422, 95103008, "must be unique"},
		{"label equal to a username", serviceBody("jdoe", 2, 1), 422, 95103008, "must be unique for all authorized services and usernames"},
		{"label equal to the admin username", serviceBody("admin", 1, 3), 422, 95103008, "must be unique"},
		{"missing label", map[string]any{"user_role_id": 2, "security_profile_id": 1}, 422, 95103001, "label"},
		{"blank label", serviceBody("  ", 2, 1), 422, 95103001, "label"},
		{"label not a string", map[string]any{"label": 7, "user_role_id": 2, "security_profile_id": 1}, 422, 1005, "label"},
		{"missing role", map[string]any{"label": "x", "security_profile_id": 1}, 422, 95103003, "user_role_id"},
		{"unknown role", serviceBody("x", 99, 1), 422, 95103004, "user_role_id"},
		{"role name instead of id", map[string]any{"label": "x", "user_role_id": "Analyst", "security_profile_id": 1}, 422, 1005, "user_role_id"},
		{"missing profile", map[string]any{"label": "x", "user_role_id": 2}, 422, 95103005, "security_profile_id"},
		{"unknown profile", serviceBody("x", 2, 99), 422, 95103006, "security_profile_id"},
		{"profile name instead of id", map[string]any{"label": "x", "user_role_id": 2, "security_profile_id": "Default"}, 422, 1005, "security_profile_id"},
		{"unknown tenant", map[string]any{"label": "x", "user_role_id": 2, "security_profile_id": 1, "tenant_id": 5}, 422, 95103007, "tenant_id"},
		{"expiration in the past", map[string]any{"label": "x", "user_role_id": 2, "security_profile_id": 1, "expiration_date": past}, 422, 95103009, "expiration_date"},
		{"expiration now", map[string]any{"label": "x", "user_role_id": 2, "security_profile_id": 1, "expiration_date": start.UnixMilli()}, 422, 95103009, "expiration_date"},
		{"empty body", "", 422, 10, "must be populated"},
		{"not an object", "[]", 422, 11, "expected a JSON object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c.withT(t)
			c.post("/config/access/authorized_services", tc.body).fails(tc.status, tc.code, tc.msg)
		})
	}
	assert.Len(t, c.get("/config/access/authorized_services").is(200).list(), 2, "no failed create left a service behind")

	// Labels and usernames share one namespace, from the user side too.
	c.post("/staged_config/access/users", newUser("existing")).fails(409, 38302002, "authorized service name")
	c.post("/config/access/users", newUser("existing")).fails(409, 38302002, "authorized service name")

	// Only administrators create services.
	c.post("/config/access/authorized_services", serviceBody("y", 2, 1), "SEC", "", "Authorization", basic("jdoe", "Jdoe-Passw0rd!")).
		fails(403, 26, "insufficient capabilities")
}

func TestAuthorizedServiceDelete(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	id, token := c.createAuthorizedService(serviceBody("short-lived", 2, 1))
	c.getAs(token, "/config/access/user_roles").is(200)

	path := fmt.Sprintf("/config/access/authorized_services/%d", id)
	r := c.del(path).is(200)
	assert.True(t, strings.HasPrefix(r.Header.Get("Content-Type"), "application/json"), "Content-Type %q", r.Header.Get("Content-Type"))
	o := r.obj()
	assert.EqualValues(t, id, o["id"])
	assert.Equal(t, "short-lived", o["label"])
	assert.Nil(t, o["token"])

	// Revoked at once.
	c.getAs(token, "/config/access/user_roles").fails(401, 18, "No SEC header")
	c.get(path).fails(404, 1002, "does not exist")
	c.del(path).fails(404, 95105001, "does not exist")
	assert.Len(t, c.get("/config/access/authorized_services").is(200).list(), 1)

	// The label is free again.
	c.createAuthorizedService(serviceBody("short-lived", 2, 1))

	for _, tc := range []struct {
		name   string
		path   string
		hdr    []string
		status int
		code   int
	}{
		{"unknown id", "/config/access/authorized_services/424242", nil, 404, 95105001},
		{"non-integer id", "/config/access/authorized_services/abc", nil, 422, 11},
		{"non-admin", "/config/access/authorized_services/1", []string{"SEC", "", "Authorization", basic("jdoe", "Jdoe-Passw0rd!")}, 403, 26},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c.withT(t)
			c.del(tc.path, tc.hdr...).fails(tc.status, tc.code, "")
		})
	}
}

func TestAuthorizedServiceCannotDeleteItself(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	id, token := c.createAuthorizedService(serviceBody("self-deleter", 1, 3))
	path := fmt.Sprintf("/config/access/authorized_services/%d", id)
	c.del(path, "SEC", token).fails(403, 95105002, "cannot delete themselves")
	c.get(path).is(200)
	c.getAs(token, "/config/access/user_roles").is(200)

	// The fixture admin service cannot delete itself either.
	c.del("/config/access/authorized_services/1").fails(403, 95105002, "cannot delete themselves")

	// Another admin service may delete it.
	other, _ := c.createAuthorizedService(serviceBody("other-admin", 1, 3))
	c.del(path).is(200)
	c.getAs(token, "/config/access/user_roles").fails(401, 18, "")
	c.get(fmt.Sprintf("/config/access/authorized_services/%d", other)).is(200)
}

func TestAuthorizedServiceSurvivesUserDelete(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	_, token := c.createAuthorizedService(serviceBody("jdoe-connector", 2, 1))

	task := c.del("/staged_config/access/users/1001").is(202)
	loc := task.Header.Get("Location")
	for i := 0; i < 10 && c.get(loc).is(200).obj()["status"] != "COMPLETED"; i++ {
		c.advance(time.Second)
	}
	require.Equal(t, "COMPLETED", c.get(loc).obj()["status"])
	c.get("/config/access/users/1001").fails(404, 38310001, "")
	c.get("/config/access/users", "SEC", "", "Authorization", basic("jdoe", "Jdoe-Passw0rd!")).fails(401, 18, "")

	c.getAs(token, "/config/access/user_roles").is(200)
	c.getAs(token, "/config/access/security_profiles").is(200)
}

func TestAuthorizedServiceExpiry(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	expires := start.Add(time.Hour).UnixMilli()
	body := serviceBody("expiring", 2, 1)
	body["expiration_date"] = expires
	r := c.post("/config/access/authorized_services", body).is(201).obj()
	assert.EqualValues(t, expires, r["expiration_date"])
	token := r["token"].(string)
	id := jsonInt(t, r["id"])
	assert.EqualValues(t, expires, c.get(fmt.Sprintf("/config/access/authorized_services/%d", id)).is(200).obj()["expiration_date"])

	c.getAs(token, "/config/access/user_roles").is(200)
	c.advance(59 * time.Minute)
	c.getAs(token, "/config/access/user_roles").is(200)
	c.advance(time.Minute)
	c.getAs(token, "/config/access/user_roles").fails(401, 18, "")
	c.advance(time.Hour)
	c.getAs(token, "/config/access/user_roles").fails(401, 18, "")
	// The admin token does not expire with it.
	c.get("/config/access/user_roles").is(200)
}

// last_used_date follows the use of the token, to the minute.
func TestAuthorizedServiceLastUsed(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	svc := c.post("/config/access/authorized_services", map[string]any{"label": "lu", "user_role_id": 2, "security_profile_id": 1}).is(201).obj()
	path := fmt.Sprintf("/config/access/authorized_services/%v", svc["id"])
	assert.Nil(t, c.get(path).obj()["last_used_date"], "never used")
	use := func() {
		c.do(req{method: "GET", path: "/config/access/user_roles", noAuth: true, header: map[string]string{"SEC": svc["token"].(string)}}).is(200)
	}
	use()
	assert.Equal(t, float64(start.UnixMilli()), c.get(path).obj()["last_used_date"])
	c.advance(30 * time.Second)
	use()
	assert.Equal(t, float64(start.UnixMilli()), c.get(path).obj()["last_used_date"], "within the minute: not rewritten")
	c.advance(31 * time.Second)
	use()
	assert.Equal(t, float64(start.Add(61*time.Second).UnixMilli()), c.get(path).obj()["last_used_date"])
}
