package client_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/client"
)

func TestHeaders_SECVersionAcceptRange(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t, client.WithUserAgent("qradar-test/1"))
	var got http.Header
	mux.HandleFunc("GET /api/config/access/users", func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Header().Set("Content-Range", "items */0")
		writeJSON(w, 200, []any{})
	})
	_, _, err := c.Users.ListPage(context.Background(), 100, &client.ListOptions{PageSize: 25})
	require.NoError(t, err)
	assert.Equal(t, "test-token", got.Get("SEC"))
	assert.Empty(t, got.Get("Authorization"))
	assert.Equal(t, client.DefaultVersion, got.Get("Version"))
	assert.Equal(t, "26.0", got.Get("Version"))
	assert.Equal(t, "application/json", got.Get("Accept"))
	assert.Equal(t, "items=100-124", got.Get("Range"))
	assert.Equal(t, "qradar-test/1", got.Get("User-Agent"))
	assert.Empty(t, got.Get("Content-Type"), "no Content-Type without a body")
}

func TestHeaders_BasicAuthAndCustomVersion(t *testing.T) {
	t.Parallel()
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		assert.Equal(t, "/api/config/access/users/7", r.URL.Path)
		writeJSON(w, 200, map[string]any{"id": 7, "username": "jdoe"})
	}))
	t.Cleanup(srv.Close)
	// A base URL ending in /api is accepted.
	c, err := client.New(srv.URL+"/api/", client.WithBasicAuth("admin", "s3cret:x"), client.WithVersion("21.0"))
	require.NoError(t, err)
	u, err := c.Users.Get(context.Background(), 7)
	require.NoError(t, err)
	assert.Equal(t, "jdoe", u.Username)
	assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte("admin:s3cret:x")), got.Get("Authorization"))
	assert.Empty(t, got.Get("SEC"))
	assert.Equal(t, "21.0", got.Get("Version"))
	assert.Equal(t, "application/json", got.Get("Accept"))
	assert.Empty(t, got.Get("Range"), "single-object GETs carry no Range")
}

func TestHeaders_ContentTypeOnJSONBodies(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /api/config/access/users/3", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Equal(t, "26.0", r.Header.Get("Version"))
		writeJSON(w, 200, map[string]any{"id": 3})
	})
	_, err := c.Users.Update(context.Background(), 3, client.UserUpdate{Email: new("x@example.com")})
	require.NoError(t, err)
}

func TestNew_RejectsBadOptions(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		url  string
		opts []client.Option
	}{
		"no scheme":             {"qradar.example.com", nil},
		"ftp scheme":            {"ftp://qradar", nil},
		"no host":               {"https://", nil},
		"token and basic":       {"https://q", []client.Option{client.WithSECToken("t"), client.WithBasicAuth("u", "p")}},
		"empty token":           {"https://q", []client.Option{client.WithSECToken("")}},
		"empty version":         {"https://q", []client.Option{client.WithVersion(" ")}},
		"CA and insecure":       {"https://q", []client.Option{client.WithCACertPEM([]byte("x")), client.WithInsecureSkipVerify()}},
		"CA without PEM":        {"https://q", []client.Option{client.WithCACertPEM([]byte("not a certificate"))}},
		"CA file missing":       {"https://q", []client.Option{client.WithCACertFile("/nonexistent/ca.pem")}},
		"zero concurrency":      {"https://q", []client.Option{client.WithMaxConcurrentRequests(0)}},
		"zero retry attempts":   {"https://q", []client.Option{client.WithRetryPolicy(client.RetryPolicy{})}},
		"custom transport + CA": {"https://q", []client.Option{client.WithHTTPClient(&http.Client{Transport: roundTripFunc(nil)}), client.WithInsecureSkipVerify()}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := client.New(tc.url, tc.opts...)
			assert.Error(t, err)
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestMaxConcurrentRequests(t *testing.T) {
	t.Parallel()
	var inFlight, peak atomic.Int32
	entered := make(chan struct{})
	release := make(chan struct{})
	c, mux, _ := setup(t, client.WithMaxConcurrentRequests(2))
	mux.HandleFunc("GET /api/config/access/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		entered <- struct{}{}
		<-release
		inFlight.Add(-1)
		writeJSON(w, 200, map[string]any{"id": 1})
	})
	const calls = 6
	var wg sync.WaitGroup
	for range calls {
		wg.Go(func() {
			_, err := c.Users.Get(context.Background(), 1)
			assert.NoError(t, err)
		})
	}
	for range calls {
		<-entered
		release <- struct{}{}
	}
	wg.Wait()
	assert.LessOrEqual(t, peak.Load(), int32(2))
}

func TestTimeoutBoundsEachAttempt(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t, client.WithTimeout(50*time.Millisecond), client.WithRetryPolicy(client.NoRetry()))
	mux.HandleFunc("GET /api/config/access/users/1", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers; the client gives up
	})
	_, err := c.Users.Get(context.Background(), 1)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
}

func TestCertPool(t *testing.T) {
	_, err := client.CertPool([]byte("not a certificate"), "")
	assert.ErrorContains(t, err, "no PEM certificate found")
	_, err = client.CertPool(nil, "/nonexistent/ca.pem")
	assert.ErrorContains(t, err, "reading CA certificate")
}
