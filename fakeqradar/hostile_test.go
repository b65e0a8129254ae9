package fakeqradar_test

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// snapshot is every row of every table, to prove a request changed nothing.
func (c *console) snapshot() string {
	c.t.Helper()
	var b strings.Builder
	for _, table := range []string{"users", "authorized_services", "tasks", "deploys", "user_roles", "role_capabilities", "security_profiles"} {
		rows, err := c.ts.Store().DB().Query("SELECT * FROM " + table + " ORDER BY 1")
		require.NoError(c.t, err)
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			require.NoError(c.t, rows.Scan(ptrs...))
			fmt.Fprintf(&b, "%s %v\n", table, vals)
		}
		rows.Close()
	}
	return b.String()
}

func TestHostileInput(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	long := strings.Repeat("x", 100_000)
	cases := []struct {
		name   string
		r      req
		status int
		code   int
		msg    string
	}{
		{"malformed JSON", req{method: "POST", path: "/staged_config/access/users", body: `{"username":`}, 422, 11, "malformed JSON"},
		{"JSON array", req{method: "POST", path: "/staged_config/access/users", body: `[]`}, 422, 11, "expected a JSON object, got an array"},
		{"JSON string", req{method: "POST", path: "/staged_config/access/users", body: `"user"`}, 422, 11, "expected a JSON object, got string"},
		{"JSON number", req{method: "POST", path: "/config/access/users/1001", body: `12`}, 422, 11, "expected a JSON object, got number"},
		{"JSON null", req{method: "POST", path: "/config/access/users/1001", body: `null`}, 422, 11, "expected a JSON object, got null"},
		{"null username", req{method: "POST", path: "/staged_config/access/users", body: `{"username":null,"email":"a@b.c","user_role_id":2,"security_profile_id":1,"password":"Str0ng-Passw0rd"}`}, 422, 38302020, "username"},
		{"null role", req{method: "POST", path: "/staged_config/access/users", body: `{"username":"n","email":"a@b.c","user_role_id":null,"security_profile_id":1,"password":"Str0ng-Passw0rd"}`}, 422, 38302021, "user_role_id"},
		{"huge body", req{method: "POST", path: "/staged_config/access/users", body: `{"username":"` + strings.Repeat("a", 2<<20) + `"}`}, 413, 1013, "exceeds the limit"},
		{"very long username", req{method: "POST", path: "/staged_config/access/users", body: `{"username":"` + long + `","email":"a@b.c","user_role_id":2,"security_profile_id":1,"password":"Str0ng-Passw0rd"}`}, 422, 38302001, "between 1 and 60"},
		{"very long email", req{method: "POST", path: "/config/access/users/1001", body: `{"email":"` + long + `@x.y"}`}, 422, 38311003, "255"},
		{"very long filter", req{method: "GET", path: "/config/access/users?filter=" + strings.Repeat("id%3D1%20or%20", 2000) + "id%3D1"}, 422, 1005, "Error Parsing filter"},
		{"very long header", req{method: "GET", path: "/config/access/users", header: map[string]string{"X-Long": strings.Repeat("h", 70_000)}}, 431, 1015, "headers exceed"},
		{"invalid UTF-8", req{method: "POST", path: "/staged_config/access/users", body: "{\"username\":\"a\xffb\"}"}, 422, 11, "UTF-8"},
		{"int64 overflow id in body", req{method: "POST", path: "/staged_config/access/users", body: `{"username":"o","email":"a@b.c","user_role_id":9223372036854775808,"security_profile_id":1,"password":"Str0ng-Passw0rd"}`}, 422, 1005, "user_role_id"},
		{"int64 overflow id in path", req{method: "GET", path: "/config/access/users/9223372036854775808"}, 422, 11, `"id"`},
		{"negative id", req{method: "DELETE", path: "/staged_config/access/users/-1"}, 404, 1002, ""},
		{"zero id", req{method: "POST", path: "/config/access/users/0", body: `{"email":"a@b.c"}`}, 404, 38311001, ""},
		{"dot-dot in path", req{method: "DELETE", path: "/staged_config/access/users/../users/1001"}, 404, 4, ""},
		{"encoded slash in path", req{method: "DELETE", path: "/staged_config/access/users/1001%2F..%2F1"}, 404, 4, ""},
		{"duplicate JSON keys", req{method: "POST", path: "/config/access/users/1001", body: `{"email":"a@b.c","email":"x@y.z"}`}, 422, 11, `duplicate key "email"`},
		{"nested duplicate keys", req{method: "POST", path: "/config/access/users", body: `{"username":"d","user_role":{"id":2,"id":3}}`}, 422, 11, `duplicate key "id"`},
		{"wrong Content-Type", req{method: "POST", path: "/config/access/users/1001", body: `{"email":"a@b.c"}`, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, 415, 1014, "application/x-www-form-urlencoded"},
		{"garbage Content-Type", req{method: "POST", path: "/config/access/users/1001", body: `{"email":"a@b.c"}`, header: map[string]string{"Content-Type": ";;;"}}, 415, 1014, ""},
		{"empty SEC header", req{method: "GET", path: "/config/access/users", noAuth: true, header: map[string]string{"SEC": " "}}, 401, 18, "No SEC header"},
		{"SEC and bad Basic: SEC wins, no change", req{method: "POST", path: "/config/access/users/1001", body: `{"email":"bad"}`, header: map[string]string{"Authorization": basic("x", "y")}}, 422, 38311004, ""},
		{"SQL in a filter", req{method: "GET", path: "/config/access/users?filter=" + "username%3D%27x%27%3B%20DROP%20TABLE%20users%3B%20--"}, 422, 1005, "Error Parsing filter"},
		{"SQL in a sort", req{method: "GET", path: "/config/access/users?sort=username;DROP%20TABLE%20users"}, 422, 38314001, ""},
		{"SQL in fields", req{method: "GET", path: "/config/access/users?fields=id,(select%201)"}, 422, 31, ""},
		{"semicolon in the query is a literal", req{method: "GET", path: "/config/access/users?sort=+username;x"}, 422, 38314001, ""},
		{"bad escape in the query", req{method: "GET", path: "/config/access/users?filter=%zz"}, 400, 1016, `invalid URL escape "%zz"`},
		{"bad Range with SQL", req{method: "GET", path: "/config/access/users", header: map[string]string{"Range": "items=0-1; DROP TABLE users"}}, 422, 36, ""},
	}
	// The admin token's first use records its last_used_date; on the frozen
	// clock nothing is written after that, so the snapshots compare clean.
	c.get("/config/access/users").is(200)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := c.sub(t)
			before := c.snapshot()
			c.do(tc.r).fails(tc.status, tc.code, tc.msg)
			assert.Equal(t, before, c.snapshot(), "the store is unchanged")
			c.get("/config/access/users/1001").is(200) // and the server keeps serving
		})
	}
	t.Run("emoji and right-to-left usernames are stored exactly", func(t *testing.T) {
		c := c.sub(t)
		// The Console's rule forbids only spaces at the ends, other
		// whitespace and ' " / \ — a bidi override is accepted as it is.
		for _, name := range []string{"🦊fox", "مستخدم", "\u202Eevil"} {
			r := c.post("/staged_config/access/users", newUser(name))
			assert.Equal(t, name, r.is(201).obj()["username"])
			assert.Equal(t, name, c.get(q("/staged_config/access/users", "filter", `username="`+name+`"`)).list()[0]["username"])
		}
	})
}

