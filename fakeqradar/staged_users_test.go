package fakeqradar_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStagedCreate(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	body := newUser("jsmith")
	body["description"] = "SOC analyst"
	body["locale_id"] = "en_US"
	body["inactivity_timeout"] = 0
	body["ignored_field"] = "whatever"
	r := c.post("/staged_config/access/users", body).is(201)
	u := r.obj()
	id := int64(u["id"].(float64))
	assert.Equal(t, fmt.Sprintf("/api/staged_config/access/users/%d", id), r.Header.Get("Location"))
	assert.Greater(t, id, int64(1001), "ids continue after the fixtures")
	assert.Equal(t, "jsmith", u["username"])
	assert.Nil(t, u["password"])
	assert.Nil(t, u["tenant_id"])
	assert.Equal(t, "SOC analyst", u["description"])
	c.get(r.Header.Get("Location")).is(200)

	// Not deployed yet: absent from /config/access/users.
	c.get(fmt.Sprintf("/config/access/users/%d", id)).fails(404, 38310001, "")
	assert.Len(t, c.get("/config/access/users").list(), 2)
	assert.Len(t, c.get("/staged_config/access/users").list(), 3)

	d := c.post("/staged_config/deploy_status", map[string]any{"type": "INCREMENTAL"}).is(200).obj()
	assert.Equal(t, "INITIALIZING", d["status"])
	c.get(fmt.Sprintf("/config/access/users/%d", id)).fails(404, 38310001, "") // deploy still running
	c.advance(500 * time.Millisecond)
	st := c.get("/staged_config/deploy_status").is(200).obj()
	assert.Equal(t, "IN_PROGRESS", st["status"])
	assert.Equal(t, float64(50), st["percent_complete"])
	c.post("/staged_config/deploy_status", nil).fails(409, 1004, "A deploy is already in action.")
	c.advance(500 * time.Millisecond)
	st = c.get("/staged_config/deploy_status").is(200).obj()
	assert.Equal(t, "COMPLETE", st["status"])
	assert.Equal(t, float64(100), st["percent_complete"])
	dep := c.get(fmt.Sprintf("/config/access/users/%d", id)).is(200).obj()
	assert.Equal(t, "SOC analyst", dep["description"])
	c.post("/staged_config/deploy_status", nil).fails(409, 1004, "No changes to deploy")
}

