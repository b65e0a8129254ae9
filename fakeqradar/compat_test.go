package fakeqradar_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The vendor-note compatibility surface (DESIGN §1): paths and shapes the
// vendor note uses that IBM's reference does not document. They share the
// store with the documented surface.

// jsonInt reads a JSON number decoded into an any as an int64.
func jsonInt(t testing.TB, v any) int64 {
	t.Helper()
	f, isNum := v.(float64)
	require.True(t, isNum, "not a JSON number: %#v", v)
	return int64(f)
}

// withT is c reporting to t, for subtests: a subtest must not fail its
// parent from its own goroutine.
func (c *console) withT(t testing.TB) *console { return &console{t: t, ts: c.ts} }

// compatUser is a create body for POST /config/access/users with the vendor
// note's nested role and profile references.
func compatUser(name string, roleID, profileID int) map[string]any {
	return map[string]any{
		"username": name, "email": name + "@example.com", "password": "Str0ng-Passw0rd",
		"user_role": map[string]any{"id": roleID}, "security_profile": map[string]any{"id": profileID},
	}
}

func TestCompatRolesMirrorUserRoles(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	for _, tc := range []struct{ compat, documented string }{
		{"/config/access/roles", "/config/access/user_roles"},
		{"/config/access/roles/1", "/config/access/user_roles/1"},
		{"/config/access/roles/2", "/config/access/user_roles/2"},
		{"/config/access/roles/3", "/config/access/user_roles/3"},
	} {
		t.Run(tc.compat, func(t *testing.T) {
			c := c.withT(t)
			got := c.get(tc.compat).is(200)
			want := c.get(tc.documented).is(200)
			assert.JSONEq(t, string(want.Raw), string(got.Raw))
			assert.Equal(t, want.Header.Get("Content-Range"), got.Header.Get("Content-Range"))
		})
	}
	roles := c.get("/config/access/roles").is(200).list()
	require.Len(t, roles, 3)
	assert.Equal(t, "items 0-2/3", c.get("/config/access/roles").Header.Get("Content-Range"))
	assert.Equal(t, []any{"Admin", "Analyst", "Reader"}, []any{roles[0]["name"], roles[1]["name"], roles[2]["name"]})

	c.get("/config/access/roles/99").fails(404, 38341001, "does not exist")
	c.get("/config/access/roles/abc").fails(422, 11, `"id"`)
	c.post("/config/access/roles", map[string]any{"name": "x"}).fails(405, 1010, "")
}

func TestCompatCreateUserDeploysAtOnce(t *testing.T) {
	t.Parallel()
	c := newConsole(t)

	r := c.post("/config/access/users", compatUser("alice", 2, 2)).is(201)
	u := r.obj()
	id := jsonInt(t, u["id"])
	assert.Equal(t, fmt.Sprintf("/api/config/access/users/%d", id), r.Header.Get("Location"))
	assert.Equal(t, "alice", u["username"])
	assert.Equal(t, map[string]any{"id": 2.0, "name": "Analyst"}, u["user_role"])
	assert.Equal(t, map[string]any{"id": 2.0, "name": "SOC Team"}, u["security_profile"])
	assert.EqualValues(t, 2, u["user_role_id"])
	assert.EqualValues(t, 2, u["security_profile_id"])
	assert.Nil(t, u["password"])
	assert.Contains(t, u, "password")

	// Visible on both surfaces without a deploy.
	for _, p := range []string{"/config/access/users/%d", "/staged_config/access/users/%d"} {
		got := c.get(fmt.Sprintf(p, id)).is(200).obj()
		assert.Equal(t, "alice", got["username"], p)
		assert.EqualValues(t, 2, got["user_role_id"], p)
		assert.EqualValues(t, 2, got["security_profile_id"], p)
	}
	// Nothing is left staged: the user was deployed with its creation.
	c.post("/staged_config/deploy_status", nil).fails(409, 1004, "No changes")

	// The new user can sign in with Basic at once.
	me := c.get("/config/access/users", "SEC", "", "Authorization", basic("alice", "Str0ng-Passw0rd")).is(200).list()
	require.Len(t, me, 1)
	assert.EqualValues(t, id, me[0]["id"])

	// Flat ids are accepted as well.
	flat := newUser("flat")
	r = c.post("/config/access/users", flat).is(201)
	assert.EqualValues(t, 2, r.obj()["user_role_id"])
	c.get(fmt.Sprintf("/config/access/users/%d", jsonInt(t, r.obj()["id"]))).is(200)
}

