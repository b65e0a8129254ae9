package fakeqradar_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDeployedUsersRead(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	u := c.get("/config/access/users/1001").is(200).obj()
	assert.Equal(t, "jdoe", u["username"])
	assert.Equal(t, float64(2), u["user_role_id"])
	assert.Equal(t, float64(1), u["security_profile_id"])
	require.Contains(t, u, "password")
	assert.Nil(t, u["password"], "password is null, never the value or a hash")
	require.Contains(t, u, "old_password")
	assert.Nil(t, u["old_password"])
	// Times are epoch milliseconds.
	assert.Equal(t, float64(start.UnixMilli()), u["password_creation_time"])
	assert.NotContains(t, string(c.get("/config/access/users").Raw), "pbkdf2", "no hash leaks")
	c.get("/config/access/users/424242").fails(404, 38310001, "The deployed user does not exist.")
}

func TestDeployedUserPartialUpdate(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	before := c.get("/config/access/users/1001").obj()
	r := c.post("/config/access/users/1001", map[string]any{"email": "john@example.org", "inactivity_timeout": 600000, "enable_popup_notifications": true}).is(200).obj()
	assert.Equal(t, "john@example.org", r["email"])
	assert.Equal(t, float64(600000), r["inactivity_timeout"])
	assert.Equal(t, true, r["enable_popup_notifications"])
	after := c.get("/config/access/users/1001").obj()
	for k, v := range before {
		switch k {
		case "email", "inactivity_timeout", "enable_popup_notifications":
			continue
		}
		assert.Equal(t, v, after[k], "field %s changed though it was not sent", k)
	}
	assert.Equal(t, "john@example.org", after["email"])

	t.Run("role, profile, tenant and description are ignored here", func(t *testing.T) {
		c := c.sub(t)
		r := c.post("/config/access/users/1001", map[string]any{"user_role_id": 3, "security_profile_id": 2, "description": "x"}).is(200).obj()
		assert.Equal(t, float64(2), r["user_role_id"])
		assert.Equal(t, float64(1), r["security_profile_id"])
		assert.Equal(t, "John Doe", r["description"])
		assert.Equal(t, float64(0), c.get("/staged_config/access/users/1001").obj()["user_role_id"].(float64)-2, "staging untouched")
		c.post("/staged_config/deploy_status", nil).fails(409, 1004, "No changes to deploy")
	})
	t.Run("inactivity_timeout is truncated to minutes", func(t *testing.T) {
		c := c.sub(t)
		r := c.post("/config/access/users/1001", map[string]any{"inactivity_timeout": 90500}).is(200).obj()
		assert.Equal(t, float64(60000), r["inactivity_timeout"])
	})
	t.Run("unknown body keys are ignored", func(t *testing.T) {
		c := c.sub(t)
		c.post("/config/access/users/1001", map[string]any{"first_name": "John", "email": "j2@example.org"}).is(200)
	})
	t.Run("unknown user", func(t *testing.T) {
		c := c.sub(t)
		c.post("/config/access/users/999", map[string]any{"email": "a@b.c"}).fails(404, 38311001, "The deployed user does not exist.")
	})
	t.Run("a staged, undeployed user is not a deployed user", func(t *testing.T) {
		c := c.sub(t)
		id := c.post("/staged_config/access/users", newUser("staged1")).is(201).obj()["id"]
		c.post(fmt.Sprintf("/config/access/users/%v", id), map[string]any{"email": "a@b.c"}).fails(404, 38311001, "")
	})
}

func TestDeployedUserUpdateValidation(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	cases := []struct {
		name   string
		body   any
		status int
		code   int
		msg    string
	}{
		{"email without @", map[string]any{"email": "nope"}, 422, 38311004, "exactly one @ symbol"},
		{"email with space", map[string]any{"email": "a b@c.d"}, 422, 38311004, "no whitespace"},
		{"email too long", map[string]any{"email": strings.Repeat("a", 250) + "@b.com"}, 422, 38311003, "255"},
		{"email null", map[string]any{"email": nil}, 422, 38311004, ""},
		{"bad locale", map[string]any{"locale_id": "xx_YY"}, 422, 38311005, "locale_id is not a valid locale"},
		{"old_password for someone else", map[string]any{"password": "An0ther-Passw0rd", "old_password": "x"}, 422, 38311007, "old_password"},
		{"weak password", map[string]any{"password": "short"}, 422, 38311010, "password does not adhere to the password policy"},
		{"wrong type", map[string]any{"enable_popup_notifications": "yes"}, 422, 1005, "enable_popup_notifications must be a boolean"},
		{"timeout as string", map[string]any{"inactivity_timeout": "10"}, 422, 1005, "inactivity_timeout"},
		{"negative timeout", map[string]any{"inactivity_timeout": -1}, 422, 1005, "inactivity_timeout"},
		{"empty body", "", 422, 10, `Request body must be populated for body parameter "data"`},
		{"malformed JSON", `{"email":`, 422, 11, "malformed JSON"},
		{"array", `[1,2]`, 422, 11, "expected a JSON object"},
		{"string", `"x"`, 422, 11, "expected a JSON object"},
		{"duplicate keys", `{"email":"a@b.c","email":"d@e.f"}`, 422, 11, `duplicate key "email"`},
		{"trailing data", `{"email":"a@b.c"} {}`, 422, 11, "unexpected data"},
		{"overflowing number", `{"inactivity_timeout": 99999999999999999999999}`, 422, 1005, "inactivity_timeout"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := c.sub(t)
			before := c.get("/config/access/users/1001").Raw
			c.post("/config/access/users/1001", tc.body).fails(tc.status, tc.code, tc.msg)
			assert.JSONEq(t, string(before), string(c.get("/config/access/users/1001").Raw), "a refused update changes nothing")
		})
	}
}

func TestOwnPasswordChange(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	jdoe := func(pass string) map[string]string {
		return map[string]string{"Authorization": basic("jdoe", pass)}
	}
	upd := func(pass string, body any) *res {
		return c.do(req{method: "POST", path: "/config/access/users/1001", body: body, noAuth: true, header: jdoe(pass)})
	}
	upd("Jdoe-Passw0rd!", map[string]any{"password": "N3w-Passw0rd!"}).fails(422, 38311006, "old_password")
	upd("Jdoe-Passw0rd!", map[string]any{"password": "N3w-Passw0rd!", "old_password": "wrong"}).fails(422, 38311008, "")
	upd("Jdoe-Passw0rd!", map[string]any{"inactivity_timeout": 0}).fails(403, 38311012, "")
	// Others' users are out of reach.
	c.do(req{method: "POST", path: "/config/access/users/1", body: map[string]any{"email": "x@y.z"}, noAuth: true, header: jdoe("Jdoe-Passw0rd!")}).fails(403, 26, "")
	r := upd("Jdoe-Passw0rd!", map[string]any{"password": "N3w-Passw0rd!", "old_password": "Jdoe-Passw0rd!"}).is(200).obj()
	assert.Nil(t, r["password"])
	upd("Jdoe-Passw0rd!", map[string]any{"email": "a@b.c"}).fails(401, 18, "")
	upd("N3w-Passw0rd!", map[string]any{"email": "a@b.c"}).is(200)
	// An admin sets another user's password without the old one.
	c.post("/config/access/users/1001", map[string]any{"password": "Adm1n-Set-Passw0rd"}).is(200)
	upd("Adm1n-Set-Passw0rd", map[string]any{"email": "b@b.c"}).is(200)
}
