package fakeqradar_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar"
)

// handlerConsole serves a Server's Handler through httptest, for tests that
// manage the Server's life themselves (restarts on one database file).
type handlerConsole struct {
	t     testing.TB
	srv   *fakeqradar.Server
	hs    *httptest.Server
	token string
}

func openHandlerConsole(t testing.TB, opts fakeqradar.Options) *handlerConsole {
	t.Helper()
	s, err := fakeqradar.New(opts)
	require.NoError(t, err)
	hc := &handlerConsole{t: t, srv: s, hs: httptest.NewServer(s.Handler()), token: s.Token()}
	t.Cleanup(hc.close)
	return hc
}

// close stops the listener and the Server; calling it twice is harmless.
func (hc *handlerConsole) close() {
	hc.hs.Close()
	require.NoError(hc.t, hc.srv.Close())
}

func (hc *handlerConsole) call(method, path string, body any, token string) *res {
	hc.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(hc.t, err)
		rd = bytes.NewReader(b)
	}
	hr, err := http.NewRequest(method, hc.hs.URL+"/api"+path, rd)
	require.NoError(hc.t, err)
	hr.Header.Set("SEC", token)
	hr.Header.Set("Accept", "application/json")
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.hs.Client().Do(hr)
	require.NoError(hc.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(hc.t, err)
	return &res{t: hc.t, Status: resp.StatusCode, Header: resp.Header, Raw: raw}
}

func (hc *handlerConsole) get(path string) *res {
	hc.t.Helper()
	return hc.call("GET", path, nil, hc.token)
}
func (hc *handlerConsole) post(path string, body any) *res {
	hc.t.Helper()
	return hc.call("POST", path, body, hc.token)
}
func (hc *handlerConsole) del(path string) *res {
	hc.t.Helper()
	return hc.call("DELETE", path, nil, hc.token)
}

func TestServersAreIsolated(t *testing.T) {
	t.Parallel()
	a, b := newConsole(t), newConsole(t)
	require.NotEqual(t, a.ts.Token(), b.ts.Token())
	require.NotEqual(t, a.ts.URL(), b.ts.URL())

	id := jsonInt(t, a.post("/staged_config/access/users", newUser("only-on-a")).is(201).obj()["id"])
	a.get(fmt.Sprintf("/staged_config/access/users/%d", id)).is(200)
	b.get(fmt.Sprintf("/staged_config/access/users/%d", id)).fails(404, 38301001, "")
	assert.Len(t, a.get("/staged_config/access/users").list(), 3)
	assert.Len(t, b.get("/staged_config/access/users").list(), 2)
	// The same name is free on the other server.
	b.post("/staged_config/access/users", newUser("only-on-a")).is(201)

	// Each token works only on its own server.
	a.get("/config/access/users", "SEC", b.ts.Token()).fails(401, 18, "")
	b.get("/config/access/users", "SEC", a.ts.Token()).fails(401, 18, "")
	svc := a.post("/config/access/authorized_services", map[string]any{"label": "a-svc", "user_role_id": 2, "security_profile_id": 1}).is(201).obj()
	b.get("/config/access/user_roles", "SEC", svc["token"].(string)).fails(401, 18, "")

	// Clock, tasks and faults are per server.
	require.NoError(t, a.ts.SetDeleteTaskOutcome("CONFLICT"))
	ta := a.del("/staged_config/access/users/1001").is(202).Header.Get("Location")
	tb := b.del("/staged_config/access/users/1001").is(202).Header.Get("Location")
	a.advance(time.Minute)
	assert.Equal(t, "CONFLICT", a.get(ta).obj()["status"])
	assert.Equal(t, "QUEUED", b.get(tb).obj()["status"])
	b.advance(time.Minute)
	assert.Equal(t, "COMPLETED", b.get(tb).obj()["status"])
	a.get("/config/access/users/1001").is(200)
	b.get("/config/access/users/1001").fails(404, 38310001, "")
	assert.Equal(t, start.Add(time.Minute), a.ts.Now())
}

func TestServerFileDatabaseSurvivesRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "q.db")
	const token = "c0ffee00-0000-4000-8000-000000000001"
	opts := fakeqradar.Options{DB: db, Token: token, HTTP: true, Now: func() time.Time { return start }}

	// First run: a deployed user with a staged change, a staged-only user,
	// a pending delete task and an authorized service.
	one := openHandlerConsole(t, opts)
	deployed := jsonInt(t, one.post("/staged_config/access/users", newUser("persisted")).is(201).obj()["id"])
	one.post("/staged_config/deploy_status", nil).is(200)
	require.NoError(t, one.srv.Advance(time.Minute))
	one.get(fmt.Sprintf("/config/access/users/%d", deployed)).is(200)
	one.post(fmt.Sprintf("/staged_config/access/users/%d", deployed), map[string]any{"user_role_id": 3}).is(200)
	stagedOnly := jsonInt(t, one.post("/staged_config/access/users", newUser("not-deployed")).is(201).obj()["id"])
	task := one.del("/staged_config/access/users/1001").is(202).obj()
	taskID := jsonInt(t, task["id"])
	assert.Equal(t, "QUEUED", task["status"])
	svc := one.post("/config/access/authorized_services", map[string]any{"label": "persisted-svc", "user_role_id": 2, "security_profile_id": 1}).is(201).obj()
	svcToken := svc["token"].(string)
	check, err := one.srv.Store().IntegrityCheck(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ok", check)
	one.close()

	// Second run on the same file and token. Its clock starts again at
	// start, one minute before the task was created.
	two := openHandlerConsole(t, opts)
	check, err = two.srv.Store().IntegrityCheck(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ok", check)
	two.get("/config/access/user_roles").is(200)
	two.call("GET", "/config/access/user_roles", nil, svcToken).is(200)

	u := two.get(fmt.Sprintf("/config/access/users/%d", deployed)).is(200).obj()
	assert.Equal(t, "persisted", u["username"])
	assert.EqualValues(t, 2, u["user_role_id"], "deployed role")
	assert.EqualValues(t, 3, two.get(fmt.Sprintf("/staged_config/access/users/%d", deployed)).is(200).obj()["user_role_id"], "staged role")
	two.get(fmt.Sprintf("/staged_config/access/users/%d", stagedOnly)).is(200)
	two.get(fmt.Sprintf("/config/access/users/%d", stagedOnly)).fails(404, 38310001, "")
	names := map[any]bool{}
	for _, u := range two.get("/staged_config/access/users").is(200).list() {
		names[u["username"]] = true
	}
	assert.Equal(t, map[any]bool{"admin": true, "jdoe": true, "persisted": true, "not-deployed": true}, names)

	taskPath := fmt.Sprintf("/staged_config/access/user_delete_tasks/%d", taskID)
	assert.Equal(t, "QUEUED", two.get(taskPath).is(200).obj()["status"])
	two.get("/config/access/users/1001").is(200)
	require.NoError(t, two.srv.Advance(time.Minute+5*time.Second))
	assert.Equal(t, "COMPLETED", two.get(taskPath).obj()["status"])
	two.get("/config/access/users/1001").fails(404, 38310001, "")

	// The staged changes still deploy.
	two.post("/staged_config/deploy_status", nil).is(200)
	require.NoError(t, two.srv.Advance(2*time.Minute))
	assert.EqualValues(t, 3, two.get(fmt.Sprintf("/config/access/users/%d", deployed)).obj()["user_role_id"])
	two.get(fmt.Sprintf("/config/access/users/%d", stagedOnly)).is(200)
	two.close()

	// Third run with another admin token: the new one works, the old one
	// does not; everything else is as the second run left it.
	opts.Token = "c0ffee00-0000-4000-8000-000000000002"
	three := openHandlerConsole(t, opts)
	three.call("GET", "/config/access/users", nil, token).fails(401, 18, "")
	three.get(fmt.Sprintf("/config/access/users/%d", stagedOnly)).is(200)
	three.get("/config/access/users/1001").fails(404, 38310001, "")
	assert.Len(t, three.get("/config/access/authorized_services").is(200).list(), 2)
	three.call("GET", "/config/access/user_roles", nil, svcToken).is(200)
	check, err = three.srv.Store().IntegrityCheck(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ok", check)
}

func TestServerInMemoryIntegrity(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.createDeployed("someone")
	check, err := c.ts.Store().IntegrityCheck(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "ok", check)
}

func TestServerNonAPIPathsServeHTML(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	for _, p := range []string{"/", "/console/qradar/jsp/QRadar.jsp", "/apix", "/_fake", "/api_doc"} {
		t.Run(p, func(t *testing.T) {
			c := c.withT(t)
			hr, err := http.NewRequest("GET", c.ts.URL()+p, nil)
			require.NoError(t, err)
			resp, err := c.ts.Client().Do(hr)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, 200, resp.StatusCode)
			assert.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html"), resp.Header.Get("Content-Type"))
			assert.Contains(t, string(body), "<html")
		})
	}
	// Under /api, unknown paths are JSON errors.
	c.get("/nothing/here").fails(404, 4, "Relative path (/nothing/here) is not a known endpoint resource")
	c.do(req{method: "GET", path: "/api/nothing", noAuth: true}).fails(401, 18, "")
}

func TestServerControlPlaneAuth(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	svc := c.post("/config/access/authorized_services", map[string]any{"label": "admin-role-svc", "user_role_id": 1, "security_profile_id": 3}).is(201).obj()
	for _, tc := range []struct {
		method string
		path   string
		body   any
	}{
		{"GET", "/_fake/clock", nil},
		{"POST", "/_fake/clock", map[string]any{"advance": "1s"}},
		{"POST", "/_fake/reset", nil},
		{"GET", "/_fake/faults", nil},
		{"POST", "/_fake/faults", map[string]any{"delete_task_outcome": "CONFLICT"}},
		{"DELETE", "/_fake/faults", nil},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			c := c.withT(t)
			c.do(req{method: tc.method, path: tc.path, body: tc.body, noAuth: true}).fails(401, 18, "No SEC header")
			c.do(req{method: tc.method, path: tc.path, body: tc.body, header: map[string]string{"SEC": "not-the-token"}}).fails(401, 18, "")
			// Only the admin token, not any admin-role service.
			c.do(req{method: tc.method, path: tc.path, body: tc.body, header: map[string]string{"SEC": svc["token"].(string)}}).fails(401, 18, "")
		})
	}
	assert.Equal(t, start, c.ts.Now(), "no rejected call moved the clock")
	assert.Equal(t, "COMPLETED", c.get("/_fake/faults").is(200).obj()["delete_task_outcome"])

	h := c.do(req{method: "GET", path: "/_fake/health", noAuth: true}).is(200).obj()
	assert.Equal(t, "ok", h["status"])
	assert.EqualValues(t, start.UnixMilli(), h["now"])
	c.get("/_fake/nothing").fails(404, 4, "")
}

