package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/client"
)

type result struct {
	code           int
	stdout, stderr string
}

// consoleEnv is the environment pointing qradarctl at console, CA pinned.
func consoleEnv(t *testing.T, console *standIn) map[string]string {
	t.Helper()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, console.CACertPEM(), 0o600))
	return map[string]string{
		"QRADAR_URL":       console.URL,
		"QRADAR_SEC_TOKEN": console.Token,
		"QRADAR_CA_CERT":   ca,
	}
}

func startConsole(t *testing.T) *standIn {
	t.Helper()
	s := newStandIn()
	t.Cleanup(s.Close)
	return s
}

// cli runs qradarctl with env; waits advance the console's clock instead of sleeping.
func cli(t *testing.T, console *standIn, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	var extra []client.Option
	if console != nil {
		extra = append(extra, client.WithSleepFunc(console.Sleep))
	}
	code := runWith(context.Background(), args, func(k string) string { return env[k] }, &stdout, &stderr, extra...)
	return result{code, stdout.String(), stderr.String()}
}

func TestHelpExitsZero(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}, {"users", "list", "-h"}, {"deploy", "-help"}} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr)
		assert.Equal(t, exitOK, code, args)
		assert.Contains(t, stdout.String(), "Exit codes:", args)
		assert.Contains(t, stdout.String(), "users deprovision", args)
		assert.Empty(t, stderr.String(), args)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	console := startConsole(t)
	env := consoleEnv(t, console)
	without := func(keys ...string) map[string]string {
		e := map[string]string{}
		for k, v := range env {
			if !slices.Contains(keys, k) {
				e[k] = v
			}
		}
		return e
	}
	with := func(k, v string) map[string]string {
		e := without()
		e[k] = v
		return e
	}
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no command", env, nil, "Usage:"},
		{"unknown command", env, []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"group without subcommand", env, []string{"users"}, `unknown command "users"`},
		{"unknown subcommand", env, []string{"users", "delete", "x"}, `unknown command "users delete"`},
		{"unknown flag", env, []string{"roles", "list", "-colour"}, "flag provided but not defined: -colour"},
		{"extra argument", env, []string{"roles", "list", "admins"}, "unexpected arguments: admins"},
		{"missing username", env, []string{"users", "get"}, "expected exactly one USERNAME"},
		{"set-role needs two", env, []string{"users", "set-role", "jdoe"}, "needs USERNAME and ROLE"},
		{"provision needs role", env, []string{"users", "provision", "-profile", "Default", "jdoe"}, "needs -role and -profile"},
		{"services create needs label", env, []string{"services", "create"}, "needs -label"},
		{"bad expiry", env, []string{"services", "create", "-label", "x", "-expires", "tomorrow"}, "RFC 3339"},
		{"bad deploy type", env, []string{"deploy", "-type", "PARTIAL"}, "INCREMENTAL or FULL"},
		{"no URL", without("QRADAR_URL"), []string{"roles", "list"}, "no Console URL"},
		{"no credentials", without("QRADAR_SEC_TOKEN"), []string{"roles", "list"}, "no credentials"},
		{"token and basic", with("QRADAR_USERNAME", "admin"), []string{"roles", "list"}, "not both"},
		{"bad output", env, []string{"roles", "list", "-output", "yaml"}, "table or json"},
		{"bad boolean", with("QRADAR_INSECURE_SKIP_VERIFY", "maybe"), []string{"roles", "list"}, "not a boolean"},
		{"bad timeout", with("QRADAR_TIMEOUT", "soon"), []string{"roles", "list"}, "not a duration"},
		{"CA file missing", with("QRADAR_CA_CERT", "/nonexistent/ca.pem"), []string{"roles", "list"}, "reading CA certificate"},
		{"CA and insecure", with("QRADAR_INSECURE_SKIP_VERIFY", "1"), []string{"roles", "list"}, "cannot be combined"},
	}
	for _, tc := range cases {
		r := cli(t, console, tc.env, tc.args...)
		assert.Equal(t, exitUsage, r.code, tc.name)
		assert.Contains(t, r.stderr, tc.want, tc.name)
		assert.Empty(t, r.stdout, tc.name)
	}
	for _, j := range console.Journal() {
		t.Errorf("a usage error sent a request: %s", j)
	}
}

func TestRolesAndProfiles_Table(t *testing.T) {
	t.Parallel()
	console := startConsole(t)
	env := consoleEnv(t, console)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"roles", "list"}, func(k string) string { return env[k] }, &stdout, &stderr)
	require.Equal(t, exitOK, code, stderr.String())
	assert.Equal(t, "ID  NAME     CAPABILITIES\n"+
		"1   Admin    1\n"+
		"2   Analyst  1\n"+
		"3   Reader   1\n", stdout.String())

	r := cli(t, console, env, "profiles", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "ID  NAME      DOMAIN_IDS\n"+
		"1   Admin     0\n"+
		"2   Default   0\n"+
		"3   SOC Team  0\n", r.stdout)
}

