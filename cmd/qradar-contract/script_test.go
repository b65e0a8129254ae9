package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runScript runs scripts/contract-against.sh from the repository root with
// its reports in a temporary directory.
func runScript(t *testing.T, args ...string) (status int, reports string, stdout, stderr *bytes.Buffer) {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	reports = t.TempDir()
	cmd := exec.CommandContext(ctx, "bash", append([]string{filepath.Join(root, "scripts", "contract-against.sh"), "--no-colors"}, args...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "REPORTS_DIR="+reports)
	if raceEnabled {
		// Build the binaries the way this test was built, so that the go
		// command reuses the packages it already compiled (modernc's SQLite
		// takes minutes to compile from scratch on a small machine).
		cmd.Env = append(cmd.Env, "GOFLAGS=-race")
	}
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), reports, stdout, stderr
	case err != nil:
		t.Fatalf("running the script: %v\n%s", err, stderr)
	}
	return 0, reports, stdout, stderr
}

// The script proves the URL path end to end: the standalone fake over real
// TLS, qradar-contract pointed at its URL with its CA, reports written, the
// suite's status passed through.
func TestContractAgainstScript(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binaries; skipped with -short")
	}
	status, reports, stdout, stderr := runScript(t)
	require.Equal(t, 0, status, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	assert.Contains(t, stderr.String(), "fakeqradar is up at https://127.0.0.1:")
	assert.Contains(t, stderr.String(), "a fakeqradar: waits move its clock")
	assert.Contains(t, stderr.String(), "was left behind")
	assert.NotContains(t, stderr.String(), "skipped")
	report := readJUnit(t, filepath.Join(reports, "contract.xml"))
	assert.GreaterOrEqual(t, report.Tests, 70)
	assert.Zero(t, report.Failures)
	assert.FileExists(t, filepath.Join(reports, "contract.json"))

	// A failing run fails the script.
	status, reports, _, stderr = runScript(t, "--tags", "@provisioning", "--role", "No Such Role")
	assert.Equal(t, 1, status, "stderr:\n%s", stderr)
	assert.Equal(t, junitReport{Tests: 3, Failures: 3}, readJUnit(t, filepath.Join(reports, "contract.xml")))
}
