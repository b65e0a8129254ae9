package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fakeqradar/fakeqradar/client"
	"github.com/fakeqradar/fakeqradar/fakeqradar"
	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
)

// The command runs against the project's fake Console (package fakeqradar)
// in-process over TLS, with the fake's CA pinned through QRADAR_CA_CERT. The
// fake's clock is frozen at fakeStart; waits advance it instead of sleeping.

func TestMain(m *testing.M) {
	// The fake hashes passwords deliberately slowly; these tests create users.
	store.PasswordIterations = 1000
	os.Exit(m.Run())
}

// fakeStart is the fake's frozen clock: the wall-clock time the tests started,
// because the fake dates its TLS certificate from its own clock.
var fakeStart = time.Now().UTC().Truncate(time.Second)

const adminServiceLabel = "fakeqradar-admin" // the fixtures' admin token belongs to it

type console struct {
	*fakeqradar.TestServer
	log *requestLog
}

func startConsole(t *testing.T) *console {
	t.Helper()
	log := &requestLog{}
	ts := fakeqradar.NewTestServer(t, fakeqradar.Options{
		Now:    func() time.Time { return fakeStart },
		Logger: slog.New(log),
	})
	return &console{TestServer: ts, log: log}
}

// sleep advances the fake's clock by d instead of waiting.
func (c *console) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return c.Advance(d)
}

// requestLog is a slog.Handler that keeps the fake's "METHOD /path" request lines.
type requestLog struct {
	mu   sync.Mutex
	reqs []string
}

func (l *requestLog) Enabled(context.Context, slog.Level) bool { return true }

func (l *requestLog) Handle(_ context.Context, r slog.Record) error {
	var method, path string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "method":
			method = a.Value.String()
		case "path":
			path = a.Value.String()
		}
		return true
	})
	l.mu.Lock()
	l.reqs = append(l.reqs, method+" "+path)
	l.mu.Unlock()
	return nil
}

func (l *requestLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *requestLog) WithGroup(string) slog.Handler      { return l }

func (l *requestLog) entries() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.reqs)
}

type result struct {
	code           int
	stdout, stderr string
}

// consoleEnv is the environment pointing qradarctl at console with the admin
// token, CA pinned.
func consoleEnv(t *testing.T, con *console) map[string]string {
	t.Helper()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, con.CACertPEM(), 0o600))
	return map[string]string{
		"QRADAR_URL":       con.URL(),
		"QRADAR_SEC_TOKEN": con.Token(),
		"QRADAR_CA_CERT":   ca,
	}
}

// basicEnv is env with Basic credentials instead of the token.
func basicEnv(env map[string]string, user, password string) map[string]string {
	e := maps.Clone(env)
	delete(e, "QRADAR_SEC_TOKEN")
	e["QRADAR_USERNAME"], e["QRADAR_PASSWORD"] = user, password
	return e
}

// cli runs qradarctl with env; waits advance the console's clock instead of sleeping.
func cli(t *testing.T, con *console, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runWith(context.Background(), args, func(k string) string { return env[k] }, &stdout, &stderr,
		client.WithSleepFunc(con.sleep))
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
	con := startConsole(t)
	env := consoleEnv(t, con)
	without := func(keys ...string) map[string]string {
		e := maps.Clone(env)
		for _, k := range keys {
			delete(e, k)
		}
		return e
	}
	with := func(k, v string) map[string]string {
		e := maps.Clone(env)
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
		{"provision needs role", env, []string{"users", "provision", "-profile", "Default", "-email", "a@example.com", "asmith"}, "needs -role, -profile and -email"},
		{"provision needs email", env, []string{"users", "provision", "-role", "Reader", "-profile", "Default", "asmith"}, "needs -role, -profile and -email"},
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
		r := cli(t, con, tc.env, tc.args...)
		assert.Equal(t, exitUsage, r.code, tc.name)
		assert.Contains(t, r.stderr, tc.want, tc.name)
		assert.Empty(t, r.stdout, tc.name)
	}
	assert.Empty(t, con.log.entries(), "a usage error sends no request")
}

func TestRolesAndProfiles_Table(t *testing.T) {
	t.Parallel()
	con := startConsole(t)
	env := consoleEnv(t, con)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"roles", "list"}, func(k string) string { return env[k] }, &stdout, &stderr)
	require.Equal(t, exitOK, code, stderr.String())
	assert.Equal(t, "ID  NAME     CAPABILITIES\n"+
		"1   Admin    4\n"+
		"2   Analyst  3\n"+
		"3   Reader   1\n", stdout.String())
	assert.Empty(t, stderr.String())

	r := cli(t, con, env, "profiles", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "ID  NAME      DOMAIN_IDS\n"+
		"1   Default   0\n"+
		"2   SOC Team  0,1\n"+
		"3   Admin     0\n", r.stdout)
}