func TestRoles_JSON(t *testing.T) {
	t.Parallel()
	console := startConsole(t)
	r := cli(t, console, consoleEnv(t, console), "-output", "json", "roles", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	var roles []client.Role
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &roles))
	require.Len(t, roles, 3)
	assert.Equal(t, "Analyst", roles[1].Name)
}

func TestUsers_ListAndGet(t *testing.T) {
	t.Parallel()
	console := startConsole(t)
	env := consoleEnv(t, console)

	r := cli(t, console, env, "users", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "ID  USERNAME  EMAIL              ROLE_ID  PROFILE_ID  TENANT_ID\n"+
		"1   admin     admin@example.com  1        1           -\n", r.stdout)

	r = cli(t, console, env, "users", "list", "-staged", "-filter", `username="admin"`, "-output", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var users []client.User
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &users))
	require.Len(t, users, 1)

	// Settings may follow the positional argument.
	r = cli(t, console, env, "users", "get", "admin", "-output", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var u client.User
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &u))
	assert.Equal(t, int64(1), u.ID)

	r = cli(t, console, env, "users", "get", "-id", "1")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "username                              admin\n")
	assert.Contains(t, r.stdout, "tenant_id                             -\n")
}

func TestUsers_NotFoundExitCode(t *testing.T) {
	t.Parallel()
	console := startConsole(t)
	env := consoleEnv(t, console)
	r := cli(t, console, env, "users", "get", "ghost")
	assert.Equal(t, exitNotFound, r.code)
	assert.Contains(t, r.stderr, `user "ghost" not found`)

	r = cli(t, console, env, "users", "get", "-id", "999")
	assert.Equal(t, exitNotFound, r.code)
	assert.Contains(t, r.stderr, "HTTP 404 (code 38310001): The deployed user does not exist.")

	r = cli(t, console, env, "users", "provision", "-role", "Root", "-profile", "Default", "x")
	assert.Equal(t, exitNotFound, r.code)
	assert.Contains(t, r.stderr, `user role "Root" not found; available: "Admin", "Analyst", "Reader"`)
}

func TestAuthFailureExitCode(t *testing.T) {
	t.Parallel()
	console := startConsole(t)
	env := consoleEnv(t, console)
	env["QRADAR_SEC_TOKEN"] = "wrong"
	r := cli(t, console, env, "roles", "list")
	assert.Equal(t, exitAuth, r.code)
	assert.Contains(t, r.stderr, "HTTP 401 (code 18)")

	r = cli(t, console, env, "roles", "list", "-output", "json")
	assert.Equal(t, exitAuth, r.code)
	_, jsonPart, ok := strings.Cut(r.stderr, "\n")
	require.True(t, ok, r.stderr)
	var obj map[string]any
	require.NoError(t, json.Unmarshal([]byte(jsonPart), &obj), r.stderr)
	assert.EqualValues(t, 401, obj["http_status"])
	assert.EqualValues(t, 18, obj["code"])
	assert.EqualValues(t, exitAuth, obj["exit_code"])
}

func TestProvisionSetRoleDeprovision(t *testing.T) {
	t.Parallel()
	console := startConsole(t)
	env := consoleEnv(t, console)
	env["QRADAR_NEW_USER_PASSWORD"] = "P@ssw0rd!"

	r := cli(t, console, env, "users", "provision", "-role", "Reader", "-profile", "Default", "-email", "jdoe@example.com", "jdoe")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "username                              jdoe\n")
	assert.Contains(t, r.stdout, "user_role_id                          3\n")
	assert.Regexp(t, `(?m)^waiting: deploy IN_PROGRESS \d+% \(poll 1, \d+ms\)$`, r.stderr)
	assert.Regexp(t, `(?m)^waiting: deploy COMPLETE 100% \(poll \d+, [\d.]+s\)$`, r.stderr)

	r = cli(t, console, env, "users", "provision", "-role", "Reader", "-profile", "Default", "jdoe")
	assert.Equal(t, exitConflict, r.code)
	assert.Contains(t, r.stderr, "code 38302002")

	r = cli(t, console, env, "users", "set-role", "jdoe", "Analyst", "-output", "json", "-quiet")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "waiting:")
	var u client.User
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &u))
	assert.Equal(t, int64(2), u.UserRoleID)

	console.addService("jdoe-ci", "admin")
	console.addService("jdoe-own", "jdoe")
	console.addService("keep", "admin")
	r = cli(t, console, env, "users", "deprovision", "-revoke-label", "jdoe-ci", "-revoke-created", "jdoe")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Regexp(t, `^deleted user jdoe \(id 101\); delete task \d+ COMPLETED\n`+
		`revoked authorized service jdoe-ci \(id \d+\)\n`+
		`revoked authorized service jdoe-own \(id \d+\)\n$`, r.stdout)
	assert.Regexp(t, `(?m)^waiting: user delete task \d+ PROCESSING \(poll 1, \d+ms\)$`, r.stderr)
	assert.Regexp(t, `(?m)^waiting: user delete task \d+ COMPLETED \(poll \d+, [\d.]+s\)$`, r.stderr)

	r = cli(t, console, env, "services", "list", "-output", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var left []client.AuthorizedService
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &left))
	require.Len(t, left, 1)
	assert.Equal(t, "keep", left[0].Label)

	r = cli(t, console, env, "users", "deprovision", "jdoe")
	assert.Equal(t, exitNotFound, r.code)
}