func TestCompatCreateUserRejects(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	with := func(name string, edit func(map[string]any)) map[string]any {
		b := compatUser(name, 2, 1)
		edit(b)
		return b
	}
	for _, tc := range []struct {
		name   string
		body   any
		status int
		code   int
		msg    string
	}{
		{"role name object", with("x1", func(b map[string]any) { b["user_role"] = map[string]any{"name": "Analyst"} }), 422, 1005, "user_role"},
		{"profile name object", with("x2", func(b map[string]any) { b["security_profile"] = map[string]any{"name": "Default"} }), 422, 1005, "security_profile"},
		{"role name string", with("x3", func(b map[string]any) { b["user_role"] = "Analyst" }), 422, 1005, "user_role"},
		{"profile name string", with("x4", func(b map[string]any) { b["security_profile"] = "Default" }), 422, 1005, "security_profile"},
		{"role id as string", with("x5", func(b map[string]any) { b["user_role"] = map[string]any{"id": "2"} }), 422, 1005, "user_role"},
		{"role id unknown", with("x6", func(b map[string]any) { b["user_role"] = map[string]any{"id": 99} }), 422, 38302003, "user_role_id"},
		{"profile id unknown", with("x7", func(b map[string]any) { b["security_profile"] = map[string]any{"id": 99} }), 422, 38302007, "security_profile_id"},
		{"role missing", with("x8", func(b map[string]any) { delete(b, "user_role") }), 422, 38302021, "user_role_id"},
		{"admin role without Admin profile", with("x9", func(b map[string]any) { b["user_role"] = map[string]any{"id": 1} }), 422, 38302024, "Admin"},
		{"duplicate username", compatUser("jdoe", 2, 1), 409, 38302002, "already in use"},
		{"username of an authorized service", compatUser("fakeqradar-admin", 2, 1), 409, 38302002, "already in use"},
		{"empty body", "", 422, 10, "must be populated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c.withT(t)
			c.post("/config/access/users", tc.body).fails(tc.status, tc.code, tc.msg)
		})
	}
	// None of them created anything.
	users := c.get("/staged_config/access/users").is(200).list()
	names := map[any]bool{}
	for _, u := range users {
		names[u["username"]] = true
	}
	assert.Equal(t, map[any]bool{"admin": true, "jdoe": true}, names)

	// Admin only.
	c.post("/config/access/users", compatUser("y1", 2, 1), "SEC", "", "Authorization", basic("jdoe", "Jdoe-Passw0rd!")).fails(403, 26, "insufficient capabilities")
}

func TestCompatUpdateUserAppliesRoleAtOnce(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	id := c.createDeployed("bob")
	path := fmt.Sprintf("/config/access/users/%d", id)
	staged := fmt.Sprintf("/staged_config/access/users/%d", id)

	r := c.post(path, map[string]any{"user_role": map[string]any{"id": 3}}).is(200).obj()
	assert.EqualValues(t, 3, r["user_role_id"])
	assert.Equal(t, map[string]any{"id": 3.0, "name": "Reader"}, r["user_role"])
	assert.EqualValues(t, 3, c.get(path).is(200).obj()["user_role_id"], "deployed without a deploy")
	assert.EqualValues(t, 3, c.get(staged).is(200).obj()["user_role_id"])
	c.post("/staged_config/deploy_status", nil).fails(409, 1004, "No changes")

	r = c.post(path, map[string]any{"security_profile": map[string]any{"id": 2}}).is(200).obj()
	assert.EqualValues(t, 2, r["security_profile_id"])
	assert.EqualValues(t, 2, c.get(path).obj()["security_profile_id"])

	// A flat user_role_id is ignored on this endpoint (reference §7.4).
	r = c.post(path, map[string]any{"user_role_id": 2, "security_profile_id": 1, "email": "bob2@example.com"}).is(200).obj()
	assert.EqualValues(t, 3, r["user_role_id"])
	assert.EqualValues(t, 2, r["security_profile_id"])
	assert.Equal(t, "bob2@example.com", r["email"])
	got := c.get(path).obj()
	assert.EqualValues(t, 3, got["user_role_id"])
	assert.EqualValues(t, 2, got["security_profile_id"])
	assert.EqualValues(t, 3, c.get(staged).obj()["user_role_id"])

	for _, tc := range []struct {
		name   string
		path   string
		body   any
		hdr    []string
		status int
		code   int
		msg    string
	}{
		{"role by name", path, map[string]any{"user_role": map[string]any{"name": "Analyst"}}, nil, 422, 1005, "user_role"},
		{"role as string", path, map[string]any{"user_role": "Analyst"}, nil, 422, 1005, "user_role"},
		{"unknown role", path, map[string]any{"user_role": map[string]any{"id": 99}}, nil, 422, 38303003, "user_role_id"},
		{"null role id", path, map[string]any{"user_role": map[string]any{"id": nil}}, nil, 422, 38303003, "user_role"},
		{"default admin", "/config/access/users/1", map[string]any{"user_role": map[string]any{"id": 2}}, nil, 403, 38316002, "default admin"},
		{"own role", "/config/access/users/1001", map[string]any{"user_role": map[string]any{"id": 3}}, []string{"SEC", "", "Authorization", basic("jdoe", "Jdoe-Passw0rd!")}, 403, 26, ""},
		{"unknown user", "/config/access/users/424242", map[string]any{"user_role": map[string]any{"id": 3}}, nil, 404, 38311001, "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c.withT(t)
			c.post(tc.path, tc.body, tc.hdr...).fails(tc.status, tc.code, tc.msg)
		})
	}
	assert.EqualValues(t, 3, c.get(path).obj()["user_role_id"], "failed updates change nothing")
	assert.EqualValues(t, 2, c.get("/config/access/users/1001").obj()["user_role_id"])
}