func TestRolesAndProfiles_JSON(t *testing.T) {
	t.Parallel()
	con := startConsole(t)
	env := consoleEnv(t, con)
	r := cli(t, con, env, "-output", "json", "roles", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	var roles []client.Role
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &roles))
	require.Len(t, roles, 3)
	assert.Equal(t, "Analyst", roles[1].Name)
	assert.Len(t, roles[1].Capabilities, 3)

	r = cli(t, con, env, "profiles", "list", "-output", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var profiles []client.SecurityProfile
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &profiles))
	require.Len(t, profiles, 3)
	assert.Equal(t, client.SecurityProfile{ID: 2, Name: "SOC Team", DomainIDs: []int64{0, 1}}, profiles[1])
}

func TestUsers_ListAndGet(t *testing.T) {
	t.Parallel()
	con := startConsole(t)
	env := consoleEnv(t, con)

	r := cli(t, con, env, "users", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "ID    USERNAME  EMAIL              ROLE_ID  PROFILE_ID  TENANT_ID\n"+
		"1     admin     admin@example.com  1        3           -\n"+
		"1001  jdoe      jdoe@example.com   2        1           -\n", r.stdout)

	r = cli(t, con, env, "users", "list", "-page-size", "1", "-output", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var users []client.User
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &users))
	require.Len(t, users, 2, "pages of one")
	assert.Equal(t, "jdoe", users[1].Username)
	assert.Equal(t, 3, count(con.log.entries(), "GET /api/config/access/users"), "one page per user (and the first list)")

	// Settings may follow the positional argument.
	r = cli(t, con, env, "users", "get", "admin", "-output", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var u client.User
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &u))
	assert.Equal(t, int64(1), u.ID)
	assert.Equal(t, int64(3), u.SecurityProfileID)

	r = cli(t, con, env, "users", "get", "-id", "1001")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "username                              jdoe\n")
	assert.Contains(t, r.stdout, "description                           John Doe\n")
	assert.Contains(t, r.stdout, "tenant_id                             -\n")
	assert.Contains(t, r.stdout, "locale_id                             en_US\n")
	assert.Contains(t, r.stdout, "password_creation_time                "+fakeStart.Format(time.RFC3339)+"\n")

	r = cli(t, con, env, "users", "get", "-staged", "jdoe")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "id                                    1001\n")

	// -filter and -sort are passed to the Console, which applies them.
	t.Run("filter", func(t *testing.T) {
		r := cli(t, con, env, "users", "list", "-staged", "-filter", `username="admin"`, "-output", "json")
		require.Equal(t, exitOK, r.code, r.stderr)
		var users []client.User
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &users))
		require.Len(t, users, 1)
		assert.Equal(t, "admin", users[0].Username)
	})
	t.Run("sort", func(t *testing.T) {
		r := cli(t, con, env, "users", "list", "-sort", "-id", "-output", "json")
		require.Equal(t, exitOK, r.code, r.stderr)
		var users []client.User
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &users))
		require.Len(t, users, 2)
		assert.Equal(t, "jdoe", users[0].Username)
	})
}

func count(reqs []string, want string) int {
	n := 0
	for _, r := range reqs {
		if r == want {
			n++
		}
	}
	return n
}

func TestUsers_NotFoundExitCode(t *testing.T) {
	t.Parallel()
	con := startConsole(t)
	env := consoleEnv(t, con)
	r := cli(t, con, env, "users", "get", "ghost")
	assert.Equal(t, exitNotFound, r.code)
	assert.Contains(t, r.stderr, `user "ghost" not found`)

	r = cli(t, con, env, "users", "get", "-id", "999")
	assert.Equal(t, exitNotFound, r.code)
	assert.Contains(t, r.stderr, "HTTP 404 (code 38310001): The deployed user does not exist.")

	r = cli(t, con, env, "users", "provision", "-role", "Root", "-profile", "Default", "-email", "x@example.com", "x")
	assert.Equal(t, exitNotFound, r.code)
	assert.Contains(t, r.stderr, `user role "Root" not found; available: "Admin", "Analyst", "Reader"`)

	r = cli(t, con, env, "users", "provision", "-role", "Reader", "-profile", "SOC", "-email", "x@example.com", "x")
	assert.Equal(t, exitNotFound, r.code)
	assert.Contains(t, r.stderr, `security profile "SOC" not found; available: "Admin", "Default", "SOC Team"`)
}