func TestStagedCreateValidation(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.post("/config/access/authorized_services", map[string]any{"label": "svc-label", "user_role_id": 2, "security_profile_id": 1}).is(201)
	with := func(k string, v any) map[string]any {
		b := newUser("valid")
		if v == "<absent>" {
			delete(b, k)
		} else {
			b[k] = v
		}
		return b
	}
	cases := []struct {
		name   string
		body   any
		status int
		code   int
		msg    string
	}{
		{"username missing", with("username", "<absent>"), 422, 38302020, "username"},
		{"username null", with("username", nil), 422, 38302020, "username"},
		{"username empty", with("username", ""), 422, 38302001, "username must be between 1 and 60 characters inclusive in length."},
		{"username 61 chars", with("username", strings.Repeat("u", 61)), 422, 38302001, "between 1 and 60"},
		{"username leading space", with("username", " bob"), 422, 38302023, "leading or trailing spaces"},
		{"username tab", with("username", "bo\tb"), 422, 38302023, ""},
		{"username slash", with("username", "a/b"), 422, 38302023, ""},
		{"username backslash", with("username", `a\b`), 422, 38302023, ""},
		{"username quote", with("username", `a"b`), 422, 38302023, ""},
		{"username apostrophe", with("username", "o'neil"), 422, 38302023, ""},
		{"username number", with("username", 42), 422, 1005, "username must be a string"},
		{"role missing", with("user_role_id", "<absent>"), 422, 38302021, "user_role_id"},
		{"role null", with("user_role_id", nil), 422, 38302021, "user_role_id"},
		{"profile missing", with("security_profile_id", "<absent>"), 422, 38302022, "security_profile_id"},
		{"unknown role", with("user_role_id", 99), 422, 38302003, "No user role found for the provided user_role_id."},
		{"unknown profile", with("security_profile_id", 99), 422, 38302007, "No security profile found for the provided security_profile_id."},
		{"role name instead of id", with("user_role_id", "Analyst"), 422, 1005, `user_role_id must be`},
		{"profile name instead of id", with("security_profile_id", "Default"), 422, 1005, `security_profile_id must be`},
		{"role as object", with("user_role_id", map[string]any{"id": 2}), 422, 1005, "user_role_id"},
		{"role as decimal", with("user_role_id", 2.5), 422, 1005, "user_role_id"},
		{"role as bool", with("user_role_id", true), 422, 1005, "user_role_id"},
		{"email missing", with("email", "<absent>"), 422, 38302012, "email"},
		{"email too long", with("email", strings.Repeat("e", 250)+"@x.com"), 422, 38302013, "255"},
		{"email two @", with("email", "a@b@c"), 422, 38302014, "email field must contain exactly one @ symbol, with at least one character before and after the @ symbol, and no whitespace characters."},
		{"email nothing before @", with("email", "@b.c"), 422, 38302014, ""},
		{"email nothing after @", with("email", "a@"), 422, 38302014, ""},
		{"tenant unknown", with("tenant_id", 5), 422, 38302005, "No tenant found"},
		{"description too long", with("description", strings.Repeat("d", 2049)), 422, 38302011, "2048"},
		{"bad locale", with("locale_id", "tlh"), 422, 38302015, "locale_id is not a valid locale."},
		{"password missing", with("password", "<absent>"), 422, 38302016, "password"},
		{"password too short", with("password", "abc"), 422, 38302019, "password does not adhere to the password policy."},
		{"admin role needs Admin profile", with("user_role_id", 1), 422, 38302024, `"Admin" security profile`},
		{"duplicate username", with("username", "jdoe"), 409, 38302002, "username already in use as a username on another user or as an authorized service name."},
		{"username used as a service label", with("username", "svc-label"), 409, 38302002, "authorized service"},
		{"no body", "", 422, 10, `Request body must be populated for body parameter "data"`},
		{"malformed JSON", `{"username": "x",`, 422, 11, "malformed JSON"},
		{"JSON array", `[{"username":"x"}]`, 422, 11, "expected a JSON object, got an array"},
		{"JSON number", `42`, 422, 11, "expected a JSON object"},
		{"invalid UTF-8", "{\"username\":\"\xff\xfe\"}", 422, 11, "UTF-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := c.sub(t)
			before := len(c.get("/staged_config/access/users").list())
			c.post("/staged_config/access/users", tc.body).fails(tc.status, tc.code, tc.msg)
			assert.Len(t, c.get("/staged_config/access/users").list(), before, "a refused create adds nothing")
		})
	}
	t.Run("wrong Content-Type", func(t *testing.T) {
		c := c.sub(t)
		c.post("/staged_config/access/users", newUser("ct1"), "Content-Type", "application/xml").fails(415, 1014, "application/xml")
	})
	t.Run("admin with Admin profile is fine", func(t *testing.T) {
		c := c.sub(t)
		b := newUser("admin2")
		b["user_role_id"], b["security_profile_id"] = 1, 3
		c.post("/staged_config/access/users", b).is(201)
	})
	t.Run("unicode usernames", func(t *testing.T) {
		c := c.sub(t)
		for _, name := range []string{"émile", "用户", "😀smile", "שלום", strings.Repeat("é", 60)} {
			r := c.post("/staged_config/access/users", newUser(name)).is(201).obj()
			assert.Equal(t, name, r["username"])
		}
	})
}