func TestVendorNoteFlag(t *testing.T) {
	t.Parallel()
	console := startConsole(t)
	env := consoleEnv(t, console)
	r := cli(t, console, env, "-vendor-note", "users", "provision", "-role", "Analyst", "-profile", "Default", "-initial-password", "pw", "jsmith")
	require.Equal(t, exitOK, r.code, r.stderr)
	j := console.Journal()
	assert.Contains(t, j, "GET /api/config/access/roles")
	assert.Contains(t, j, "POST /api/config/access/users")
	assert.NotContains(t, j, "POST /api/staged_config/deploy_status")
}

func TestServices(t *testing.T) {
	t.Parallel()
	console := startConsole(t)
	env := consoleEnv(t, console)

	r := cli(t, console, env, "services", "create", "-label", "ci", "-role", "Analyst", "-profile", "Default", "-expires", "2030-01-02T03:04:05Z")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Regexp(t, `(?m)^token\s+0b9f0a4e-token-\d+$`, r.stdout)
	assert.Regexp(t, `(?m)^user_role_id\s+2$`, r.stdout)
	assert.Regexp(t, `(?m)^expiration_date\s+2030-01-02T03:04:05Z$`, r.stdout)
	assert.Contains(t, r.stderr, "never shows it again")

	r = cli(t, console, env, "services", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 2)
	assert.Regexp(t, `^ID\s+LABEL\s+CREATED_BY\s+ROLE_ID\s+PROFILE_ID\s+CREATED\s+EXPIRES\s+LAST_USED$`, lines[0])
	assert.Regexp(t, `^\d+\s+ci\s+admin\s+2\s+2\s+2023-11-14T22:13:20Z\s+2030-01-02T03:04:05Z\s+never$`, lines[1])

	r = cli(t, console, env, "services", "revoke", "cii")
	assert.Equal(t, exitNotFound, r.code)
	assert.Contains(t, r.stderr, `authorized service "cii" not found; available: "ci"`)

	r = cli(t, console, env, "services", "revoke", "ci")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Regexp(t, `^revoked authorized service ci \(id \d+\)\n$`, r.stdout)

	r = cli(t, console, env, "services", "revoke", "-id", "4242")
	assert.Equal(t, exitNotFound, r.code)
	assert.Contains(t, r.stderr, "code 95105001")
}

func TestDeploy(t *testing.T) {
	t.Parallel()
	console := startConsole(t)
	env := consoleEnv(t, console)

	r := cli(t, console, env, "deploy")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, "nothing to deploy, or a deploy is already running")
	assert.Equal(t, "deploy COMPLETE (100%)\n", r.stdout)

	// Stage a change without deploying it, then deploy from the command line.
	c, err := client.New(console.URL, client.WithSECToken(console.Token), client.WithCACertPEM(console.CACertPEM()))
	require.NoError(t, err)
	_, err = c.StagedUsers.Update(context.Background(), 1, client.StagedUserUpdate{UserRoleID: new(int64(2))})
	require.NoError(t, err)

	r = cli(t, console, env, "deploy", "-output", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var st client.DeployStatus
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &st))
	assert.Equal(t, client.DeployComplete, st.Status)
	assert.Contains(t, r.stderr, "waiting: deploy IN_PROGRESS")
}

func TestTLS(t *testing.T) {
	t.Parallel()
	console := startConsole(t)
	env := consoleEnv(t, console)
	delete(env, "QRADAR_CA_CERT")

	r := cli(t, console, env, "roles", "list")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "certificate")

	env["QRADAR_INSECURE_SKIP_VERIFY"] = "1"
	r = cli(t, console, env, "roles", "list")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, "verification is disabled")
}

func TestParseInterspersed(t *testing.T) {
	t.Parallel()
	fs := newFlagSet("t")
	v := fs.Bool("v", false, "")
	pos, err := parseInterspersed(fs, []string{"a", "-v", "b", "--", "-c", "d"})
	require.NoError(t, err)
	assert.True(t, *v)
	assert.Equal(t, []string{"a", "b", "-c", "d"}, pos)
}
