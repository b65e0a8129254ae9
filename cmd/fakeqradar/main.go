// Command fakeqradar runs a fake IBM QRadar Console for user-management
// integrations: HTTPS on 127.0.0.1:8443 by default, with a generated CA.
//
// Every flag has an environment default FAKEQRADAR_<FLAG> (dashes become
// underscores), e.g. FAKEQRADAR_ADDR=127.0.0.1:9443.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/fakeqradar/fakeqradar/fakeqradar"
	"github.com/fakeqradar/fakeqradar/fixtures"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "fakeqradar:", err)
		os.Exit(1)
	}
}

// config is the parsed command line.
type config struct {
	addr, tlsCert, tlsKey, caOut, db, fixtures, token, logLevel, profile string
	plainHTTP, sessionCookies                                            bool
	deleteTask, deploy                                                   time.Duration
	seedUsers                                                            int
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("fakeqradar", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(name, def string) string {
		if v := getenv("FAKEQRADAR_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); v != "" {
			return v
		}
		return def
	}
	var c config
	// envErrs holds unparsable environment defaults by flag name; they
	// matter only for flags the command line does not set.
	envErrs := map[string]error{}
	envVar := func(name string) string { return "FAKEQRADAR_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")) }
	envDur := func(name string, def time.Duration) time.Duration {
		v := env(name, "")
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil {
			envErrs[name] = fmt.Errorf("%s: %w", envVar(name), err)
			return def
		}
		return d
	}
	envBool := func(name string) bool {
		v := env(name, "")
		if v == "" {
			return false
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			envErrs[name] = fmt.Errorf("%s: %w", envVar(name), err)
		}
		return b
	}
	envInt := func(name string) int {
		v := env(name, "")
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			envErrs[name] = fmt.Errorf("%s: %w", envVar(name), err)
		}
		return n
	}
	fs.StringVar(&c.addr, "addr", env("addr", "127.0.0.1:8443"), "listen address")
	fs.BoolVar(&c.plainHTTP, "http", envBool("http"), "serve plain HTTP instead of HTTPS")
	fs.StringVar(&c.tlsCert, "tls-cert", env("tls-cert", ""), "TLS certificate PEM file (default: generate a CA and a localhost certificate)")
	fs.StringVar(&c.tlsKey, "tls-key", env("tls-key", ""), "TLS private key PEM file")
	fs.StringVar(&c.caOut, "ca-out", env("ca-out", ""), "write the CA certificate (PEM) to this file for clients to trust")
	fs.StringVar(&c.db, "db", env("db", ""), "SQLite database file (default: in memory, gone on exit)")
	fs.StringVar(&c.fixtures, "fixtures", env("fixtures", ""), "seed JSON file for a new database (default: built-in fixtures)")
	fs.StringVar(&c.token, "token", env("token", ""), "admin SEC token (default: a random UUID)")
	fs.DurationVar(&c.deleteTask, "delete-task-duration", envDur("delete-task-duration", 5*time.Second), "how long a user delete task takes to complete")
	fs.DurationVar(&c.deploy, "deploy-duration", envDur("deploy-duration", time.Second), "how long a deploy takes")
	fs.IntVar(&c.seedUsers, "seed-users", envInt("seed-users"), "add this many synthetic deployed users to a new database")
	fs.BoolVar(&c.sessionCookies, "session-cookies", envBool("session-cookies"), "hand Basic-authenticated users a SEC session cookie (Ansible's flow); off: no response but authorized-service creation carries a token")
	fs.StringVar(&c.profile, "profile", env("profile", fakeqradar.ProfileDocumented), "behaviour profile: documented or vendor-note")
	fs.StringVar(&c.logLevel, "log-level", env("log-level", "info"), "log level: debug, info, warn, error")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: fakeqradar [flags]\n\nRuns a fake IBM QRadar Console. Each flag defaults to FAKEQRADAR_<FLAG>.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var names []string
	for name := range envErrs {
		if !set[name] {
			names = append(names, name)
		}
	}
	if len(names) > 0 {
		sort.Strings(names)
		return nil, envErrs[names[0]]
	}
	// Options treats a zero or negative duration as "use the default"; on
	// the command line it is a mistake, not a request for the default.
	if c.deleteTask <= 0 {
		return nil, fmt.Errorf("--delete-task-duration must be positive, got %v", c.deleteTask)
	}
	if c.deploy <= 0 {
		return nil, fmt.Errorf("--deploy-duration must be positive, got %v", c.deploy)
	}
	if c.seedUsers < 0 {
		return nil, fmt.Errorf("--seed-users must not be negative, got %d", c.seedUsers)
	}
	return &c, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	opts := fakeqradar.Options{
		DB: c.db, Token: c.token, DeleteTaskDuration: c.deleteTask, DeployDuration: c.deploy,
		HTTP: c.plainHTTP, TLSCertFile: c.tlsCert, TLSKeyFile: c.tlsKey, Logger: logger,
		SeedUsers: c.seedUsers, Profile: c.profile, SessionCookies: c.sessionCookies,
	}
	if c.fixtures != "" {
		set, err := fixtures.Load(c.fixtures)
		if err != nil {
			return err
		}
		opts.Fixtures = set
	}
	srv, err := fakeqradar.New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		srv.Close()
		return err
	}
	// Serve closes ln, except when the server is shut down before Serve
	// starts; closing it again here is harmless.
	defer ln.Close()
	scheme := "https"
	if c.plainHTTP {
		scheme = "http"
	}
	if c.caOut != "" && !c.plainHTTP {
		if err := os.WriteFile(c.caOut, srv.CACertPEM(), 0o644); err != nil {
			ln.Close()
			srv.Close()
			return fmt.Errorf("--ca-out: %w", err)
		}
	}
	fmt.Fprintf(stdout, "fakeqradar listening on %s://%s\n", scheme, ln.Addr())
	fmt.Fprintf(stdout, "admin SEC token: %s\n", srv.Token())
	if !c.plainHTTP {
		if c.caOut != "" {
			fmt.Fprintf(stdout, "CA certificate: %s\n", c.caOut)
		} else {
			fmt.Fprintln(stdout, "CA certificate: not written (use --ca-out FILE to trust it)")
		}
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		srv.Close()
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err = srv.Shutdown(sctx)
	<-errc
	return err
}
