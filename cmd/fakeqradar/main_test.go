package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is an io.Writer that is safe for the logger's concurrent
// writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is a getenv over a map.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// running is one run of the command in the background.
type running struct {
	t      *testing.T
	url    string
	token  string
	out    <-chan string // further lines on stdout
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan error
	client *http.Client
}

const startTimeout = 30 * time.Second

// start runs the command with args until the test ends (or stop), and
// waits for its start-up lines. The listen address is always 127.0.0.1:0.
func start(t *testing.T, getenv map[string]string, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	r := &running{t: t, stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	args = append([]string{"--addr", "127.0.0.1:0"}, args...)
	go func() {
		err := run(ctx, args, env(getenv), pw, r.stderr)
		pw.CloseWithError(io.EOF)
		r.done <- err
	}()
	// Buffered beyond what run prints, so run never blocks on stdout.
	lines := make(chan string, 64)
	r.out = lines
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	t.Cleanup(func() { r.stop() })
	deadline := time.After(startTimeout)
	for r.url == "" || r.token == "" {
		select {
		case line, open := <-lines:
			if !open {
				t.Fatalf("run ended before printing its address and token; stderr:\n%s", r.stderr)
			}
			if u, found := strings.CutPrefix(line, "fakeqradar listening on "); found {
				r.url = u
			}
			if tok, found := strings.CutPrefix(line, "admin SEC token: "); found {
				r.token = tok
			}
		case <-deadline:
			t.Fatalf("no start-up lines after %v; stderr:\n%s", startTimeout, r.stderr)
		}
	}
	transport := &http.Transport{}
	t.Cleanup(transport.CloseIdleConnections)
	r.client = &http.Client{Transport: transport, Timeout: 30 * time.Second}
	return r
}

// nextLine returns the next line printed on stdout ("" once run ends).
func (r *running) nextLine() string {
	r.t.Helper()
	select {
	case line := <-r.out:
		return line
	case <-time.After(startTimeout):
		r.t.Fatalf("no further line on stdout")
		return ""
	}
}

// stop cancels the run and returns its result; calling it again returns nil.
func (r *running) stop() error {
	r.t.Helper()
	r.cancel()
	select {
	case err, ok := <-r.done:
		if !ok {
			return nil
		}
		close(r.done)
		return err
	case <-time.After(startTimeout):
		r.t.Fatalf("run did not return after cancel; stderr:\n%s", r.stderr)
		return nil
	}
}

func (r *running) trust(caPEM []byte) {
	r.t.Helper()
	pool := x509.NewCertPool()
	require.True(r.t, pool.AppendCertsFromPEM(caPEM), "CA file is not PEM")
	transport := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	r.t.Cleanup(transport.CloseIdleConnections)
	r.client = &http.Client{Transport: transport, Timeout: 30 * time.Second}
}

func (r *running) do(method, path, token string, body any) (int, []byte) {
	r.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(r.t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, r.url+path, rd)
	require.NoError(r.t, err)
	if token != "" {
		req.Header.Set("SEC", token)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := r.client.Do(req)
	require.NoError(r.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(r.t, err)
	return resp.StatusCode, raw
}

func (r *running) status(method, path, token string, body any) int {
	r.t.Helper()
	st, _ := r.do(method, path, token, body)
	return st
}

func decode[T any](t *testing.T, raw []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(raw, &v), "%s", raw)
	return v
}

func TestRunHTTPSWithCAOut(t *testing.T) {
	t.Parallel()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	r := start(t, nil, "--ca-out", ca)
	require.True(t, strings.HasPrefix(r.url, "https://127.0.0.1:"), r.url)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, r.token)

	// An untrusting client fails verification.
	plain := &http.Client{Transport: &http.Transport{}, Timeout: 30 * time.Second}
	_, err := plain.Get(r.url + "/api/help/versions")
	require.Error(t, err)
	var unknown x509.UnknownAuthorityError
	assert.True(t, errors.As(err, &unknown), "want an unknown-authority error, got %v", err)

	// A client trusting the written CA succeeds.
	pemBytes, err := os.ReadFile(ca)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(pemBytes, []byte("-----BEGIN CERTIFICATE-----")))
	r.trust(pemBytes)
	assert.Equal(t, 200, r.status("GET", "/api/help/versions", r.token, nil))
	assert.Equal(t, 401, r.status("GET", "/api/config/access/users", "", nil))
	assert.Equal(t, 200, r.status("GET", "/_fake/health", "", nil))

	assert.Equal(t, "CA certificate: "+ca, r.nextLine())

	// localhost is in the certificate too.
	st, _ := r.doURL(strings.Replace(r.url, "127.0.0.1", "localhost", 1) + "/_fake/health")
	assert.Equal(t, 200, st)

	// Cancelling the context shuts down cleanly.
	require.NoError(t, r.stop())
	_, err = r.client.Get(r.url + "/_fake/health")
	assert.Error(t, err, "nothing listens after shutdown")
	assert.Contains(t, r.stderr.String(), "shutting down")
}