func TestAuthFailureExitCode(t *testing.T) {
	t.Parallel()
	con := startConsole(t)
	env := consoleEnv(t, con)
	bad := maps.Clone(env)
	bad["QRADAR_SEC_TOKEN"] = "00000000-0000-4000-8000-000000000000"
	r := cli(t, con, bad, "roles", "list")
	assert.Equal(t, exitAuth, r.code)
	assert.Contains(t, r.stderr, "HTTP 401 (code 18)")
	assert.Empty(t, r.stdout)

	r = cli(t, con, bad, "roles", "list", "-output", "json")
	assert.Equal(t, exitAuth, r.code)
	_, jsonPart, ok := strings.Cut(r.stderr, "\n")
	require.True(t, ok, r.stderr)
	var obj map[string]any
	require.NoError(t, json.Unmarshal([]byte(jsonPart), &obj), r.stderr)
	assert.EqualValues(t, 401, obj["http_status"])
	assert.EqualValues(t, 18, obj["code"])
	assert.EqualValues(t, exitAuth, obj["exit_code"])

	// jdoe (Analyst) may sign in but not manage users.
	jdoe := basicEnv(env, "jdoe", "Jdoe-Passw0rd!")
	r = cli(t, con, jdoe, "users", "list", "-staged")
	assert.Equal(t, exitAuth, r.code)
	assert.Contains(t, r.stderr, "HTTP 403 (code 26): User has insufficient capabilities to access this endpoint resource")
	r = cli(t, con, jdoe, "users", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Regexp(t, `(?s)^ID\s+USERNAME.*\n1001\s+jdoe\s+jdoe@example.com\s+2\s+1\s+-\n$`, r.stdout, "itself only")

	r = cli(t, con, basicEnv(env, "jdoe", "wrong"), "roles", "list")
	assert.Equal(t, exitAuth, r.code)
}

func TestProvisionSetRoleDeprovision(t *testing.T) {
	t.Parallel()
	for _, vendorNote := range []bool{false, true} {
		name := "documented"
		if vendorNote {
			name = "vendor-note"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			con := startConsole(t)
			env := consoleEnv(t, con)
			env["QRADAR_NEW_USER_PASSWORD"] = "Jsmith-Passw0rd!"
			if vendorNote {
				env["QRADAR_VENDOR_NOTE"] = "1"
			}

			// jsmith is an administrator, so it can create an authorized service of its own.
			r := cli(t, con, env, "users", "provision", "-role", "Admin", "-profile", "Admin", "-email", "jsmith@example.com", "-description", "J. Smith", "jsmith")
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.Regexp(t, `(?m)^username\s+jsmith$`, r.stdout)
			assert.Regexp(t, `(?m)^user_role_id\s+1$`, r.stdout)
			assert.Regexp(t, `(?m)^security_profile_id\s+3$`, r.stdout)
			assert.Regexp(t, `(?m)^description\s+J. Smith$`, r.stdout)
			if vendorNote {
				assert.NotContains(t, r.stderr, "waiting:", "created and deployed at once")
			} else {
				assert.Regexp(t, `(?m)^waiting: deploy IN_PROGRESS \d+% \(poll 1, \d+ms\)$`, r.stderr)
				assert.Regexp(t, `(?m)^waiting: deploy COMPLETE 100% \(poll \d+, [\d.]+s\)$`, r.stderr)
			}

			r = cli(t, con, env, "users", "provision", "-role", "Reader", "-profile", "Default", "-email", "j@example.com", "jsmith")
			assert.Equal(t, exitConflict, r.code)
			assert.Contains(t, r.stderr, "HTTP 409 (code 38302002)")

			r = cli(t, con, basicEnv(env, "jsmith", "Jsmith-Passw0rd!"),
				"services", "create", "-label", "jsmith-own", "-role", "Reader", "-profile", "Default")
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.Regexp(t, `(?m)^created_by\s+jsmith$`, r.stdout)
			for _, label := range []string{"jsmith-ci", "keep"} {
				r = cli(t, con, env, "services", "create", "-label", label, "-role", "Reader", "-profile", "Default")
				require.Equal(t, exitOK, r.code, r.stderr)
			}

			r = cli(t, con, env, "users", "set-role", "jsmith", "Analyst", "-output", "json", "-quiet")
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.NotContains(t, r.stderr, "waiting:")
			var u client.User
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &u))
			assert.Equal(t, int64(2), u.UserRoleID)
			r = cli(t, con, env, "users", "get", "jsmith")
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.Regexp(t, `(?m)^user_role_id\s+2$`, r.stdout, "deployed")

			r = cli(t, con, env, "users", "deprovision", "-revoke-label", "jsmith-ci", "-revoke-created", "jsmith")
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.Regexp(t, `^deleted user jsmith \(id \d+\); delete task \d+ COMPLETED\n`+
				`revoked authorized service jsmith-ci \(id \d+\)\n`+
				`revoked authorized service jsmith-own \(id \d+\)\n$`, r.stdout)
			assert.Regexp(t, `(?m)^waiting: user delete task \d+ QUEUED \(poll 1, \d+ms\)$`, r.stderr)
			assert.Regexp(t, `(?m)^waiting: user delete task \d+ PROCESSING \(poll \d, [\d.]+m?s\)$`, r.stderr)
			assert.Regexp(t, `(?m)^waiting: user delete task \d+ COMPLETED \(poll \d+, [\d.]+s\)$`, r.stderr)

			r = cli(t, con, env, "services", "list", "-output", "json")
			require.Equal(t, exitOK, r.code, r.stderr)
			var left []client.AuthorizedService
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &left))
			var labels []string
			for _, s := range left {
				labels = append(labels, s.Label)
			}
			assert.Equal(t, []string{adminServiceLabel, "keep"}, labels)

			r = cli(t, con, env, "users", "deprovision", "jsmith")
			assert.Equal(t, exitNotFound, r.code)
			assert.Contains(t, r.stderr, `user "jsmith" not found`)

			reqs := con.log.entries()
			if vendorNote {
				assert.Contains(t, reqs, "GET /api/config/access/roles")
				assert.Contains(t, reqs, "POST /api/config/access/users")
				assert.NotContains(t, reqs, "POST /api/staged_config/deploy_status")
				assert.Regexp(t, `DELETE /api/config/access/users/\d+`, strings.Join(reqs, "\n"))
			} else {
				assert.Contains(t, reqs, "GET /api/config/access/user_roles")
				assert.Contains(t, reqs, "POST /api/staged_config/access/users")
				assert.NotContains(t, reqs, "POST /api/config/access/users")
				assert.Regexp(t, `DELETE /api/staged_config/access/users/\d+`, strings.Join(reqs, "\n"))
			}
		})
	}
}