// rawConn speaks HTTP on a TLS connection to the fake, for requests a
// client library would not send.
func rawConn(t *testing.T, c *console) (*tls.Conn, *bufio.Reader) {
	t.Helper()
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(c.ts.CACertPEM()))
	conn, err := tls.Dial("tcp", strings.TrimPrefix(c.ts.URL(), "https://"), &tls.Config{RootCAs: pool})
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return conn, bufio.NewReader(conn)
}

func TestHTTP10AndPipelining(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	t.Run("HTTP/1.0", func(t *testing.T) {
		conn, br := rawConn(t, c)
		fmt.Fprintf(conn, "GET /api/config/access/users/1001 HTTP/1.0\r\nSEC: %s\r\n\r\n", c.ts.Token())
		resp, err := http.ReadResponse(br, nil)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Contains(t, string(body), `"username":"jdoe"`)
	})
	t.Run("pipelined requests are answered in order", func(t *testing.T) {
		conn, br := rawConn(t, c)
		var b strings.Builder
		for _, p := range []string{"/api/config/access/users/1001", "/api/config/access/users/1", "/api/nope", "/api/config/access/users/1001"} {
			fmt.Fprintf(&b, "GET %s HTTP/1.1\r\nHost: x\r\nSEC: %s\r\n\r\n", p, c.ts.Token())
		}
		_, err := conn.Write([]byte(b.String()))
		require.NoError(t, err)
		for _, want := range []struct {
			status int
			text   string
		}{{200, `"jdoe"`}, {200, `"admin"`}, {404, `"code":4`}, {200, `"jdoe"`}} {
			resp, err := http.ReadResponse(br, nil)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, want.status, resp.StatusCode)
			assert.Contains(t, string(body), want.text)
		}
	})
	t.Run("a request line that is not HTTP", func(t *testing.T) {
		conn, br := rawConn(t, c)
		fmt.Fprintf(conn, "HELLO\r\n\r\n")
		resp, err := http.ReadResponse(br, nil)
		require.NoError(t, err)
		assert.Equal(t, 400, resp.StatusCode)
		c.sub(t).get("/config/access/users").is(200)
	})
}
