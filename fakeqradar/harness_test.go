package fakeqradar_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar"
)

// start is the fixed start of the fake clock in tests.
var start = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// console is a test server plus helpers to talk to it.
type console struct {
	t  testing.TB
	ts *fakeqradar.TestServer
}

// newConsole starts a fake with a frozen clock (advance it with c.advance).
func newConsole(t testing.TB, opts ...func(*fakeqradar.Options)) *console {
	t.Helper()
	o := fakeqradar.Options{Now: func() time.Time { return start }}
	for _, f := range opts {
		f(&o)
	}
	return &console{t: t, ts: fakeqradar.NewTestServer(t, o)}
}

// sub returns the console bound to a subtest's t, so that failures are
// reported (and FailNow called) on the subtest.
func (c *console) sub(t testing.TB) *console { return &console{t: t, ts: c.ts} }

// req describes one request. Headers default to the admin SEC token,
// Accept: application/json and no Version (latest).
type req struct {
	method string
	path   string // relative to /api, or absolute when it starts with /_fake or /api
	body   any    // string/[]byte sent raw, anything else JSON-encoded
	header map[string]string
	noAuth bool
}

// res is a response with its body decoded where it is JSON.
type res struct {
	t      testing.TB
	Status int
	Header http.Header
	Raw    []byte
}

func (c *console) do(r req) *res {
	c.t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		require.NoError(c.t, err)
		body = bytes.NewReader(j)
	}
	path := r.path
	if !strings.HasPrefix(path, "/api") && !strings.HasPrefix(path, "/_fake") {
		path = "/api" + path
	}
	hr, err := http.NewRequest(r.method, c.ts.URL()+path, body)
	require.NoError(c.t, err)
	if !r.noAuth {
		hr.Header.Set("SEC", c.ts.Token())
	}
	hr.Header.Set("Accept", "application/json")
	if r.body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.header {
		if v == "" {
			hr.Header.Del(k)
			continue
		}
		hr.Header.Set(k, v)
	}
	resp, err := c.ts.Client().Do(hr)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return &res{t: c.t, Status: resp.StatusCode, Header: resp.Header, Raw: raw}
}

func (c *console) get(path string, hdr ...string) *res {
	c.t.Helper()
	return c.do(req{method: "GET", path: path, header: pairs(hdr)})
}

func (c *console) post(path string, body any, hdr ...string) *res {
	c.t.Helper()
	return c.do(req{method: "POST", path: path, body: body, header: pairs(hdr)})
}

func (c *console) del(path string, hdr ...string) *res {
	c.t.Helper()
	return c.do(req{method: "DELETE", path: path, header: pairs(hdr)})
}

func pairs(kv []string) map[string]string {
	if len(kv)%2 != 0 {
		panic("header pairs must be even")
	}
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// advance moves the fake clock.
func (c *console) advance(d time.Duration) {
	c.t.Helper()
	require.NoError(c.t, c.ts.Advance(d))
}

// obj decodes the body as a JSON object.
func (r *res) obj() map[string]any {
	r.t.Helper()
	var m map[string]any
	require.NoError(r.t, json.Unmarshal(r.Raw, &m), "body is not a JSON object: %s", r.Raw)
	return m
}

// list decodes the body as a JSON array of objects.
func (r *res) list() []map[string]any {
	r.t.Helper()
	var l []map[string]any
	require.NoError(r.t, json.Unmarshal(r.Raw, &l), "body is not a JSON array: %s", r.Raw)
	return l
}

// code is the QRadar code of an error envelope (0 when there is none).
func (r *res) code() int {
	var m map[string]any
	if json.Unmarshal(r.Raw, &m) != nil {
		return 0
	}
	f, _ := m["code"].(float64)
	return int(f)
}

func (r *res) String() string {
	return fmt.Sprintf("status %d (code %d): %s", r.Status, r.code(), r.Raw)
}

// ok asserts a status.
func (r *res) is(status int) *res {
	r.t.Helper()
	require.Equal(r.t, status, r.Status, "expected status %d, got %s", status, r)
	return r
}

// fails asserts an error envelope with status and QRadar code, and that the
// message contains msg.
func (r *res) fails(status, code int, msg string) *res {
	r.t.Helper()
	require.Equal(r.t, status, r.Status, "expected status %d, got %s", status, r)
	assertEnvelope(r.t, r)
	assert.Equal(r.t, code, r.code(), "QRadar code: %s", r)
	if msg != "" {
		assert.Contains(r.t, r.obj()["message"], msg)
	}
	return r
}

// assertEnvelope checks the five-key QRadar error envelope and its
// Content-Type.
func assertEnvelope(t testing.TB, r *res) {
	t.Helper()
	assert.True(t, strings.HasPrefix(r.Header.Get("Content-Type"), "application/json"), "Content-Type %q", r.Header.Get("Content-Type"))
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(r.Raw, &m), "error body is not JSON: %s", r.Raw)
	for _, k := range []string{"http_response", "code", "description", "details", "message"} {
		assert.Contains(t, m, k, "envelope key %q missing: %s", k, r.Raw)
	}
	assert.Len(t, m, 5, "envelope has extra keys: %s", r.Raw)
	var hr struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	require.NoError(t, json.Unmarshal(m["http_response"], &hr))
	assert.Equal(t, r.Status, hr.Code)
	assert.NotEmpty(t, hr.Message)
}

// newUser is a valid create body for a staged user.
func newUser(name string) map[string]any {
	return map[string]any{
		"username": name, "email": name + "@example.com", "password": "Str0ng-Passw0rd",
		"user_role_id": 2, "security_profile_id": 1,
	}
}

// createDeployed creates a user in staging, deploys, and returns its id.
func (c *console) createDeployed(name string) int64 {
	c.t.Helper()
	r := c.post("/staged_config/access/users", newUser(name)).is(201)
	id := int64(r.obj()["id"].(float64))
	c.post("/staged_config/deploy_status", nil).is(200)
	c.advance(time.Minute)
	c.get(fmt.Sprintf("/config/access/users/%d", id)).is(200)
	return id
}

// Test the harness itself is sane: the admin token works.
func TestHarnessSmoke(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.get("/config/access/users").is(200)
}
