package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/client"
)

// Unit tests that need a server but not the fake Console use setup: a bare
// httptest server with per-test handlers. They need what the fake cannot give:
// injected 502/503/504 answers, dropped connections, hung or malformed responses,
// shapes no Console sends (no Content-Range, 204 without a body, unknown
// statuses), or a look at the exact request the client sent. Everything else runs
// against the fake (integration_test.go, example_test.go).

// basePath is where the test Console is mounted, so a client that builds URLs from
// the host instead of the base URL fails.
const basePath = "/console"

// setup starts an httptest server whose mux serves the Console's /api under basePath
// and returns a client for it. Waits and retries never sleep; the delays they ask for
// are recorded in the returned sleeper.
func setup(t *testing.T, opts ...client.Option) (*client.Client, *http.ServeMux, *sleeper) {
	t.Helper()
	mux := http.NewServeMux()
	outer := http.NewServeMux()
	outer.Handle(basePath+"/", http.StripPrefix(basePath, mux))
	outer.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base path: %s %s", r.Method, r.URL.Path)
		http.Error(w, "outside base path", http.StatusTeapot)
	})
	srv := httptest.NewServer(outer)
	t.Cleanup(srv.Close)
	sl := &sleeper{}
	all := append([]client.Option{client.WithSECToken("test-token"), client.WithSleepFunc(sl.sleep)}, opts...)
	c, err := client.New(srv.URL+basePath, all...)
	require.NoError(t, err)
	return c, mux, sl
}

// sleeper records requested delays instead of sleeping.
type sleeper struct {
	mu     sync.Mutex
	delays []time.Duration
	// onSleep, if set, runs on every sleep (e.g. to cancel a context).
	onSleep func(n int)
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	s.delays = append(s.delays, d)
	n := len(s.delays)
	f := s.onSleep
	s.mu.Unlock()
	if f != nil {
		f(n)
	}
	return ctx.Err()
}

func (s *sleeper) recorded() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.delays...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeQRadarError writes QRadar's error envelope.
func writeQRadarError(w http.ResponseWriter, status, code int, message, description string) {
	writeJSON(w, status, map[string]any{
		"http_response": map[string]any{"code": status, "message": http.StatusText(status)},
		"code":          code,
		"description":   description,
		"details":       map[string]any{},
		"message":       message,
	})
}

func readBody(t *testing.T, r *http.Request) map[string]any {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m), "body %q", b)
	return m
}

// parseRange reads "Range: items=x-y".
func parseRange(t *testing.T, r *http.Request) (int, int) {
	t.Helper()
	var a, b int
	_, err := fmt.Sscanf(r.Header.Get("Range"), "items=%d-%d", &a, &b)
	require.NoError(t, err, "Range %q", r.Header.Get("Range"))
	return a, b
}

// servePages serves n items {"id":i} honouring Range the way a Console does.
func servePages(t *testing.T, n int, contentRange bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		first, last := parseRange(t, r)
		items := []map[string]int{}
		for i := first; i <= last && i < n; i++ {
			items = append(items, map[string]int{"id": i})
		}
		if contentRange {
			if len(items) == 0 {
				w.Header().Set("Content-Range", fmt.Sprintf("items */%d", n))
			} else {
				w.Header().Set("Content-Range", fmt.Sprintf("items %d-%d/%d", first, first+len(items)-1, n))
			}
		}
		writeJSON(w, http.StatusOK, items)
	}
}