func (r *running) doURL(url string) (int, error) {
	resp, err := r.client.Get(url)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func TestRunHTTPSWithoutCAOut(t *testing.T) {
	t.Parallel()
	r := start(t, nil)
	require.True(t, strings.HasPrefix(r.url, "https://"), r.url)
	assert.Contains(t, r.nextLine(), "not written (use --ca-out FILE")
	_, err := r.client.Get(r.url + "/_fake/health")
	require.Error(t, err, "the generated CA is not trusted by default")
	require.NoError(t, r.stop())
}

func TestRunPlainHTTP(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"flag", nil, []string{"--http"}},
		{"environment", map[string]string{"FAKEQRADAR_HTTP": "true"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := start(t, tc.env, tc.args...)
			require.True(t, strings.HasPrefix(r.url, "http://127.0.0.1:"), r.url)
			st, raw := r.do("GET", "/api/config/access/user_roles", r.token, nil)
			require.Equal(t, 200, st, "%s", raw)
			assert.Len(t, decode[[]map[string]any](t, raw), 3)
			require.NoError(t, r.stop())
			for line := range r.out {
				assert.NotContains(t, line, "CA certificate", "plain HTTP has no CA")
			}
		})
	}
}

func TestRunToken(t *testing.T) {
	t.Parallel()
	const fixed = "c0ffee00-0000-4000-8000-00000000000a"
	const fromEnv = "c0ffee00-0000-4000-8000-00000000000b"
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"flag", nil, []string{"--token", fixed}, fixed},
		{"environment", map[string]string{"FAKEQRADAR_TOKEN": fromEnv}, nil, fromEnv},
		{"flag beats environment", map[string]string{"FAKEQRADAR_TOKEN": fromEnv}, []string{"--token", fixed}, fixed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := start(t, tc.env, append([]string{"--http"}, tc.args...)...)
			assert.Equal(t, tc.want, r.token)
			assert.Equal(t, 200, r.status("GET", "/api/config/access/users", tc.want, nil))
			assert.Equal(t, 200, r.status("GET", "/_fake/clock", tc.want, nil))
			other := fixed
			if tc.want == fixed {
				other = fromEnv
			}
			assert.Equal(t, 401, r.status("GET", "/api/config/access/users", other, nil))
			require.NoError(t, r.stop())
		})
	}
}

