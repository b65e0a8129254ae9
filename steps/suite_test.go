package steps_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/client"
	"github.com/fakeqradar/fakeqradar/fakeqradar"
)

// The whole suite passes against a fake given by URL, over TLS with its CA:
// the path a vendor takes with a staging Console. Waits move the fake's
// clock through /_fake/clock, and everything the run created is gone.
func TestSuite_URLTarget(t *testing.T) {
	fake := serve(t, nil)
	out := runSuite(t, withPassword(fake.config(nil)), "")
	assert.Equal(t, 0, out.status, "failures: %v", out.errors)
	assert.Empty(t, out.with("failed"))
	assert.Empty(t, out.with("skipped"))
	assert.GreaterOrEqual(t, len(out.with("passed")), 70)
	require.NoError(t, out.sweepErr)
	assert.Contains(t, out.log, "sweep: nothing named ct")
}

// A deliberately broken fake: the suite fails exactly the scenarios that
// hold the Console to what the broken behaviours violate, and passes the
// rest.
func TestSuite_DetectsABrokenFake(t *testing.T) {
	fake := serve(t, breakFake)
	out := runSuite(t, withPassword(fake.config(nil)), "")
	assert.Equal(t, 1, out.status)
	assert.Equal(t, []string{
		"A role name where the role id belongs is refused",
		"The user stays until the delete task completes",
		"Updating a user with PATCH is refused",
	}, out.with("failed"))
	assert.Empty(t, out.with("skipped"))
	assert.GreaterOrEqual(t, len(out.with("passed")), 70)

	// Failures say what was expected and what the Console answered.
	assert.Contains(t, out.errors["Updating a user with PATCH is refused"], "expected status 405, got 200 (code 0) for PATCH /api/config/access/users/")
	assert.Contains(t, out.errors["A role name where the role id belongs is refused"], "expected status 422, got 400 (code 1005) for POST /api/staged_config/access/users")
	assert.Contains(t, out.errors["A role name where the role id belongs is refused"], `user_role_id must be a user role id`)
	assert.Contains(t, out.errors["The user stays until the delete task completes"], "the deployed user")
	assert.Contains(t, out.errors["The user stays until the delete task completes"], "404")

	// The After hooks cleaned up after failed scenarios too.
	require.NoError(t, out.sweepErr)
	assert.Contains(t, out.log, "sweep: nothing named ct")
}

var (
	deployedUserPath = regexp.MustCompile(`^/api/config/access/users/\d+$`)
	stagedUserPath   = regexp.MustCompile(`^/api/staged_config/access/users/\d+$`)
)

// breakFake wraps a fake's handler so that it (a) accepts PATCH on a
// deployed user, answering 200 and the user; (b) answers 400 instead of 422
// to a role name in user_role_id; (c) deletes users synchronously: once a
// delete is accepted its task has already completed.
func breakFake(srv *fakeqradar.Server, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPatch && deployedUserPath.MatchString(r.URL.Path):
			get := r.Clone(r.Context())
			get.Method, get.Body, get.ContentLength = http.MethodGet, http.NoBody, 0
			h.ServeHTTP(w, get)

		case r.Method == http.MethodPost && r.URL.Path == "/api/staged_config/access/users":
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			var m map[string]any
			_ = json.Unmarshal(body, &m)
			if _, name := m["user_role_id"].(string); !name {
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code == http.StatusUnprocessableEntity {
				var env map[string]any
				_ = json.Unmarshal(rec.Body.Bytes(), &env)
				env["http_response"] = map[string]any{"code": 400, "message": "Invalid syntax for this request was provided."}
				b, _ := json.Marshal(env)
				rec = httptest.NewRecorder()
				rec.Header().Set("Content-Type", "application/json")
				rec.WriteHeader(http.StatusBadRequest)
				rec.Body.Write(b)
			}
			copyResponse(w, rec)

		case r.Method == http.MethodDelete && stagedUserPath.MatchString(r.URL.Path):
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code == http.StatusAccepted {
				if err := srv.Advance(time.Hour); err != nil {
					panic(err)
				}
			}
			copyResponse(w, rec)

		default:
			h.ServeHTTP(w, r)
		}
	})
}

