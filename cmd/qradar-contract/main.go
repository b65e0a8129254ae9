// Command qradar-contract runs the contract suite (the Gherkin scenarios of
// package features, embedded in the binary) against a QRadar Console or a
// fakeqradar, for CI systems without a Go toolchain:
//
//	qradar-contract --url https://qradar.example.com --token "$TOKEN" \
//	    --ca-cert console-ca.pem --format pretty,junit:reports/contract.xml
//
// Every flag defaults to its QRADAR_* environment variable (see -h); pass
// secrets through the environment (QRADAR_SEC_TOKEN, QRADAR_PASSWORD) rather
// than the command line where other users can read them. Without --url the
// suite runs against a fresh in-process fake Console per scenario.
//
// Against a real Console, scenarios that create, change or delete anything
// (@writes) run only with --allow-writes, and scenarios that need the fake's
// control plane (@fake-only) are skipped.
//
// The exit code is 0 when every scenario passed, 1 when any failed or the
// final sweep could not remove what the run created, 2 on a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/cucumber/godog"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
	"github.com/fakeqradar/fakeqradar/steps"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// inProcessPasswordIterations is the in-process fakes' password hashing
// work factor: they are thrown away after one scenario.
const inProcessPasswordIterations = 1000

// options are the parsed command line.
type options struct {
	cfg           steps.Config
	tags, format  string
	noColors      bool
	stopOnFailure bool
	random        int64
}

func parseFlags(args []string, getenv func(string) string, stdout, stderr io.Writer) (*options, error) {
	cfg, err := steps.ConfigFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	o := &options{cfg: cfg}
	fs := flag.NewFlagSet("qradar-contract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(name string) string { return " (" + name + ")" }
	fs.StringVar(&o.cfg.URL, "url", cfg.URL, "the Console's base URL, e.g. https://qradar.example.com; empty: a fresh in-process fake per scenario"+env(steps.EnvURL))
	// Secrets get no default here, so -h never prints them; the environment
	// fills them in after parsing.
	fs.StringVar(&o.cfg.Token, "token", "", "authorized service token (SEC) of a service with the Admin role"+env(steps.EnvToken))
	fs.StringVar(&o.cfg.Username, "username", cfg.Username, "administrator username, for Basic authentication"+env(steps.EnvUsername))
	fs.StringVar(&o.cfg.Password, "password", "", "administrator password"+env(steps.EnvPassword))
	fs.StringVar(&o.cfg.Version, "version", cfg.Version, "API version to pin (default 26.0)"+env(steps.EnvVersion))
	fs.StringVar(&o.cfg.CACertFile, "ca-cert", cfg.CACertFile, "PEM file of the CA that signed the Console's certificate"+env(steps.EnvCACert))
	fs.BoolVar(&o.cfg.InsecureSkipVerify, "insecure-skip-verify", cfg.InsecureSkipVerify, "do not verify the Console's certificate (prefer --ca-cert)"+env(steps.EnvInsecure))
	fs.BoolVar(&o.cfg.AllowWrites, "allow-writes", cfg.AllowWrites, "run @writes scenarios against a real Console: they create, change and delete users and authorized services, and deploy"+env(steps.EnvAllowWrites))
	fs.StringVar(&o.cfg.Role, "role", cfg.Role, "role without the ADMIN capability given to what the suite creates (default Analyst)"+env(steps.EnvRole))
	fs.StringVar(&o.cfg.AdminRole, "admin-role", cfg.AdminRole, "a role with the ADMIN capability (default Admin)"+env(steps.EnvAdminRole))
	fs.StringVar(&o.cfg.SecurityProfile, "security-profile", cfg.SecurityProfile, "security profile, not the Admin profile, given to what the suite creates (default Default)"+env(steps.EnvSecurityProfile))
	fs.DurationVar(&o.cfg.WaitTimeout, "wait-timeout", steps.DefaultWaitTimeout, "longest wait for one delete task or deploy on a real Console")
	fs.StringVar(&o.tags, "tags", "", `scenarios to run, godog syntax: "@auth", "@auth,@paging" (or), "@writes && ~@vendor-note" (and, not); @fake-bug scenarios are left out unless named`)
	fs.StringVar(&o.format, "format", "pretty", "report formats, comma-separated, each FORMAT or FORMAT:FILE; FORMAT is pretty, progress, cucumber (JSON), junit or events")
	fs.BoolVar(&o.noColors, "no-colors", false, "no ANSI colours in the reports on stdout (always so when stdout is not a terminal)")
	fs.BoolVar(&o.stopOnFailure, "stop-on-failure", false, "stop at the first failed scenario")
	fs.Int64Var(&o.random, "random", 0, "run the scenarios in a random order from this seed (-1: pick one)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: qradar-contract [flags]\n\n"+
			"Runs the QRadar contract suite (embedded Gherkin) against --url, or against a fresh\n"+
			"in-process fake Console per scenario when --url is empty. Flags default to the\n"+
			"environment variables named in brackets.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if o.cfg.Token == "" {
		o.cfg.Token = cfg.Token
	}
	if o.cfg.Password == "" {
		o.cfg.Password = cfg.Password
	}
	if !isTerminal(stdout) {
		o.noColors = true
	}
	return o, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, getenv, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "qradar-contract:", err)
		return exitUsage
	}
	if err := makeReportDirs(o.format); err != nil {
		fmt.Fprintln(stderr, "qradar-contract:", err)
		return exitUsage
	}
	if o.cfg.URL == "" && store.PasswordIterations > inProcessPasswordIterations {
		// The in-process fakes belong to this process: hash their passwords
		// cheaply, as the test suite does. A Console given by URL hashes its
		// own.
		store.PasswordIterations = inProcessPasswordIterations
	}
	o.cfg.Log = stderr
	suite, err := steps.New(ctx, o.cfg)
	if err != nil {
		fmt.Fprintln(stderr, "qradar-contract:", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "qradar-contract: target %s\nqradar-contract: everything the run creates is named %s*\n", suite.Describe(), suite.Prefix())
	start := time.Now()
	status := suite.TestSuite(godog.Options{
		Format: o.format, Output: stdout, Tags: o.tags, NoColors: o.noColors,
		StopOnFailure: o.stopOnFailure, Randomize: o.random, DefaultContext: ctx,
	}).Run()
	if err := suite.SweepError(); err != nil && status == exitOK {
		status = exitFailure
	}
	verdict := "passed"
	if status != exitOK {
		verdict = "FAILED"
	}
	fmt.Fprintf(stderr, "qradar-contract: %s in %s\n", verdict, time.Since(start).Round(time.Millisecond))
	return status
}

// makeReportDirs creates the directories of the report files in format.
func makeReportDirs(format string) error {
	for _, f := range strings.Split(format, ",") {
		if _, file, ok := strings.Cut(f, ":"); ok && file != "" {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				return fmt.Errorf("report directory: %w", err)
			}
		}
	}
	return nil
}
