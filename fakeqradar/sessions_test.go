package fakeqradar_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar"
)

func sessionCookie(t *testing.T, r *res) string {
	t.Helper()
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == "SEC" {
			return c.Value
		}
	}
	return ""
}

// Off by default: no response but authorized-service creation carries a
// token.
func TestNoSessionCookieByDefault(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	r := c.do(req{method: "GET", path: "/config/access/users", noAuth: true, header: map[string]string{"Authorization": basic("jdoe", "Jdoe-Passw0rd!")}}).is(200)
	assert.Empty(t, r.Header.Values("Set-Cookie"))
	// Logout exists either way and answers JSON.
	c.post("/auth/logout", nil).is(200)
}

// With SessionCookies, Basic sign-in hands out a SEC session token (the
// Ansible collection's flow) that works until logout, a password change or
// the user's deletion.
func TestSessionCookies(t *testing.T) {
	t.Parallel()
	c := newConsole(t, func(o *fakeqradar.Options) { o.SessionCookies = true })
	jdoe := map[string]string{"Authorization": basic("jdoe", "Jdoe-Passw0rd!")}
	r := c.do(req{method: "GET", path: "/config/access/users", noAuth: true, header: jdoe}).is(200)
	raw := r.Header.Get("Set-Cookie")
	assert.Contains(t, raw, "HttpOnly")
	assert.Contains(t, raw, "Secure")
	assert.Contains(t, raw, "Path=/")
	tok := sessionCookie(t, r)
	require.Regexp(t, `^[0-9a-f-]{36}$`, tok)
	again := c.do(req{method: "GET", path: "/config/access/users", noAuth: true, header: jdoe}).is(200)
	assert.Equal(t, tok, sessionCookie(t, again), "the same session is handed out again")
	// Service tokens get no cookie.
	assert.Empty(t, c.get("/config/access/users").Header.Values("Set-Cookie"))

	asSession := func(tok string) *res {
		return c.do(req{method: "GET", path: "/config/access/users", noAuth: true, header: map[string]string{"SEC": tok}})
	}
	l := asSession(tok).is(200).list()
	require.Len(t, l, 1, "the session acts as jdoe: only itself")
	assert.Equal(t, "jdoe", l[0]["username"])
	assert.Empty(t, asSession(tok).Header.Values("Set-Cookie"))
	assert.NotContains(t, strings.Join(c.get("/_fake/journal").Header.Values("Set-Cookie"), ""), tok)

	// Logout ends it.
	c.do(req{method: "POST", path: "/auth/logout", noAuth: true, header: map[string]string{"SEC": tok}}).is(200)
	asSession(tok).fails(401, 18, "")

	// A password change ends a new one.
	tok = sessionCookie(t, c.do(req{method: "GET", path: "/config/access/users", noAuth: true, header: jdoe}).is(200))
	asSession(tok).is(200)
	c.post("/config/access/users/1001", map[string]any{"password": "An0ther-Passw0rd"}).is(200)
	asSession(tok).fails(401, 18, "")

	// So does deleting the user, once the task completes.
	tok = sessionCookie(t, c.do(req{method: "GET", path: "/config/access/users", noAuth: true, header: map[string]string{"Authorization": basic("jdoe", "An0ther-Passw0rd")}}).is(200))
	c.del("/staged_config/access/users/1001").is(202)
	asSession(tok).is(200)
	c.advance(fakeqradarTaskDuration)
	asSession(tok).fails(401, 18, "")
}

// fakeqradarTaskDuration is the default delete task duration.
const fakeqradarTaskDuration = 5_000_000_000
