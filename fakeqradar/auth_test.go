package fakeqradar_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const noSECMessage = `No SEC header present in request. Please provide it via "SEC: token". You may also use BASIC authentication parameters if this host supports it. e.g. "Authorization: Basic base64Encoding"`

func TestAuthentication(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	cases := []struct {
		name   string
		header map[string]string
		status int
		code   int
	}{
		{"no credentials", map[string]string{}, 401, 18},
		{"empty SEC header", map[string]string{"SEC": "   "}, 401, 18},
		{"unknown token", map[string]string{"SEC": "00000000-0000-4000-8000-000000000000"}, 401, 18},
		{"huge token", map[string]string{"SEC": strings.Repeat("a", 300)}, 401, 18},
		{"wrong password", map[string]string{"Authorization": basic("admin", "nope")}, 401, 18},
		{"unknown user", map[string]string{"Authorization": basic("ghost", "Admin-Passw0rd!")}, 401, 18},
		{"not base64", map[string]string{"Authorization": "Basic !!!"}, 401, 18},
		{"other scheme", map[string]string{"Authorization": "Bearer abc"}, 401, 18},
		{"admin Basic", map[string]string{"Authorization": basic("admin", "Admin-Passw0rd!")}, 200, 0},
		{"lowercase sec header", map[string]string{"sec": "TOKEN"}, 200, 0},
		{"SEC wins over a bad Basic", map[string]string{"SEC": "TOKEN", "Authorization": basic("admin", "nope")}, 200, 0},
		{"bad SEC loses over a good Basic", map[string]string{"SEC": "bad", "Authorization": basic("admin", "Admin-Passw0rd!")}, 401, 18},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := c.sub(t)
			h := map[string]string{}
			for k, v := range tc.header {
				if v == "TOKEN" {
					v = c.ts.Token()
				}
				h[k] = v
			}
			r := c.do(req{method: "GET", path: "/config/access/users", header: h, noAuth: true})
			if tc.status == 200 {
				r.is(200)
				return
			}
			r.fails(tc.status, tc.code, noSECMessage)
			assert.Equal(t, "You are unauthorized to access the requested resource.", r.obj()["http_response"].(map[string]any)["message"])
		})
	}
}

func TestCapabilities(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	jdoe := basic("jdoe", "Jdoe-Passw0rd!")
	// An Analyst may not manage users or services: 403 code 26.
	for _, r := range []req{
		{method: "GET", path: "/staged_config/access/users"},
		{method: "POST", path: "/staged_config/access/users", body: newUser("x1")},
		{method: "DELETE", path: "/staged_config/access/users/1"},
		{method: "GET", path: "/config/access/authorized_services"},
		{method: "POST", path: "/config/access/authorized_services", body: map[string]any{"label": "s", "user_role_id": 2, "security_profile_id": 1}},
		{method: "POST", path: "/staged_config/deploy_status"},
		{method: "GET", path: "/config/access/users/1"},
		{method: "POST", path: "/config/access/users/1", body: map[string]any{"email": "a@b.c"}},
	} {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			c := c.sub(t)
			r.header = map[string]string{"Authorization": jdoe}
			r.noAuth = true
			c.do(r).fails(403, 26, "User has insufficient capabilities to access this endpoint resource")
		})
	}
	t.Run("a non-admin user reads only itself", func(t *testing.T) {
		c := c.sub(t)
		l := c.do(req{method: "GET", path: "/config/access/users", noAuth: true, header: map[string]string{"Authorization": jdoe}}).is(200)
		users := l.list()
		require.Len(t, users, 1)
		assert.Equal(t, "jdoe", users[0]["username"])
		assert.Equal(t, "items 0-0/1", l.Header.Get("Content-Range"))
		c.do(req{method: "GET", path: "/config/access/users/1001", noAuth: true, header: map[string]string{"Authorization": jdoe}}).is(200)
	})
	t.Run("nothing is created by a refused request", func(t *testing.T) {
		c := c.sub(t)
		for _, u := range c.get("/staged_config/access/users").list() {
			assert.NotEqual(t, "x1", u["username"])
		}
	})
}

func TestBasicAuthUserLifecycle(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	// A staged (not yet deployed) user cannot log in; once deployed it can.
	c.post("/staged_config/access/users", newUser("bob")).is(201)
	bob := map[string]string{"Authorization": basic("bob", "Str0ng-Passw0rd")}
	c.do(req{method: "GET", path: "/config/access/users", noAuth: true, header: bob}).fails(401, 18, "")
	c.post("/staged_config/deploy_status", nil).is(200)
	c.advance(time.Minute)
	c.do(req{method: "GET", path: "/config/access/users", noAuth: true, header: bob}).is(200)
	// Deleting the user ends its Basic access once the task completes.
	id := int64(c.get("/config/access/users?x=1").list()[2]["id"].(float64))
	c.del(fmt.Sprintf("/staged_config/access/users/%d", id)).is(202)
	c.do(req{method: "GET", path: "/config/access/users", noAuth: true, header: bob}).is(200)
	c.advance(10 * time.Second)
	c.do(req{method: "GET", path: "/config/access/users", noAuth: true, header: bob}).fails(401, 18, "")
}