func TestRunRejectsBadConfiguration(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	badFixtures := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(badFixtures, []byte(`{"user_roles": [{"id": 0}]}`), 0o600))
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		is   error  // errors.Is target, or nil
		msg  string // substring of the error
	}{
		{"unknown flag", nil, []string{"--nope"}, nil, "flag provided but not defined"},
		{"help", nil, []string{"-h"}, flag.ErrHelp, ""},
		{"long help", nil, []string{"--help"}, flag.ErrHelp, ""},
		{"positional argument", nil, []string{"serve"}, nil, "unexpected arguments"},
		{"unparsable delete task duration", nil, []string{"--delete-task-duration", "soon"}, nil, "delete-task-duration"},
		{"zero delete task duration", nil, []string{"--delete-task-duration", "0s"}, nil, "delete-task-duration"},
		{"negative delete task duration", nil, []string{"--delete-task-duration", "-5s"}, nil, "delete-task-duration"},
		{"negative deploy duration", nil, []string{"--deploy-duration", "-1s"}, nil, "deploy-duration"},
		{"negative seed users", nil, []string{"--seed-users", "-1"}, nil, "seed-users"},
		{"bad delete task duration in the environment", map[string]string{"FAKEQRADAR_DELETE_TASK_DURATION": "soon"}, nil, nil, "FAKEQRADAR_DELETE_TASK_DURATION"},
		{"bad seed users in the environment", map[string]string{"FAKEQRADAR_SEED_USERS": "many"}, nil, nil, "FAKEQRADAR_SEED_USERS"},
		{"bad boolean in the environment", map[string]string{"FAKEQRADAR_HTTP": "maybe"}, nil, nil, "FAKEQRADAR_HTTP"},
		{"bad log level", nil, []string{"--log-level", "loud"}, nil, "log-level"},
		{"bad profile", nil, []string{"--profile", "strict"}, nil, "profile"},
		{"missing fixtures file", nil, []string{"--fixtures", filepath.Join(dir, "none.json")}, nil, "none.json"},
		{"invalid fixtures file", nil, []string{"--fixtures", badFixtures}, nil, "user_roles"},
		{"tls cert without key", nil, []string{"--tls-cert", filepath.Join(dir, "cert.pem")}, nil, "TLSKeyFile"},
		{"bad address", nil, []string{"--addr", "127.0.0.1:notaport"}, nil, ""},
		{"unwritable CA file", nil, []string{"--ca-out", filepath.Join(dir, "missing-dir", "ca.pem")}, nil, "--ca-out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Already cancelled: a configuration that wrongly passes
			// starts, shuts down at once and returns nil, which fails.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var stdout, stderr syncBuffer
			args := append([]string{"--addr", "127.0.0.1:0"}, tc.args...)
			err := run(ctx, args, env(tc.env), &stdout, &stderr)
			require.Error(t, err)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			assert.Contains(t, err.Error(), tc.msg)
		})
	}

	// An explicit flag wins over a bad environment value.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr syncBuffer
	err := run(ctx, []string{"--addr", "127.0.0.1:0", "--http", "--delete-task-duration", "2s"},
		env(map[string]string{"FAKEQRADAR_DELETE_TASK_DURATION": "soon"}), &stdout, &stderr)
	assert.NoError(t, err)

	// -h prints usage.
	var usage syncBuffer
	err = run(ctx, []string{"-h"}, env(nil), &stdout, &usage)
	assert.ErrorIs(t, err, flag.ErrHelp)
	assert.Contains(t, usage.String(), "Usage: fakeqradar")
	assert.Contains(t, usage.String(), "-delete-task-duration")
}

func TestRunDatabasePersists(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "fake.db")
	const token = "c0ffee00-0000-4000-8000-00000000000c"

	first := start(t, nil, "--http", "--db", db, "--token", token)
	st, raw := first.do("POST", "/api/config/access/users", token, map[string]any{
		"username": "survivor", "email": "survivor@example.com", "password": "Str0ng-Passw0rd",
		"user_role": map[string]any{"id": 2}, "security_profile": map[string]any{"id": 1},
	})
	require.Equal(t, 201, st, "%s", raw)
	id := int64(decode[map[string]any](t, raw)["id"].(float64))
	st, raw = first.do("POST", "/api/config/access/authorized_services", token, map[string]any{"label": "survivor-svc", "user_role_id": 2, "security_profile_id": 1})
	require.Equal(t, 201, st, "%s", raw)
	svcToken := decode[map[string]any](t, raw)["token"].(string)
	require.NoError(t, first.stop())

	// Second run, new random admin token, same file.
	second := start(t, nil, "--http", "--db", db)
	assert.NotEqual(t, token, second.token)
	st, raw = second.do("GET", fmt.Sprintf("/api/config/access/users/%d", id), second.token, nil)
	require.Equal(t, 200, st, "%s", raw)
	assert.Equal(t, "survivor", decode[map[string]any](t, raw)["username"])
	assert.Equal(t, 401, second.status("GET", "/api/config/access/users", token, nil), "the old admin token is replaced")
	assert.Equal(t, 200, second.status("GET", "/api/config/access/user_roles", svcToken, nil))
	require.NoError(t, second.stop())
}