func TestCompatDeleteUserTask(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	id := c.createDeployed("carol")
	user := fmt.Sprintf("/config/access/users/%d", id)
	created := c.ts.Now().UnixMilli()

	r := c.del(user).is(202)
	task := r.obj()
	tid := jsonInt(t, task["id"])
	assert.Equal(t, task["id"], task["task_id"], "id and task_id are the same")
	assert.Equal(t, fmt.Sprintf("/api/config/access/users/delete_tasks/%d", tid), r.Header.Get("Location"))
	assert.Equal(t, "QUEUED", task["status"])
	assert.EqualValues(t, created, task["created"])
	assert.Nil(t, task["started"])
	assert.Nil(t, task["completed"])
	for _, k := range []string{"id", "name", "message", "status", "created_by", "created", "started", "modified", "completed", "task_id"} {
		assert.Contains(t, task, k)
	}

	// A second DELETE while the task runs returns the same task.
	assert.EqualValues(t, tid, c.del(user).is(202).obj()["task_id"])

	compat := r.Header.Get("Location")
	documented := fmt.Sprintf("/staged_config/access/user_delete_tasks/%d", tid)
	steps := []struct {
		advance   time.Duration
		status    string
		started   bool
		completed bool
		userThere bool
	}{
		{0, "QUEUED", false, false, true},
		{999 * time.Millisecond, "QUEUED", false, false, true},
		{time.Millisecond, "PROCESSING", true, false, true},
		{3999 * time.Millisecond, "PROCESSING", true, false, true},
		{time.Millisecond, "COMPLETED", true, true, false},
		{time.Hour, "COMPLETED", true, true, false},
	}
	var elapsed time.Duration
	for _, st := range steps {
		c.advance(st.advance)
		elapsed += st.advance
		name := fmt.Sprintf("after %v", elapsed)
		got := c.get(compat).is(200).obj()
		assert.Equal(t, st.status, got["status"], name)
		assert.EqualValues(t, tid, got["task_id"], name)
		assert.EqualValues(t, tid, got["id"], name)
		assert.Equal(t, st.started, got["started"] != nil, name)
		assert.Equal(t, st.completed, got["completed"] != nil, name)
		if st.started {
			assert.EqualValues(t, created+1000, got["started"], name)
		}
		if st.completed {
			assert.EqualValues(t, created+5000, got["completed"], name)
		}

		doc := c.get(documented).is(200).obj()
		assert.Equal(t, st.status, doc["status"], name)
		assert.EqualValues(t, tid, doc["id"], name)
		assert.NotContains(t, doc, "task_id", "the documented path has no task_id")

		if st.userThere {
			c.get(user).is(200)
			c.get(fmt.Sprintf("/staged_config/access/users/%d", id)).is(200)
		} else {
			c.get(user).fails(404, 38310001, "does not exist")
			c.get(fmt.Sprintf("/staged_config/access/users/%d", id)).fails(404, 38301001, "does not exist")
		}
	}

	for _, tc := range []struct {
		name   string
		method string
		path   string
		hdr    map[string]string
		status int
		code   int
	}{
		{"delete unknown user", "DELETE", "/config/access/users/424242", nil, 404, 1002},
		{"delete default admin", "DELETE", "/config/access/users/1", nil, 403, 38316002},
		{"delete with a non-integer id", "DELETE", "/config/access/users/abc", nil, 422, 11},
		{"delete as non-admin", "DELETE", "/config/access/users/1001", map[string]string{"SEC": "", "Authorization": basic("jdoe", "Jdoe-Passw0rd!")}, 403, 26},
		{"poll unknown task", "GET", "/config/access/users/delete_tasks/424242", nil, 404, 1002},
		{"poll unknown task, documented path", "GET", "/staged_config/access/user_delete_tasks/424242", nil, 404, 1002},
		{"poll as non-admin", "GET", compat, map[string]string{"SEC": "", "Authorization": basic("jdoe", "Jdoe-Passw0rd!")}, 403, 26},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c.withT(t)
			c.do(req{method: tc.method, path: tc.path, header: tc.hdr}).fails(tc.status, tc.code, "")
		})
	}
	c.get("/config/access/users/1001").is(200)
}
