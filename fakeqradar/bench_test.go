package fakeqradar_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/fakeqradar/fakeqradar/fakeqradar"
)

// benchServer is a plain-HTTP fake with n synthetic users, driven through
// its Handler (no network), so the numbers are the fake's own cost.
func benchServer(b *testing.B, n int) *fakeqradar.Server {
	b.Helper()
	s, err := fakeqradar.New(fakeqradar.Options{HTTP: true, SeedUsers: n, Token: "bench-token"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func benchGet(b *testing.B, h http.Handler, target string, hdr map[string]string) {
	b.Helper()
	req := httptest.NewRequest("GET", target, nil)
	req.Header.Set("SEC", "bench-token")
	req.Header.Set("Version", "26.0")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d: %s", w.Code, w.Body.String())
		}
	}
}

// BenchmarkListFilterSort100k: a filtered, sorted page of 50 over 100,000
// users (issue: query parameters; recorded in docs/benchmarks.md).
func BenchmarkListFilterSort100k(b *testing.B) {
	s := benchServer(b, 100_000)
	v := url.Values{}
	v.Set("filter", `username ilike "user00%" and user_role_id = 3`)
	v.Set("sort", "-username")
	benchGet(b, s.Handler(), "/api/config/access/users?"+v.Encode(), map[string]string{"Range": "items=0-49"})
}

// BenchmarkListPage100k compares the first page with one deep in the list.
func BenchmarkListPage100k(b *testing.B) {
	s := benchServer(b, 100_000)
	for _, rng := range []string{"items=0-49", "items=50000-50049", "items=99950-99999"} {
		b.Run(rng, func(b *testing.B) {
			benchGet(b, s.Handler(), "/api/config/access/users", map[string]string{"Range": rng})
		})
	}
}

// BenchmarkSeed100k measures seeding 100,000 users into a new fake.
func BenchmarkSeed100k(b *testing.B) {
	for b.Loop() {
		start := time.Now()
		s, err := fakeqradar.New(fakeqradar.Options{HTTP: true, SeedUsers: 100_000})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/seed")
		s.Close()
	}
}

// BenchmarkListExactUsername100k: the connector's lookup by username
// (filter=username="…") over 100,000 users, served by the unique index.
func BenchmarkListExactUsername100k(b *testing.B) {
	s := benchServer(b, 100_000)
	v := url.Values{}
	v.Set("filter", `username = "user0054321"`)
	benchGet(b, s.Handler(), "/api/config/access/users?"+v.Encode(), nil)
}