func TestRunCustomFixtures(t *testing.T) {
	t.Parallel()
	seed := filepath.Join(t.TempDir(), "seed.json")
	require.NoError(t, os.WriteFile(seed, []byte(`{
  "user_roles": [
    {"id": 10, "name": "Boss", "capabilities": [{"application_id": 1, "name": "ADMIN", "description": "Administrator"}]},
    {"id": 20, "name": "Viewer", "capabilities": []}
  ],
  "security_profiles": [{"id": 5, "name": "Admin", "domain_ids": []}, {"id": 6, "name": "Everyone", "domain_ids": [0]}],
  "users": [
    {"id": 7, "username": "root", "email": "root@example.com", "user_role_id": 10, "security_profile_id": 5, "password": "Root-Passw0rd!", "default_admin": true},
    {"id": 8, "username": "alice", "email": "alice@example.com", "user_role_id": 20, "security_profile_id": 6, "password": "Alice-Passw0rd!"}
  ],
  "authorized_services": [{"id": 3, "label": "ops", "created_by": "root", "user_role_id": 10, "security_profile_id": 5, "admin_token": true}]
}`), 0o600))

	r := start(t, nil, "--http", "--fixtures", seed)
	st, raw := r.do("GET", "/api/config/access/users", r.token, nil)
	require.Equal(t, 200, st, "%s", raw)
	var names []any
	for _, u := range decode[[]map[string]any](t, raw) {
		names = append(names, u["username"])
	}
	assert.Equal(t, []any{"root", "alice"}, names)

	st, raw = r.do("GET", "/api/config/access/user_roles", r.token, nil)
	require.Equal(t, 200, st, "%s", raw)
	roles := decode[[]map[string]any](t, raw)
	require.Len(t, roles, 2)
	assert.Equal(t, "Boss", roles[0]["name"])

	st, raw = r.do("GET", "/api/config/access/authorized_services", r.token, nil)
	require.Equal(t, 200, st, "%s", raw)
	assert.Equal(t, "ops", decode[[]map[string]any](t, raw)[0]["label"])

	req, err := http.NewRequest("GET", r.url+"/api/config/access/users", nil)
	require.NoError(t, err)
	req.SetBasicAuth("alice", "Alice-Passw0rd!")
	resp, err := r.client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	req.SetBasicAuth("jdoe", "Jdoe-Passw0rd!")
	resp, err = r.client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode, "the default fixtures are not loaded")
	require.NoError(t, r.stop())
}

func TestRunTaskAndSeedOptions(t *testing.T) {
	t.Parallel()
	r := start(t, nil, "--http", "--delete-task-duration", "1m", "--seed-users", "3")
	st, raw := r.do("GET", "/api/config/access/users", r.token, nil)
	require.Equal(t, 200, st, "%s", raw)
	assert.Len(t, decode[[]map[string]any](t, raw), 5, "admin, jdoe and three synthetic users")

	st, raw = r.do("DELETE", "/api/staged_config/access/users/1001", r.token, nil)
	require.Equal(t, 202, st, "%s", raw)
	task := fmt.Sprintf("/api/staged_config/access/user_delete_tasks/%v", decode[map[string]any](t, raw)["id"])

	// The clock is real here; the control plane moves it forward. With a
	// one-minute task, 30 s in it is still running; 61 s later it is done.
	require.Equal(t, 200, r.status("POST", "/_fake/clock", r.token, map[string]any{"advance": "30s"}))
	st, raw = r.do("GET", task, r.token, nil)
	require.Equal(t, 200, st, "%s", raw)
	assert.Equal(t, "PROCESSING", decode[map[string]any](t, raw)["status"])
	require.Equal(t, 200, r.status("POST", "/_fake/clock", r.token, map[string]any{"advance": "31s"}))
	st, raw = r.do("GET", task, r.token, nil)
	require.Equal(t, 200, st, "%s", raw)
	assert.Equal(t, "COMPLETED", decode[map[string]any](t, raw)["status"])
	assert.Equal(t, 404, r.status("GET", "/api/config/access/users/1001", r.token, nil))
	require.NoError(t, r.stop())
}

func TestRunSessionCookies(t *testing.T) {
	t.Parallel()
	p := startProc(t, "--session-cookies")
	req, err := http.NewRequest("GET", p.url+"/api/config/access/users", nil)
	require.NoError(t, err)
	req.SetBasicAuth("jdoe", "Jdoe-Passw0rd!")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Set-Cookie"), "SEC=")

	cfg, err := parseFlags(nil, func(k string) string {
		if k == "FAKEQRADAR_SESSION_COOKIES" {
			return "true"
		}
		return ""
	}, io.Discard)
	require.NoError(t, err)
	assert.True(t, cfg.sessionCookies, "FAKEQRADAR_SESSION_COOKIES")
	cfg, err = parseFlags(nil, func(string) string { return "" }, io.Discard)
	require.NoError(t, err)
	assert.False(t, cfg.sessionCookies, "off by default")
}
