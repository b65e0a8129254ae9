package fakeqradar_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar"
)

// serve runs s on a loopback listener and returns its base URL and a
// client that trusts its CA.
func serve(t *testing.T, s *fakeqradar.Server) (string, *http.Client, chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(s.CACertPEM()))
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	t.Cleanup(client.CloseIdleConnections)
	return "https://" + ln.Addr().String(), client, done
}

// A request in flight when Shutdown starts is answered before Shutdown
// returns; new connections are refused after. The request sends
// "Expect: 100-continue", so the "100 Continue" proves the handler is
// running (reading the body) before Shutdown is called.
func TestGracefulShutdownFinishesInFlightRequests(t *testing.T) {
	t.Parallel()
	s, err := fakeqradar.New(fakeqradar.Options{})
	require.NoError(t, err)
	base, client, done := serve(t, s)

	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(s.CACertPEM()))
	conn, err := tls.Dial("tcp", strings.TrimPrefix(base, "https://"), &tls.Config{RootCAs: pool})
	require.NoError(t, err)
	defer conn.Close()
	body := `{"username":"inflight","email":"i@example.com","password":"Str0ng-Passw0rd","user_role_id":2,"security_profile_id":1}`
	_, err = fmt.Fprintf(conn, "POST /api/staged_config/access/users HTTP/1.1\r\nHost: x\r\nSEC: %s\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", s.Token(), len(body))
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "HTTP/1.1 100 Continue\r\n", line)
	_, err = br.ReadString('\n') // blank line after the interim response
	require.NoError(t, err)

	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shut <- s.Shutdown(ctx)
	}()
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) while a request was in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	_, err = conn.Write([]byte(body))
	require.NoError(t, err)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 201, resp.StatusCode, "the in-flight create completes")
	require.NoError(t, <-shut)
	assert.ErrorIs(t, <-done, http.ErrServerClosed)
	_, err = client.Get(base + "/_fake/health")
	assert.Error(t, err, "no new connections after shutdown")
}

// A certificate loaded from files is served, and CACertPEM is the PEM a
// client should trust.
func TestTLSCertificateFromFiles(t *testing.T) {
	t.Parallel()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: "own-cert"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	kb, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))

	s, err := fakeqradar.New(fakeqradar.Options{TLSCertFile: certFile, TLSKeyFile: keyFile})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	base, client, _ := serve(t, s)
	resp, err := client.Get(base + "/_fake/health")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "own-cert", resp.TLS.PeerCertificates[0].Subject.CommonName)

	_, err = fakeqradar.New(fakeqradar.Options{TLSCertFile: certFile})
	assert.ErrorContains(t, err, "go together")
	_, err = fakeqradar.New(fakeqradar.Options{TLSCertFile: keyFile, TLSKeyFile: certFile})
	assert.Error(t, err)
}

// TLS below 1.2 is refused.
func TestTLSMinimumVersion(t *testing.T) {
	t.Parallel()
	ts := fakeqradar.NewTestServer(t, fakeqradar.Options{})
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ts.CACertPEM())
	addr := strings.TrimPrefix(ts.URL(), "https://")
	_, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, MaxVersion: tls.VersionTLS11})
	assert.Error(t, err)
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})
	require.NoError(t, err)
	conn.Close()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The request log names method, path and status, never credentials or
// bodies.
func TestLogsCarryNoSecrets(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newConsole(t, func(o *fakeqradar.Options) { o.Logger = logger })
	c.post("/staged_config/access/users", newUser("logged")).is(201)
	svc := c.post("/config/access/authorized_services", map[string]any{"label": "logsvc", "user_role_id": 2, "security_profile_id": 1}).is(201).obj()
	c.do(req{method: "GET", path: "/config/access/users", noAuth: true, header: map[string]string{"Authorization": basic("jdoe", "Jdoe-Passw0rd!")}}).is(200)
	out := buf.String()
	assert.Contains(t, out, "path=/api/staged_config/access/users")
	assert.Contains(t, out, "status=201")
	for _, secret := range []string{c.ts.Token(), svc["token"].(string), "Str0ng-Passw0rd", "Jdoe-Passw0rd!", "amRvZTpKZG9l", "pbkdf2"} {
		assert.NotContains(t, out, secret)
	}
}
