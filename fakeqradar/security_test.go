package fakeqradar_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar"
)

// No token, password or hash appears in any response but the one that
// creates an authorized service, nor in the journal.
func TestNoSecretsInResponsesOrJournal(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	svc := c.post("/config/access/authorized_services", map[string]any{"label": "secret-svc", "user_role_id": 1, "security_profile_id": 3}).is(201).obj()
	token := svc["token"].(string)
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, token)
	c.post("/staged_config/access/users", newUser("secretive")).is(201)
	c.do(req{method: "GET", path: "/config/access/users", noAuth: true, header: map[string]string{"SEC": token}}).is(200)
	c.do(req{method: "GET", path: "/config/access/users", noAuth: true, header: map[string]string{"Authorization": basic("jdoe", "Jdoe-Passw0rd!")}}).is(200)
	c.get("/config/access/users/nope").is(422)
	c.del("/staged_config/access/users/1001").is(202)
	c.post("/config/access/users/1001", map[string]any{"user_role": map[string]any{"id": 3}}).is(200)

	secrets := []string{c.ts.Token(), token, "Str0ng-Passw0rd", "Jdoe-Passw0rd!", "Admin-Passw0rd!", "pbkdf2", "token_hash", "password_hash"}
	for _, path := range []string{
		"/config/access/users", "/staged_config/access/users", "/config/access/authorized_services",
		fmt.Sprintf("/config/access/authorized_services/%v", svc["id"]), "/config/access/users/1001",
		"/staged_config/access/user_delete_tasks/1", "/staged_config/deploy_status", "/help/endpoints", "/_fake/journal", "/_fake/faults", "/_fake/clock",
	} {
		body := string(c.get(path).is(200).Raw)
		for _, s := range secrets {
			assert.NotContains(t, body, s, "%s leaks %q", path, s)
		}
	}
	j := c.ts.Journal()
	require.NotEmpty(t, j)
	var compat, basicSeen bool
	for _, e := range j {
		compat = compat || (e.Compat && e.Path == "/api/config/access/users/1001")
		basicSeen = basicSeen || e.Principal == "jdoe"
		assert.NotContains(t, e.Path, "?", "no query strings in the journal")
	}
	assert.True(t, compat, "a vendor-note body on a documented path is marked in the journal")
	assert.True(t, basicSeen)
}

// A client that trickles its headers is cut off after ReadHeaderTimeout.
func TestSlowHeadersAreCutOff(t *testing.T) {
	t.Parallel()
	ts := fakeqradar.NewTestServer(t, fakeqradar.Options{ReadHeaderTimeout: 300 * time.Millisecond})
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ts.CACertPEM())
	conn, err := tls.Dial("tcp", strings.TrimPrefix(ts.URL(), "https://"), &tls.Config{RootCAs: pool})
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("GET /api/config/access/users HTTP/1.1\r\nHost: x\r\n")) // never finished
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	started := time.Now()
	_, err = io.ReadAll(conn)
	var ne net.Error
	if err != nil && assert.ErrorAs(t, err, &ne) {
		assert.False(t, ne.Timeout(), "the server, not our deadline, ended the connection")
	}
	assert.Less(t, time.Since(started), 5*time.Second)
}

// Only modern cipher suites: a TLS 1.2 client offering only CBC suites is
// refused.
func TestOnlyModernCipherSuites(t *testing.T) {
	t.Parallel()
	ts := fakeqradar.NewTestServer(t, fakeqradar.Options{})
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ts.CACertPEM())
	addr := strings.TrimPrefix(ts.URL(), "https://")
	_, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, MaxVersion: tls.VersionTLS12,
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA}})
	assert.Error(t, err)
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, MaxVersion: tls.VersionTLS12,
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}})
	require.NoError(t, err)
	conn.Close()
}
