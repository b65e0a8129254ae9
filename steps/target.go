package steps

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/fakeqradar/fakeqradar/client"
	"github.com/fakeqradar/fakeqradar/fakeqradar"
	"github.com/fakeqradar/fakeqradar/fixtures"
)

// newPrefix returns a run-unique name prefix: "ct", 6 random hex digits, "-".
func newPrefix() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return "ct" + hex.EncodeToString(b[:]) + "-"
}

// remote is a Console given by URL, shared by every scenario of a run.
type remote struct {
	base      string
	transport *http.Transport
	// fake: the URL answers /_fake/health like a fakeqradar.
	fake bool
	// control: the fake's control plane accepts the suite's token, so the
	// suite can move its clock and inject faults.
	control bool
}

func newRemote(ctx context.Context, cfg Config) (*remote, error) {
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
	switch {
	case cfg.InsecureSkipVerify:
		tlsCfg.InsecureSkipVerify = true
		fmt.Fprintf(cfg.Log, "WARNING: TLS certificate verification is disabled for %s\n", cfg.URL)
	case cfg.CACertFile != "" || len(cfg.CACertPEM) > 0:
		pool, err := client.CertPool(cfg.CACertPEM, cfg.CACertFile)
		if err != nil {
			return nil, err
		}
		tlsCfg.RootCAs = pool
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tlsCfg
	tr.MaxIdleConnsPerHost = 8
	r := &remote{base: strings.TrimSuffix(strings.TrimSuffix(cfg.URL, "/"), "/api"), transport: tr}
	r.fake = r.answersHealth(ctx)
	if r.fake && cfg.Token != "" {
		_, err := controlCall(ctx, tr, r.base, cfg.Token, http.MethodGet, "/_fake/clock", nil)
		r.control = err == nil
	}
	return r, nil
}

// answersHealth reports whether GET /_fake/health answers {"status":"ok"};
// a real Console answers its HTML error page or 404.
func (r *remote) answersHealth(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+"/_fake/health", nil)
	if err != nil {
		return false
	}
	resp, err := (&http.Client{Transport: r.transport}).Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var h struct{ Status string }
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&h) != nil {
		return false
	}
	return h.Status == "ok"
}

// controlCall sends one request to a fake's control plane (/_fake/…).
func controlCall(ctx context.Context, rt http.RoundTripper, base, token, method, path string, body any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("SEC", token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Transport: rt, Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return b, fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, truncate(string(b), 512))
	}
	return b, nil
}

// conn is one scenario's view of the target.
type conn struct {
	base      string
	transport *http.Transport
	// token, or username and password: the suite's primary credentials.
	token      string
	user, pass string
	// fake and control: see remote. An in-process fake has both; without
	// control, waits take wall-clock time.
	fake, control bool

	server *fakeqradar.Server // in-process fake, else nil
	owned  bool               // the transport belongs to this scenario
}

// startFake starts a fresh in-process fake Console over TLS.
func startFake(now time.Time) (*conn, error) {
	srv, err := fakeqradar.New(fakeqradar.Options{
		Now:    func() time.Time { return now },
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return nil, err
	}
	go func() { _ = srv.Serve(ln) }()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(srv.CACertPEM())
	tr := &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		MaxIdleConnsPerHost: 8,
		IdleConnTimeout:     30 * time.Second,
	}
	user, pass := fixtureAdmin()
	return &conn{
		base: "https://" + ln.Addr().String(), transport: tr, token: srv.Token(),
		user: user, pass: pass, fake: true, control: true, server: srv, owned: true,
	}, nil
}

// fixtureAdmin returns the default administrator's credentials from the
// fake's fixtures.
func fixtureAdmin() (string, string) {
	for _, u := range fixtures.Default().Users {
		if u.DefaultAdmin {
			return u.Username, u.Password
		}
	}
	return "", ""
}

// close stops an in-process fake; a shared remote stays open.
func (c *conn) close() {
	if !c.owned {
		return
	}
	c.transport.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.server.Shutdown(ctx)
}

// sleep is the clients' sleep function: on a fake it advances the fake's
// clock by d (no wall-clock time passes); on a real Console it waits.
func (c *conn) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.control {
		return c.advance(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// advance moves the fake's clock forward by d.
func (c *conn) advance(ctx context.Context, d time.Duration) error {
	if !c.control {
		return errors.New("the Console's clock cannot be moved: not a fake with a reachable control plane")
	}
	if c.server != nil {
		return c.server.Advance(d)
	}
	_, err := controlCall(ctx, c.transport, c.base, c.token, http.MethodPost, "/_fake/clock",
		map[string]int64{"advance_ms": d.Milliseconds()})
	return err
}

// setDeleteTaskOutcome makes the fake end new delete tasks with outcome
// ("" restores COMPLETED).
func (c *conn) setDeleteTaskOutcome(ctx context.Context, outcome string) error {
	if !c.control {
		return errors.New("faults cannot be injected: not a fake with a reachable control plane")
	}
	if c.server != nil {
		return c.server.SetDeleteTaskOutcome(outcome)
	}
	if outcome == "" {
		_, err := controlCall(ctx, c.transport, c.base, c.token, http.MethodDelete, "/_fake/faults", nil)
		return err
	}
	_, err := controlCall(ctx, c.transport, c.base, c.token, http.MethodPost, "/_fake/faults",
		map[string]string{"delete_task_outcome": outcome})
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