func TestServerControlPlaneClock(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	clock := c.get("/_fake/clock").is(200).obj()
	assert.EqualValues(t, start.UnixMilli(), clock["now"])
	assert.EqualValues(t, 0, clock["offset_ms"])

	for _, tc := range []struct {
		body   any
		status int
		code   int
		offset int64
	}{
		{map[string]any{"advance": "5s"}, 200, 0, 5000},
		{map[string]any{"advance_ms": 1500}, 200, 0, 6500},
		{map[string]any{"advance": "-1s"}, 422, 1005, 6500},
		{map[string]any{"advance_ms": -1}, 422, 1005, 6500},
		{map[string]any{"advance": "soon"}, 422, 1005, 6500},
		{map[string]any{"advance_ms": "1000"}, 422, 1005, 6500},
		{map[string]any{"advance_ms": int64(20_000_000_000_000)}, 422, 1005, 6500},
		{map[string]any{}, 422, 1005, 6500},
		{"", 422, 10, 6500},
	} {
		r := c.post("/_fake/clock", tc.body)
		if tc.status != 200 {
			r.fails(tc.status, tc.code, "")
		} else {
			r.is(200)
			assert.EqualValues(t, tc.offset, r.obj()["offset_ms"])
			assert.EqualValues(t, start.UnixMilli()+tc.offset, r.obj()["now"])
		}
		assert.EqualValues(t, tc.offset, c.get("/_fake/clock").obj()["offset_ms"], "%v", tc.body)
	}

	// Advancing over a clock call settles delete tasks.
	loc := c.del("/staged_config/access/users/1001").is(202).Header.Get("Location")
	c.post("/_fake/clock", map[string]any{"advance": "5s"}).is(200)
	assert.Equal(t, "COMPLETED", c.get(loc).obj()["status"])
	c.get("/config/access/users/1001").fails(404, 38310001, "")
}

