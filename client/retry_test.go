package client_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/client"
)

// failing answers the first n requests with status and then 200.
func failing(n int32, status int, calls *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			writeQRadarError(w, status, 0, "The server is currently unavailable.", "")
			return
		}
		writeJSON(w, 200, map[string]any{"id": 5, "username": "jdoe"})
	}
}

func TestRetry_GETOnTransientStatuses(t *testing.T) {
	t.Parallel()
	for _, status := range []int{502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			c, mux, sl := setup(t)
			var calls atomic.Int32
			mux.HandleFunc("GET /api/config/access/users/5", failing(2, status, &calls))
			u, err := c.Users.Get(context.Background(), 5)
			require.NoError(t, err)
			assert.Equal(t, "jdoe", u.Username)
			assert.Equal(t, int32(3), calls.Load())
			d := sl.recorded()
			require.Len(t, d, 2)
			assert.GreaterOrEqual(t, d[0], 500*time.Millisecond)
			assert.GreaterOrEqual(t, d[1], time.Second, "backoff grows")
		})
	}
}

func TestRetry_GETGivesUpAtTheBound(t *testing.T) {
	t.Parallel()
	c, mux, sl := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("GET /api/config/access/users/5", failing(100, 503, &calls))
	_, err := c.Users.Get(context.Background(), 5)
	require.ErrorIs(t, err, client.ErrUnavailable)
	assert.Equal(t, int32(client.DefaultRetryPolicy().MaxAttempts), calls.Load())
	assert.Len(t, sl.recorded(), client.DefaultRetryPolicy().MaxAttempts-1)
}

func TestRetry_CustomBound(t *testing.T) {
	t.Parallel()
	p := client.DefaultRetryPolicy()
	p.MaxAttempts = 2
	c, mux, _ := setup(t, client.WithRetryPolicy(p))
	var calls atomic.Int32
	mux.HandleFunc("GET /api/config/access/users/5", failing(100, 504, &calls))
	_, err := c.Users.Get(context.Background(), 5)
	require.ErrorIs(t, err, client.ErrUnavailable)
	assert.Equal(t, int32(2), calls.Load())
}

func TestRetry_OtherStatusesAreNotRetried(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("GET /api/config/access/users/5", failing(100, 500, &calls))
	_, err := c.Users.Get(context.Background(), 5)
	require.Error(t, err)
	assert.Equal(t, int32(1), calls.Load())
}

func TestRetry_POSTAndDELETEAreNotRetriedByDefault(t *testing.T) {
	t.Parallel()
	c, mux, sl := setup(t)
	var posts, deletes atomic.Int32
	mux.HandleFunc("POST /api/staged_config/access/users", failing(100, 503, &posts))
	mux.HandleFunc("DELETE /api/staged_config/access/users/5", failing(100, 503, &deletes))
	_, err := c.StagedUsers.Create(context.Background(), client.StagedUserCreate{Username: "jdoe"})
	require.ErrorIs(t, err, client.ErrUnavailable)
	_, err = c.StagedUsers.Delete(context.Background(), 5)
	require.ErrorIs(t, err, client.ErrUnavailable)
	assert.Equal(t, int32(1), posts.Load())
	assert.Equal(t, int32(1), deletes.Load())
	assert.Empty(t, sl.recorded())
}

func TestRetry_POSTWhenOptedIn(t *testing.T) {
	t.Parallel()
	p := client.DefaultRetryPolicy()
	p.RetryNonIdempotent = true
	c, mux, _ := setup(t, client.WithRetryPolicy(p))
	var calls atomic.Int32
	var bodies []map[string]any
	mux.HandleFunc("POST /api/staged_config/access/users", func(w http.ResponseWriter, r *http.Request) {
		bodies = append(bodies, readBody(t, r))
		failing(1, 503, &calls)(w, r)
	})
	_, err := c.StagedUsers.Create(context.Background(), client.StagedUserCreate{Username: "jdoe", UserRoleID: 2, SecurityProfileID: 1})
	require.NoError(t, err)
	assert.Equal(t, int32(2), calls.Load())
	require.Len(t, bodies, 2)
	assert.Equal(t, bodies[0], bodies[1], "the body is sent again in full")
}

// hijackClose drops the connection without answering, like a reset.
func hijackClose(t *testing.T, w http.ResponseWriter) {
	t.Helper()
	conn, _, err := http.NewResponseController(w).Hijack()
	require.NoError(t, err)
	require.NoError(t, conn.Close())
}

func TestRetry_ConnectionReset(t *testing.T) {
	t.Parallel()
	noKeepAlive := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	c, mux, sl := setup(t, client.WithHTTPClient(noKeepAlive))
	var calls atomic.Int32
	mux.HandleFunc("GET /api/config/access/users/5", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			hijackClose(t, w)
			return
		}
		writeJSON(w, 200, map[string]any{"id": 5})
	})
	_, err := c.Users.Get(context.Background(), 5)
	require.NoError(t, err)
	assert.Equal(t, int32(3), calls.Load())
	assert.Len(t, sl.recorded(), 2)
}

func TestRetry_ConnectionResetBound(t *testing.T) {
	t.Parallel()
	noKeepAlive := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	c, mux, _ := setup(t, client.WithHTTPClient(noKeepAlive))
	var calls, posts atomic.Int32
	mux.HandleFunc("GET /api/config/access/users/5", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		hijackClose(t, w)
	})
	mux.HandleFunc("POST /api/config/access/users/5", func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		hijackClose(t, w)
	})
	_, err := c.Users.Get(context.Background(), 5)
	require.Error(t, err)
	assert.Equal(t, int32(client.DefaultRetryPolicy().MaxAttempts), calls.Load())

	_, err = c.Users.Update(context.Background(), 5, client.UserUpdate{Email: new("a@b.c")})
	require.Error(t, err)
	assert.Equal(t, int32(1), posts.Load(), "a POST whose connection dropped is not sent again")
}

func TestRetry_ContextCancelledDuringBackoff(t *testing.T) {
	t.Parallel()
	c, mux, sl := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sl.onSleep = func(int) { cancel() }
	var calls atomic.Int32
	mux.HandleFunc("GET /api/config/access/users/5", failing(100, 503, &calls))
	_, err := c.Users.Get(ctx, 5)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int32(1), calls.Load())
}