func TestStagedUpdate(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	// Role change: staged at once, deployed after a deploy.
	r := c.post("/staged_config/access/users/1001", map[string]any{"user_role_id": 3, "email": "now@example.com"}).is(200).obj()
	assert.Equal(t, float64(3), r["user_role_id"])
	dep := c.get("/config/access/users/1001").obj()
	assert.Equal(t, float64(2), dep["user_role_id"], "role waits for the deploy")
	assert.Equal(t, "now@example.com", dep["email"], "email applies at once")
	c.post("/staged_config/deploy_status", nil).is(200)
	c.advance(2 * time.Second)
	assert.Equal(t, float64(3), c.get("/config/access/users/1001").obj()["user_role_id"])

	t.Run("staging a value back leaves nothing to deploy", func(t *testing.T) {
		c := c.sub(t)
		c.post("/staged_config/access/users/1001", map[string]any{"security_profile_id": 2}).is(200)
		c.post("/staged_config/access/users/1001", map[string]any{"security_profile_id": 1}).is(200)
		c.post("/staged_config/deploy_status", nil).fails(409, 1004, "")
	})
	t.Run("description and tenant", func(t *testing.T) {
		c := c.sub(t)
		c.post("/staged_config/access/users/1001", map[string]any{"description": nil}).is(200)
		assert.Equal(t, "John Doe", c.get("/config/access/users/1001").obj()["description"])
		c.post("/staged_config/deploy_status", nil).is(200)
		c.advance(2 * time.Second)
		assert.Nil(t, c.get("/config/access/users/1001").obj()["description"])
		c.post("/staged_config/access/users/1001", map[string]any{"tenant_id": 7}).fails(422, 38303006, "No tenant found")
	})
	for _, tc := range []struct {
		name   string
		id     int
		body   map[string]any
		status int
		code   int
	}{
		{"unknown user", 4242, map[string]any{"email": "a@b.c"}, 404, 38303001},
		{"unknown role", 1001, map[string]any{"user_role_id": 77}, 422, 38303003},
		{"null role", 1001, map[string]any{"user_role_id": nil}, 422, 38303003},
		{"unknown profile", 1001, map[string]any{"security_profile_id": 77}, 422, 38303008},
		{"role name", 1001, map[string]any{"user_role_id": "Reader"}, 422, 1005},
		{"admin role without Admin profile", 1001, map[string]any{"user_role_id": 1}, 422, 38303007},
		{"default admin's role", 1, map[string]any{"user_role_id": 2}, 403, 38316002},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c.sub(t)
			c.post(fmt.Sprintf("/staged_config/access/users/%d", tc.id), tc.body).fails(tc.status, tc.code, "")
		})
	}
	t.Run("admin role with Admin profile in one request", func(t *testing.T) {
		c := c.sub(t)
		r := c.post("/staged_config/access/users/1001", map[string]any{"user_role_id": 1, "security_profile_id": 3}).is(200).obj()
		assert.Equal(t, float64(1), r["user_role_id"])
	})
	t.Run("own role", func(t *testing.T) {
		c := c.sub(t)
		c.post("/staged_config/access/users", map[string]any{"username": "boss", "email": "b@x.y", "password": "Str0ng-Passw0rd", "user_role_id": 1, "security_profile_id": 3}).is(201)
		c.post("/staged_config/deploy_status", nil).is(200)
		c.advance(2 * time.Second)
		u := c.get("/config/access/users").list()
		var bossID any
		for _, x := range u {
			if x["username"] == "boss" {
				bossID = x["id"]
			}
		}
		require.NotNil(t, bossID)
		c.do(req{method: "POST", path: fmt.Sprintf("/staged_config/access/users/%v", bossID), body: map[string]any{"user_role_id": 2, "security_profile_id": 1},
			noAuth: true, header: map[string]string{"Authorization": basic("boss", "Str0ng-Passw0rd")}}).fails(403, 38303002, "")
	})
}