func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// Against a real Console — simulated by a fake whose control plane answers
// like a Console's non-API pages — without QRADAR_ALLOW_WRITES, the suite
// runs only what reads, and skips (not fails) what would write or needs the
// control plane.
func TestSuite_RealConsoleWithoutWrites(t *testing.T) {
	fake := serve(t, func(_ *fakeqradar.Server, h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/_fake/") {
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprint(w, "<!DOCTYPE html><html><body><h1>Application error</h1></body></html>")
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	var log bytes.Buffer
	out := runSuite(t, fake.config(&log), "")
	assert.Equal(t, 0, out.status, "failures: %v", out.errors)
	assert.Empty(t, out.with("failed"))
	passed, skipped := out.with("passed"), out.with("skipped")
	assert.GreaterOrEqual(t, len(passed), 25)
	assert.GreaterOrEqual(t, len(skipped), 40)
	for _, name := range []string{
		"A request without credentials is refused",
		"A deprecated version still answers and says so",
		"Walking the roles one per page yields the whole list once",
		"Roles are listed at the vendor note's path",
	} {
		assert.Contains(t, passed, name)
	}
	for _, name := range []string{
		"An administrator's username and password open the API", // no username and password given
		"A new user is created in staging",                      // @writes
		"The user stays until the delete task completes",        // @fake-only
	} {
		assert.Contains(t, skipped, name)
	}
	require.NoError(t, out.sweepErr)
}

// The final sweep removes what carries the run prefix but was left behind,
// e.g. by a run that was killed before its After hooks ran.
func TestSuite_SweepRemovesLeftovers(t *testing.T) {
	fake := serve(t, nil)
	cfg := fake.config(nil)
	cfg.Prefix = "ctfeed01-"
	c, err := client.New(fake.url, client.WithSECToken(fake.srv.Token()), client.WithCACertPEM(fake.srv.CACertPEM()),
		client.WithSleepFunc(func(_ context.Context, d time.Duration) error { return fake.srv.Advance(d) }))
	require.NoError(t, err)
	ctx := context.Background()
	u, err := c.StagedUsers.Create(ctx, client.StagedUserCreate{Username: "ctfeed01-999-leftover", Email: "l@example.com",
		Password: "Leftover-Passw0rd!", UserRoleID: 3, SecurityProfileID: 1})
	require.NoError(t, err)
	_, err = c.AuthorizedServices.Create(ctx, client.AuthorizedServiceCreate{Label: "ctfeed01-999-svc", UserRoleID: new(int64(3)), SecurityProfileID: new(int64(1))})
	require.NoError(t, err)
	other, err := c.StagedUsers.Create(ctx, client.StagedUserCreate{Username: "ctother-001-keep", Email: "k@example.com",
		Password: "Keep-Passw0rd!", UserRoleID: 3, SecurityProfileID: 1})
	require.NoError(t, err)

	out := runSuite(t, cfg, "@versions")
	assert.Equal(t, 0, out.status, "failures: %v", out.errors)
	require.NoError(t, out.sweepErr)
	assert.Contains(t, out.log, "sweep: removed what scenarios left behind: service ctfeed01-999-svc, user ctfeed01-999-leftover")

	_, err = c.StagedUsers.Get(ctx, u.ID)
	assert.ErrorIs(t, err, client.ErrNotFound)
	_, err = c.AuthorizedServices.ByLabel(ctx, "ctfeed01-999-svc")
	assert.ErrorIs(t, err, client.ErrNotFound)
	_, err = c.StagedUsers.Get(ctx, other.ID)
	assert.NoError(t, err, "another run's objects stay")
}
