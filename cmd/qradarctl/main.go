// Command qradarctl manages QRadar users, roles, security profiles, authorized
// services and deploys from the command line, through package client.
//
// Run "qradarctl -h" for commands, settings and exit codes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/fakeqradar/fakeqradar/client"
)

// Exit codes scripts can rely on.
const (
	exitOK       = 0 // success
	exitError    = 1 // API error or any other failure
	exitUsage    = 2 // bad command line or settings
	exitNotFound = 3 // user, role, profile, service or object not found
	exitAuth     = 4 // 401 or 403: credentials missing, wrong, or lacking capability
	exitConflict = 5 // 409: already exists, deploy already running
)

const usageText = `qradarctl manages users on an IBM QRadar Console.

Usage:
  qradarctl [settings] <command> [flags] [arguments]

Commands:
  users list [-staged] [-filter EXPR] [-sort SORT]
                                   list users (deployed, or staged with -staged)
  users get [-staged] USERNAME     show one user (or: users get -id N)
  users provision -role NAME -profile NAME -email E [-description D] USERNAME
                                   create a user, deploy it and show it; its password
                                   comes from -initial-password or QRADAR_NEW_USER_PASSWORD
  users set-role USERNAME ROLE     change a user's role (staged update and deploy)
  users deprovision [-revoke-label LABEL]... [-revoke-created] USERNAME
                                   delete a user, wait until it is gone, then revoke
                                   the named authorized services and/or those it created
  roles list                       list user roles
  profiles list                    list security profiles
  services list                    list authorized services
  services create -label L [-role NAME] [-profile NAME] [-expires RFC3339]
                                   create an authorized service and print its token
                                   (the only time QRadar shows it)
  services revoke LABEL            delete an authorized service (or: services revoke -id N)
  deploy [-type INCREMENTAL|FULL]  deploy staged changes and wait until complete

Settings (flags may also follow the command; environment variable in brackets):
  -url URL                  Console base URL, e.g. https://qradar.example.com [QRADAR_URL]
  -token TOKEN              authorized service token, sent as SEC [QRADAR_SEC_TOKEN]
  -user NAME, -password PW  Basic credentials instead of a token [QRADAR_USERNAME, QRADAR_PASSWORD]
  -api-version V            API version header (default 26.0) [QRADAR_VERSION]
  -ca-cert FILE             PEM CA certificate to verify the Console with [QRADAR_CA_CERT]
  -insecure-skip-verify     do not verify TLS certificates (warns) [QRADAR_INSECURE_SKIP_VERIFY=1]
  -vendor-note              use the vendor note's compatibility paths [QRADAR_VENDOR_NOTE=1]
  -output table|json        output format (default table) [QRADAR_OUTPUT]
  -timeout DURATION         give up after this long (default 10m) [QRADAR_TIMEOUT]
  -quiet                    no progress lines on stderr while waiting

Output goes to stdout; progress lines and errors go to stderr. Errors show QRadar's
HTTP status, code and message; with -output json they are also a JSON object.

Exit codes:
  0  success
  1  API error or other failure
  2  usage error (bad flags, arguments or settings)
  3  not found (user, role, profile, authorized service or object)
  4  authentication or authorization failure (HTTP 401 or 403)
  5  conflict (HTTP 409, e.g. the username is taken)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one qradarctl command line (without the program name) and returns
// the exit code.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	return runWith(ctx, args, env, stdout, stderr)
}

// usageError is a bad command line; its text is printed before a usage hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// settings are the global settings, from the environment and flags.
type settings struct {
	url, token, user, password string
	apiVersion                 string
	caCert                     string
	insecure                   bool
	vendorNote                 bool
	output                     string
	timeout                    time.Duration
	quiet                      bool
}

func (s *settings) register(fs *flag.FlagSet) {
	fs.StringVar(&s.url, "url", s.url, "Console base URL")
	fs.StringVar(&s.token, "token", s.token, "SEC token")
	fs.StringVar(&s.user, "user", s.user, "Basic auth username")
	fs.StringVar(&s.password, "password", s.password, "Basic auth password")
	fs.StringVar(&s.apiVersion, "api-version", s.apiVersion, "API version")
	fs.StringVar(&s.caCert, "ca-cert", s.caCert, "PEM CA certificate file")
	fs.BoolVar(&s.insecure, "insecure-skip-verify", s.insecure, "skip TLS verification")
	fs.BoolVar(&s.vendorNote, "vendor-note", s.vendorNote, "use the vendor note's compatibility paths")
	fs.StringVar(&s.output, "output", s.output, "table or json")
	fs.DurationVar(&s.timeout, "timeout", s.timeout, "overall time limit")
	fs.BoolVar(&s.quiet, "quiet", s.quiet, "no progress lines")
}

func settingsFromEnv(env func(string) string) (*settings, error) {
	s := &settings{
		url:        env("QRADAR_URL"),
		token:      env("QRADAR_SEC_TOKEN"),
		user:       env("QRADAR_USERNAME"),
		password:   env("QRADAR_PASSWORD"),
		apiVersion: env("QRADAR_VERSION"),
		caCert:     env("QRADAR_CA_CERT"),
		output:     env("QRADAR_OUTPUT"),
		timeout:    10 * time.Minute,
	}
	if s.apiVersion == "" {
		s.apiVersion = client.DefaultVersion
	}
	if s.output == "" {
		s.output = "table"
	}
	var err error
	if s.insecure, err = envBool(env, "QRADAR_INSECURE_SKIP_VERIFY"); err != nil {
		return nil, err
	}
	if s.vendorNote, err = envBool(env, "QRADAR_VENDOR_NOTE"); err != nil {
		return nil, err
	}
	if v := env("QRADAR_TIMEOUT"); v != "" {
		if s.timeout, err = time.ParseDuration(v); err != nil {
			return nil, usagef("QRADAR_TIMEOUT=%q is not a duration such as 5m", v)
		}
	}
	return s, nil
}

func envBool(env func(string) string, name string) (bool, error) {
	v := env(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, usagef("%s=%q is not a boolean (use 1 or 0)", name, v)
	}
	return b, nil
}

func (s *settings) check() error {
	switch {
	case s.output != "table" && s.output != "json":
		return usagef("-output must be table or json, not %q", s.output)
	case s.url == "":
		return usagef("no Console URL: set QRADAR_URL or -url")
	case s.token != "" && s.user != "":
		return usagef("choose a SEC token or Basic credentials, not both")
	case s.token == "" && s.user == "":
		return usagef("no credentials: set QRADAR_SEC_TOKEN (or QRADAR_USERNAME and QRADAR_PASSWORD)")
	case s.timeout <= 0:
		return usagef("-timeout must be positive")
	}
	return nil
}

// newClient builds the client from the settings; extra options come last.
func (s *settings) newClient(stderr io.Writer, extra []client.Option) (*client.Client, error) {
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts := []client.Option{client.WithVersion(s.apiVersion), client.WithLogger(logger),
		client.WithUserAgent("qradarctl")}
	if s.token != "" {
		opts = append(opts, client.WithSECToken(s.token))
	} else {
		opts = append(opts, client.WithBasicAuth(s.user, s.password))
	}
	if s.caCert != "" {
		opts = append(opts, client.WithCACertFile(s.caCert))
	}
	if s.insecure {
		opts = append(opts, client.WithInsecureSkipVerify())
	}
	if s.vendorNote {
		opts = append(opts, client.WithVendorNoteMode())
	}
	if !s.quiet {
		opts = append(opts, client.WithProgress(func(e client.PollEvent) { progressLine(stderr, e) }))
	}
	return client.New(s.url, append(opts, extra...)...)
}

func progressLine(w io.Writer, e client.PollEvent) {
	what := e.Kind
	if e.ID != 0 {
		what = fmt.Sprintf("%s %d", e.Kind, e.ID)
	}
	pct := ""
	if e.PercentComplete >= 0 && e.Kind == "deploy" {
		pct = fmt.Sprintf(" %d%%", e.PercentComplete)
	}
	fmt.Fprintf(w, "waiting: %s %s%s (poll %d, %s)\n", what, e.Status, pct, e.Attempt, e.Elapsed.Round(time.Millisecond))
}

// runWith is run with extra client options, which tests use to make waits instant.
func runWith(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer, extra ...client.Option) int {
	s, err := settingsFromEnv(env)
	if err != nil {
		return report(stderr, "table", err)
	}
	top := newFlagSet("qradarctl")
	s.register(top)
	if err := top.Parse(args); err != nil {
		return parseFailure(stdout, stderr, err)
	}
	rest := top.Args()
	if len(rest) == 0 {
		fmt.Fprint(stderr, usageText)
		return exitUsage
	}
	if rest[0] == "help" {
		fmt.Fprint(stdout, usageText)
		return exitOK
	}
	cmd, ok := lookupCommand(rest, env)
	if !ok {
		return report(stderr, s.output, usagef("unknown command %q", strings.Join(rest[:min(2, len(rest))], " ")))
	}
	fs := newFlagSet("qradarctl " + cmd.name)
	s.register(fs)
	bind := cmd.flags(fs)
	pos, err := parseInterspersed(fs, rest[len(strings.Fields(cmd.name)):])
	if err != nil {
		return parseFailure(stdout, stderr, err)
	}
	if err := bind(pos); err != nil {
		return report(stderr, s.output, err)
	}
	if err := s.check(); err != nil {
		return report(stderr, s.output, err)
	}
	c, err := s.newClient(stderr, extra)
	if err != nil {
		return report(stderr, s.output, usagef("%v", err))
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out := &printer{w: stdout, stderr: stderr, json: s.output == "json"}
	if err := cmd.run(ctx, c, out); err != nil {
		return report(stderr, s.output, err)
	}
	return exitOK
}

func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

func parseFailure(stdout, stderr io.Writer, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usageText)
		return exitOK
	}
	fmt.Fprintf(stderr, "qradarctl: %v\nRun 'qradarctl -h' for usage.\n", err)
	return exitUsage
}

// parseInterspersed parses flags that may appear before, between or after the
// positional arguments; everything after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// exitCode maps an error onto the documented exit codes.
func exitCode(err error) int {
	var ue *usageError
	switch {
	case errors.As(err, &ue):
		return exitUsage
	case errors.Is(err, client.ErrUnauthorized), errors.Is(err, client.ErrForbidden):
		return exitAuth
	case errors.Is(err, client.ErrNotFound):
		return exitNotFound
	case errors.Is(err, client.ErrConflict):
		return exitConflict
	}
	return exitError
}

// report prints err to stderr and returns its exit code.
func report(stderr io.Writer, output string, err error) int {
	code := exitCode(err)
	fmt.Fprintf(stderr, "qradarctl: %v\n", err)
	if code == exitUsage {
		fmt.Fprintln(stderr, "Run 'qradarctl -h' for usage.")
	}
	if output == "json" {
		obj := map[string]any{"error": err.Error(), "exit_code": code}
		var apiErr *client.APIError
		if errors.As(err, &apiErr) {
			obj["http_status"] = apiErr.StatusCode
			obj["code"] = apiErr.Code
			obj["message"] = apiErr.Message
			obj["description"] = apiErr.Description
		}
		writeJSONTo(stderr, obj)
	}
	return code
}
