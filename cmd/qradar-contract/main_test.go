package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/fakeqradar"
	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

func TestMain(m *testing.M) {
	// The fakes in this test binary hash passwords deliberately slowly.
	store.PasswordIterations = inProcessPasswordIterations
	os.Exit(m.Run())
}

func noEnv(string) string { return "" }

func TestRun_Help(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, exitOK, run(context.Background(), []string{"-h"}, noEnv, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "Usage: qradar-contract")
	assert.Contains(t, stderr.String(), "QRADAR_SEC_TOKEN")
}

func TestRun_UsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown flag", []string{"--nope"}, nil, "flag provided but not defined"},
		{"stray argument", []string{"extra"}, nil, "unexpected arguments: extra"},
		{"URL without credentials", []string{"--url", "https://127.0.0.1:1"}, nil, "QRADAR_URL needs QRADAR_SEC_TOKEN"},
		{"CA and insecure", []string{"--url", "https://127.0.0.1:1", "--token", "t", "--ca-cert", "x.pem", "--insecure-skip-verify"}, nil, "cannot be combined"},
		{"bad boolean in the environment", nil, map[string]string{"QRADAR_ALLOW_WRITES": "sure"}, "QRADAR_ALLOW_WRITES"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			getenv := func(k string) string { return tc.env[k] }
			assert.Equal(t, exitUsage, run(context.Background(), tc.args, getenv, &stdout, &stderr))
			assert.Contains(t, stderr.String(), tc.want)
		})
	}
}

// Without --url the embedded features run against in-process fakes.
func TestRun_InProcess(t *testing.T) {
	var stdout, stderr bytes.Buffer
	status := run(context.Background(), []string{"--tags", "@versions", "--format", "progress"}, noEnv, &stdout, &stderr)
	assert.Equal(t, exitOK, status, "stdout:\n%s\nstderr:\n%s", &stdout, &stderr)
	assert.Contains(t, stdout.String(), "6 scenarios (6 passed)")
	assert.Contains(t, stderr.String(), "in-process fake")
}

// junitReport is the top of godog's JUnit XML.
type junitReport struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
}

func readJUnit(t *testing.T, path string) junitReport {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var r junitReport
	require.NoError(t, xml.Unmarshal(b, &r))
	return r
}

// Against a URL, with the CA from a file, the binary writes every report
// format asked for in one run and exits 1 when a scenario fails.
func TestRun_URLWithReports(t *testing.T) {
	srv, err := fakeqradar.New(fakeqradar.Options{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	hs := httptest.NewUnstartedServer(srv.Handler())
	hs.TLS = srv.TLSConfig()
	hs.StartTLS()
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(ca, srv.CACertPEM(), 0o600))
	env := map[string]string{"QRADAR_URL": hs.URL, "QRADAR_SEC_TOKEN": srv.Token(), "QRADAR_CA_CERT": ca}
	getenv := func(k string) string { return env[k] }

	reports := filepath.Join(dir, "reports")
	var stdout, stderr bytes.Buffer
	status := run(context.Background(), []string{
		"--tags", "@auth,@services",
		"--format", "pretty,cucumber:" + filepath.Join(reports, "c.json") + ",junit:" + filepath.Join(reports, "j.xml"),
	}, getenv, &stdout, &stderr)
	assert.Equal(t, exitOK, status, "stdout:\n%s\nstderr:\n%s", &stdout, &stderr)
	assert.Contains(t, stdout.String(), "Feature: Authentication")
	assert.Contains(t, stderr.String(), "a fakeqradar: waits move its clock")
	assert.Contains(t, stderr.String(), "skipped 1 scenario(s): the suite has no administrator username and password")
	assert.FileExists(t, filepath.Join(reports, "c.json"))
	assert.Equal(t, junitReport{Tests: 10}, readJUnit(t, filepath.Join(reports, "j.xml")))

	stdout.Reset()
	stderr.Reset()
	status = run(context.Background(), []string{
		"--tags", "@provisioning", "--role", "No Such Role", "--format", "progress,junit:" + filepath.Join(reports, "fail.xml"),
	}, getenv, &stdout, &stderr)
	assert.Equal(t, exitFailure, status)
	assert.Contains(t, stderr.String(), "FAILED")
	assert.Equal(t, junitReport{Tests: 3, Failures: 3}, readJUnit(t, filepath.Join(reports, "fail.xml")))
}