func TestServerControlPlaneReset(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	created := c.createDeployed("temporary")
	svc := c.post("/config/access/authorized_services", map[string]any{"label": "temporary-svc", "user_role_id": 2, "security_profile_id": 1}).is(201).obj()
	loc := c.del("/staged_config/access/users/1001").is(202).Header.Get("Location")
	c.advance(10 * time.Second)
	c.get("/config/access/users/1001").fails(404, 38310001, "")
	c.post("/staged_config/access/users/1", map[string]any{"description": "changed"}).is(200)

	r := c.post("/_fake/reset", nil).is(200).obj()
	assert.Equal(t, "reset", r["status"])

	c.get(fmt.Sprintf("/staged_config/access/users/%d", created)).fails(404, 38301001, "")
	jdoe := c.get("/config/access/users/1001").is(200).obj()
	assert.Equal(t, "jdoe", jdoe["username"])
	assert.EqualValues(t, 2, jdoe["user_role_id"])
	c.get("/config/access/users", "SEC", "", "Authorization", basic("jdoe", "Jdoe-Passw0rd!")).is(200)
	assert.Equal(t, "Default administrator", c.get("/staged_config/access/users/1").obj()["description"])
	c.get(loc).fails(404, 1002, "")
	c.get("/config/access/user_roles", "SEC", svc["token"].(string)).fails(401, 18, "")
	services := c.get("/config/access/authorized_services").is(200).list()
	require.Len(t, services, 1)
	assert.Equal(t, "fakeqradar-admin", services[0]["label"])
	c.post("/staged_config/deploy_status", nil).fails(409, 1004, "")
	names := map[any]bool{}
	for _, u := range c.get("/staged_config/access/users").list() {
		names[u["username"]] = true
	}
	assert.Equal(t, map[any]bool{"admin": true, "jdoe": true}, names)

	// The freed names can be used again; the Go method does the same.
	c.createDeployed("temporary")
	require.NoError(t, c.ts.Reset(context.Background()))
	assert.Len(t, c.get("/staged_config/access/users").list(), 2)
}

func TestServerFaultDeleteTaskConflict(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	r := c.post("/_fake/faults", map[string]any{"delete_task_outcome": "CONFLICT"}).is(200).obj()
	assert.Equal(t, "CONFLICT", r["delete_task_outcome"])
	assert.Equal(t, "CONFLICT", c.get("/_fake/faults").is(200).obj()["delete_task_outcome"])

	task := c.del("/staged_config/access/users/1001").is(202)
	loc := task.Header.Get("Location")
	assert.Equal(t, "QUEUED", task.obj()["status"])
	c.advance(2 * time.Second)
	assert.Equal(t, "PROCESSING", c.get(loc).obj()["status"])
	c.advance(3 * time.Second)
	done := c.get(loc).is(200).obj()
	assert.Equal(t, "CONFLICT", done["status"])
	assert.NotNil(t, done["completed"])
	c.advance(time.Hour)
	assert.Equal(t, "CONFLICT", c.get(loc).obj()["status"])
	c.get("/config/access/users/1001").is(200)
	c.get("/staged_config/access/users/1001").is(200)

	for _, bad := range []any{map[string]any{"delete_task_outcome": "MAYBE"}, map[string]any{"delete_task_outcome": 3}} {
		c.post("/_fake/faults", bad).fails(422, 1005, "")
	}
	assert.Equal(t, "CONFLICT", c.get("/_fake/faults").obj()["delete_task_outcome"])

	// Cleared, the next delete completes and removes the user.
	assert.Equal(t, "COMPLETED", c.del("/_fake/faults").is(200).obj()["delete_task_outcome"])
	again := c.del("/config/access/users/1001").is(202)
	assert.NotEqual(t, task.obj()["id"], again.obj()["id"], "a finished task is not reused")
	c.advance(5 * time.Second)
	assert.Equal(t, "COMPLETED", c.get(again.Header.Get("Location")).obj()["status"])
	c.get("/config/access/users/1001").fails(404, 38310001, "")

	// EXCEPTION works the same way through the Go method.
	require.NoError(t, c.ts.SetDeleteTaskOutcome("exception"))
	id := c.createDeployed("unlucky")
	loc = c.del(fmt.Sprintf("/staged_config/access/users/%d", id)).is(202).Header.Get("Location")
	c.advance(5 * time.Second)
	assert.Equal(t, "EXCEPTION", c.get(loc).obj()["status"])
	c.get(fmt.Sprintf("/config/access/users/%d", id)).is(200)
	require.Error(t, c.ts.SetDeleteTaskOutcome("sometimes"))
}

// The control plane takes JSON whatever the Content-Type says, so that
// `curl -d '{"advance":"10s"}'` (a form type) works as the README shows.
func TestControlPlaneIgnoresContentType(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	r := c.do(req{method: "POST", path: "/_fake/clock", body: `{"advance":"10s"}`, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}).is(200)
	assert.Equal(t, float64(10000), r.obj()["offset_ms"])
}

// After a reset the fake gives the same ids again: runs repeat.
func TestResetRepeatsIDs(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	first := c.post("/staged_config/access/users", newUser("again")).is(201).obj()["id"]
	task := c.del(fmt.Sprintf("/staged_config/access/users/%v", first)).is(202).obj()["id"]
	require.NoError(t, c.ts.Reset(context.Background()))
	assert.Equal(t, first, c.post("/staged_config/access/users", newUser("again")).is(201).obj()["id"])
	assert.Equal(t, task, c.del(fmt.Sprintf("/staged_config/access/users/%v", first)).is(202).obj()["id"])
}