func TestProvisionAndDeprovision_JSON(t *testing.T) {
	t.Parallel()
	con := startConsole(t)
	env := consoleEnv(t, con)
	r := cli(t, con, env, "-output", "json", "-quiet", "users", "provision", "-role", "Reader", "-profile", "SOC Team",
		"-email", "asmith@example.com", "-initial-password", "Asmith-Passw0rd!", "asmith")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Empty(t, r.stderr)
	var u client.User
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &u))
	assert.Equal(t, "asmith", u.Username)
	assert.Equal(t, int64(2), u.SecurityProfileID)

	r = cli(t, con, env, "-output", "json", "users", "deprovision", "asmith")
	require.Equal(t, exitOK, r.code, r.stderr)
	var res client.DeprovisionResult
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &res))
	assert.Equal(t, u.ID, res.User.ID)
	require.NotNil(t, res.Task)
	assert.Equal(t, client.TaskCompleted, res.Task.Status)
	assert.Empty(t, res.RevokedServices)
}

func TestServices(t *testing.T) {
	t.Parallel()
	con := startConsole(t)
	env := consoleEnv(t, con)
	created := regexp.QuoteMeta(fakeStart.Format(time.RFC3339))

	r := cli(t, con, env, "services", "create", "-label", "ci", "-role", "Analyst", "-profile", "Default", "-expires", "2030-01-02T03:04:05Z")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Regexp(t, `(?m)^token\s+[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, r.stdout)
	assert.Regexp(t, `(?m)^label\s+ci$`, r.stdout)
	assert.Regexp(t, `(?m)^created_by\s+`+adminServiceLabel+`$`, r.stdout)
	assert.Regexp(t, `(?m)^user_role_id\s+2$`, r.stdout)
	assert.Regexp(t, `(?m)^security_profile_id\s+1$`, r.stdout)
	assert.Regexp(t, `(?m)^expiration_date\s+2030-01-02T03:04:05Z$`, r.stdout)
	assert.Contains(t, r.stderr, "never shows it again")
	token := regexp.MustCompile(`(?m)^token\s+(\S+)$`).FindStringSubmatch(r.stdout)[1]

	// The new token works (an Analyst may list roles but not services).
	svcEnv := maps.Clone(env)
	svcEnv["QRADAR_SEC_TOKEN"] = token
	r = cli(t, con, svcEnv, "roles", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	r = cli(t, con, svcEnv, "services", "list")
	assert.Equal(t, exitAuth, r.code)

	r = cli(t, con, env, "services", "create", "-label", "ci", "-role", "Analyst", "-profile", "Default", "-output", "json")
	assert.Equal(t, exitError, r.code, "a duplicate label is 422, not 409")
	assert.Contains(t, r.stderr, "HTTP 422 (code 95103008)")

	r = cli(t, con, env, "services", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 3)
	assert.Regexp(t, `^ID\s+LABEL\s+CREATED_BY\s+ROLE_ID\s+PROFILE_ID\s+CREATED\s+EXPIRES\s+LAST_USED$`, lines[0])
	// Both tokens were used (the admin's by every command, ci's to list
	// roles), on the fake's frozen clock.
	assert.Regexp(t, `^1\s+`+adminServiceLabel+`\s+admin\s+1\s+3\s+`+created+`\s+never\s+`+created+`$`, lines[1])
	assert.Regexp(t, `^\d+\s+ci\s+`+adminServiceLabel+`\s+2\s+1\s+`+created+`\s+2030-01-02T03:04:05Z\s+`+created+`$`, lines[2])

	r = cli(t, con, env, "services", "revoke", "cii")
	assert.Equal(t, exitNotFound, r.code)
	assert.Contains(t, r.stderr, `authorized service "cii" not found; available: "ci", "`+adminServiceLabel+`"`)

	r = cli(t, con, env, "services", "revoke", "ci", "-output", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var revoked map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &revoked))
	assert.Equal(t, "ci", revoked["label"])
	r = cli(t, con, svcEnv, "roles", "list")
	assert.Equal(t, exitAuth, r.code, "the token is revoked")

	r = cli(t, con, env, "services", "revoke", "-id", "4242")
	assert.Equal(t, exitNotFound, r.code)
	assert.Contains(t, r.stderr, "code 95105001")

	r = cli(t, con, env, "services", "revoke", "-id", "1")
	assert.Equal(t, exitAuth, r.code, "a service cannot revoke itself")
	assert.Contains(t, r.stderr, "code 95105002")

	r = cli(t, con, env, "services", "create", "-label", "tmp", "-role", "Reader", "-profile", "Default")
	require.Equal(t, exitOK, r.code, r.stderr)
	r = cli(t, con, env, "services", "revoke", "tmp")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Regexp(t, `^revoked authorized service tmp \(id \d+\)\n$`, r.stdout)
}

func TestDeploy(t *testing.T) {
	t.Parallel()
	con := startConsole(t)
	env := consoleEnv(t, con)

	r := cli(t, con, env, "deploy")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, "nothing to deploy, or a deploy is already running: No changes to deploy.")
	assert.Equal(t, "deploy COMPLETE (100%)\n", r.stdout)

	// Stage a change without deploying it, then deploy from the command line.
	c, err := client.New(con.URL(), client.WithSECToken(con.Token()), client.WithCACertPEM(con.CACertPEM()))
	require.NoError(t, err)
	_, err = c.StagedUsers.Update(context.Background(), 1001, client.StagedUserUpdate{UserRoleID: new(int64(3))})
	require.NoError(t, err)

	r = cli(t, con, env, "deploy", "-type", "full", "-output", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var st client.DeployStatus
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &st))
	assert.Equal(t, client.DeployComplete, st.Status)
	assert.Equal(t, client.DeployFull, st.Type)
	assert.Equal(t, adminServiceLabel, st.InitiatedBy)
	assert.Regexp(t, `(?m)^waiting: deploy IN_PROGRESS \d+% \(poll 1, \d+ms\)$`, r.stderr)
	assert.Regexp(t, `(?m)^waiting: deploy COMPLETE 100% \(poll \d+, [\d.]+s\)$`, r.stderr)

	u, err := c.Users.Get(context.Background(), 1001)
	require.NoError(t, err)
	assert.Equal(t, int64(3), u.UserRoleID, "deployed")
}

func TestTLS(t *testing.T) {
	t.Parallel()
	con := startConsole(t)
	env := consoleEnv(t, con)
	delete(env, "QRADAR_CA_CERT")

	r := cli(t, con, env, "roles", "list")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "certificate signed by unknown authority")

	env["QRADAR_INSECURE_SKIP_VERIFY"] = "1"
	r = cli(t, con, env, "roles", "list")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, "level=WARN")
	assert.Contains(t, r.stderr, "verification is disabled")
	assert.Contains(t, r.stdout, "Analyst")
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
