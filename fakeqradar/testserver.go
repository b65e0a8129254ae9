package fakeqradar

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestServer is a Server listening on 127.0.0.1 with TLS for one test, in
// the spirit of httptest.NewTLSServer. It closes itself with t.Cleanup.
type TestServer struct {
	*Server
	url    string
	client *http.Client
}

// NewTestServer starts a fake Console for tb on 127.0.0.1:0 over HTTPS
// (plain HTTP with opts.HTTP). Setup failures fail the test at once.
func NewTestServer(tb testing.TB, opts Options) *TestServer {
	tb.Helper()
	s, err := New(opts)
	if err != nil {
		tb.Fatalf("fakeqradar: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.Close()
		tb.Fatalf("fakeqradar: listen: %v", err)
	}
	ts := &TestServer{Server: s}
	transport := &http.Transport{MaxIdleConnsPerHost: 64, ForceAttemptHTTP2: false}
	scheme := "http"
	if s.tls != nil {
		scheme = "https"
		transport.TLSClientConfig = &tls.Config{RootCAs: s.tls.pool, MinVersion: tls.VersionTLS12}
	}
	ts.url = scheme + "://" + ln.Addr().String()
	ts.client = &http.Client{Transport: transport, Timeout: 30 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Serve(ln)
	}()
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
		<-done
		transport.CloseIdleConnections()
	})
	return ts
}

// URL is the base URL, e.g. "https://127.0.0.1:40123" (the API is under
// URL()+"/api").
func (ts *TestServer) URL() string { return ts.url }

// Client returns an *http.Client that trusts the server's CA.
func (ts *TestServer) Client() *http.Client { return ts.client }
