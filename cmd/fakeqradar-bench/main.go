// Command fakeqradar-bench measures the standalone fakeqradar binary against
// the performance budgets of the project and prints a Markdown report.
//
// Absolute numbers drift between runs and machines, so throughput is a ratio
// to a ceiling measured in the same run: a bare net/http server, started by
// this program, that answers with the exact bytes (and Content-Type,
// Content-Range, Content-Length) the fake returned for the same request. By
// default the ceiling runs in a process of its own, like the fake, so that
// both servers meet the load generator on equal terms and the CPU time each
// spends per request can be read from /proc (--ceiling inprocess serves it
// from this program instead). The fake and the ceiling are driven one after
// the other, in alternating rounds, with the same concurrent keep-alive
// loopback load.
//
// What it measures:
//
//   - cold start: exec of `fakeqradar --addr 127.0.0.1:0 --ca-out FILE`
//     (HTTPS, default fixtures) to the first 200 from GET /_fake/health over
//     HTTPS trusting that CA, median of --starts runs; then the idle RSS;
//   - throughput of GET /api/config/access/users/1001 (SEC, Version: 26.0)
//     on `fakeqradar --http` and of GET /api/config/access/users with
//     Range: items=0-49 on `fakeqradar --http --seed-users 1000`, each against
//     its ceiling, with p50/p99 latency and the fake's RSS after the load;
//   - scale (unless --skip-scale): `--seed-users 100000`, exec to first 200,
//     RSS, and the median latency of the pages items=0-49,
//     items=50000-50049 and items=99950-99999.
//
// It exits 0 whatever the budgets say (it is a report), and 1 if a
// measurement could not be made. Linux only for RSS (/proc/PID/status).
//
// Usage:
//
//	go run ./cmd/fakeqradar-bench [--duration 10s] [--conns 32] [--binary PATH] [--skip-scale]
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
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

type config struct {
	binary, goTool, logLevel string
	duration, warmup         time.Duration
	conns, starts, rounds    int
	ceiling                  string
	skipScale                bool
	scaleUsers, pageRequests int
	maxRequests              int64
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("fakeqradar-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.binary, "binary", "", "fakeqradar binary to measure (default: go build ./cmd/fakeqradar into a temporary directory)")
	fs.StringVar(&c.goTool, "go", "go", "go command used to build the binary")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "length of each measured load run")
	fs.DurationVar(&c.warmup, "warmup", time.Second, "unmeasured load before each measured run")
	fs.IntVar(&c.conns, "conns", 32, "concurrent keep-alive connections")
	fs.IntVar(&c.rounds, "rounds", 5, "rounds the measured --duration is split into, alternating fake and ceiling")
	fs.StringVar(&c.ceiling, "ceiling", "process", "where the ceiling server runs: inprocess or process (a child process, like the fake)")
	fs.IntVar(&c.starts, "starts", 10, "cold starts to take the median of")
	fs.BoolVar(&c.skipScale, "skip-scale", false, "skip the 100,000-user scale run")
	fs.IntVar(&c.scaleUsers, "scale-users", 100_000, "synthetic users of the scale run")
	fs.IntVar(&c.pageRequests, "page-requests", 200, "sequential requests per page in the scale run")
	fs.Int64Var(&c.maxRequests, "max-requests", 50_000_000, "upper bound on the requests of one load run")
	fs.StringVar(&c.logLevel, "log-level", "", "--log-level passed to the fake (default: the binary's default, info)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: fakeqradar-bench [flags]\n\nMeasures the fakeqradar binary against its performance budgets and prints a Markdown report.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	switch {
	case c.duration <= 0 || c.duration > time.Hour:
		return nil, fmt.Errorf("--duration must be in (0, 1h], got %v", c.duration)
	case c.warmup < 0 || c.warmup > time.Hour:
		return nil, fmt.Errorf("--warmup must be in [0, 1h], got %v", c.warmup)
	case c.conns < 1 || c.conns > 10_000:
		return nil, fmt.Errorf("--conns must be in [1, 10000], got %d", c.conns)
	case c.rounds < 1 || c.rounds > 1000 || c.duration/time.Duration(c.rounds) < 10*time.Millisecond:
		return nil, fmt.Errorf("--rounds must be in [1, 1000] with rounds of at least 10ms, got %d", c.rounds)
	case c.ceiling != "inprocess" && c.ceiling != "process":
		return nil, fmt.Errorf("--ceiling must be inprocess or process, got %q", c.ceiling)
	case c.starts < 1 || c.starts > 1000:
		return nil, fmt.Errorf("--starts must be in [1, 1000], got %d", c.starts)
	case c.scaleUsers < 100 || c.scaleUsers > 10_000_000:
		return nil, fmt.Errorf("--scale-users must be in [100, 10000000], got %d", c.scaleUsers)
	case c.pageRequests < 1 || c.pageRequests > 100_000:
		return nil, fmt.Errorf("--page-requests must be in [1, 100000], got %d", c.pageRequests)
	case c.maxRequests < 1:
		return nil, fmt.Errorf("--max-requests must be positive, got %d", c.maxRequests)
	}
	return &c, nil
}

func main() {
	if path := os.Getenv(ceilingEnv); path != "" {
		if err := ceilingChild(path, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "fakeqradar-bench ceiling:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "fakeqradar-bench:", err)
		return 2
	}
	b := &bench{cfg: c, log: stderr, ctx: ctx}
	err = b.run()
	b.rep.print(stdout, b.header())
	if err != nil {
		fmt.Fprintln(stderr, "fakeqradar-bench:", err)
		return 1
	}
	return 0
}

// bench is one run of every measurement.
type bench struct {
	cfg *config
	log io.Writer
	ctx context.Context
	tmp string
	bin string
	rep report
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "fakeqradar-bench: "+format+"\n", args...)
}

func (b *bench) header() string {
	return fmt.Sprintf("%s/%s, %d CPUs, %s; %d connections; %v per server per load in %d alternating rounds (after %v warm-up); ceiling %s; fake log level %s",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), b.cfg.conns, b.cfg.duration, b.cfg.rounds, b.cfg.warmup,
		b.cfg.ceiling, orDefault(b.cfg.logLevel, "info (default)"))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (b *bench) interrupted() error {
	if err := b.ctx.Err(); err != nil {
		return errors.New("interrupted")
	}
	return nil
}

func (b *bench) run() error {
	var err error
	b.tmp, err = os.MkdirTemp("", "fakeqradar-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(b.tmp)
	b.bin = b.cfg.binary
	if b.bin == "" {
		b.logf("building ./cmd/fakeqradar")
		if b.bin, err = buildFake(b.ctx, b.cfg.goTool, b.tmp); err != nil {
			return err
		}
	}
	steps := []func() error{b.coldStart, b.getUser, b.listPage}
	if !b.cfg.skipScale {
		steps = append(steps, b.scale)
	}
	for _, step := range steps {
		if err := b.interrupted(); err != nil {
			return err
		}
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// fakeArgs are the flags every fake gets besides its address.
func (b *bench) fakeArgs(extra ...string) []string {
	var args []string
	if b.cfg.logLevel != "" {
		args = append(args, "--log-level", b.cfg.logLevel)
	}
	return append(args, extra...)
}

func (b *bench) coldStart() error {
	var times []time.Duration
	var idle int64
	for i := range b.cfg.starts {
		if err := b.interrupted(); err != nil {
			return err
		}
		ca := filepath.Join(b.tmp, fmt.Sprintf("ca-%d.pem", i))
		f, err := startFake(b.bin, b.fakeArgs(), ca, 30*time.Second)
		if err != nil {
			return fmt.Errorf("cold start: %w", err)
		}
		d, err := f.waitHealthy(30 * time.Second)
		if err == nil && i == b.cfg.starts-1 {
			time.Sleep(time.Second)
			idle, err = f.rss()
		}
		f.stop()
		if err != nil {
			return fmt.Errorf("cold start: %w", err)
		}
		times = append(times, d)
	}
	med := median(times)
	b.logf("cold start: median %v of %d (min %v, max %v); idle RSS %s", med.Round(10*time.Microsecond), len(times), slices.Min(times), slices.Max(times), fmtMB(idle))
	b.rep.budget(fmt.Sprintf("Cold start, exec → first 200 (HTTPS, default fixtures, median of %d)", len(times)),
		fmtMS(med), "≤ 25 ms", med <= 25*time.Millisecond)
	b.rep.budget("Idle RSS after start (HTTPS, default fixtures)", fmtMB(idle), "≤ 25 MB", idle <= 25<<20)
	return nil
}

// throughput measures one request on a fake started with fakeArgs and on
// its ceiling, and returns both runs and the fake's RSS after its load (the
// largest seen right after one of its rounds). The
// measured time is split into --rounds that alternate between the two
// servers (never both at once), so that a change in the machine's other load
// during the run affects both alike.
func (b *bench) throughput(name, path string, hdr [][2]string, fakeArgs []string) (fakeRun, ceilRun *loadResult, rss int64, err error) {
	f, err := startFake(b.bin, b.fakeArgs(append([]string{"--http"}, fakeArgs...)...), "", 60*time.Second)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	defer f.stop()
	if _, err := f.waitHealthy(60 * time.Second); err != nil {
		return nil, nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	hdr = append([][2]string{{"SEC", f.token}}, hdr...)
	resp, err := capture(f.client, f.url+path, hdr)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	if resp.status != 200 {
		return nil, nil, 0, fmt.Errorf("%s: the fake answered %d: %.200s", name, resp.status, resp.body)
	}
	ceilAddr, ceilPID, closeCeil, err := b.startCeiling(resp)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("%s: ceiling: %w", name, err)
	}
	defer func() {
		if cerr := closeCeil(); err == nil && cerr != nil {
			err = fmt.Errorf("%s: ceiling: %w", name, cerr)
		}
	}()
	fakeReq, ceilReq := newRequest(f.addr, path, hdr), newRequest(ceilAddr, path, hdr)
	want := len(resp.body)
	b.logf("%s: %d-byte response; %d rounds of %v on the fake and on the ceiling", name, want, b.cfg.rounds, b.round())
	if b.cfg.warmup > 0 {
		for _, req := range []request{fakeReq, ceilReq} {
			if _, err := b.load(req, b.cfg.warmup, want, 0); err != nil {
				return nil, nil, 0, fmt.Errorf("%s: warm-up: %w", name, err)
			}
		}
	}
	fakeRun, ceilRun = &loadResult{}, &loadResult{}
	for range b.cfg.rounds {
		if err := b.interrupted(); err != nil {
			return nil, nil, 0, err
		}
		r, err := b.load(fakeReq, b.round(), want, f.cmd.Process.Pid)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("%s on the fake: %w", name, err)
		}
		fakeRun.add(r)
		// RSS right after the fake's load, before the ceiling's round.
		now, err := f.rss()
		if err != nil {
			return nil, nil, 0, err
		}
		rss = max(rss, now)
		if r, err = b.load(ceilReq, b.round(), want, ceilPID); err != nil {
			return nil, nil, 0, fmt.Errorf("%s on the ceiling: %w", name, err)
		}
		ceilRun.add(r)
	}
	b.logf("%s: fake %.0f req/s, ceiling %.0f req/s, ratio %.2f", name, fakeRun.rps(), ceilRun.rps(), fakeRun.rps()/ceilRun.rps())
	return fakeRun, ceilRun, rss, nil
}

// round is the length of one measured round.
func (b *bench) round() time.Duration { return b.cfg.duration / time.Duration(b.cfg.rounds) }

// startCeiling starts the ceiling for resp, in this process or (--ceiling
// process) in a child process.
// pid is the child's, 0 in this process.
func (b *bench) startCeiling(resp *captured) (addr string, pid int, closeFn func() error, err error) {
	if b.cfg.ceiling == "process" {
		p, err := startCeilingProcess(b.tmp, resp)
		if err != nil {
			return "", 0, nil, err
		}
		return p.addr, p.cmd.Process.Pid, p.close, nil
	}
	c, err := startCeiling(resp)
	if err != nil {
		return "", 0, nil, err
	}
	return c.addr, 0, c.close, nil
}

// load runs req for d, recording the CPU time used by the server process
// pid (if not 0) and by this process (the load generator, and the ceiling
// when it runs in process).
func (b *bench) load(req request, d time.Duration, wantLen, pid int) (*loadResult, error) {
	var srv0, srv1 time.Duration
	var err0, err1 error
	if pid != 0 {
		srv0, err0 = cpuOf(pid)
	}
	self0 := selfCPU()
	r := runLoad(req, b.cfg.conns, d, b.cfg.maxRequests, 200, wantLen)
	r.selfCPU = selfCPU() - self0
	if pid != 0 {
		srv1, err1 = cpuOf(pid)
		if err0 == nil && err1 == nil {
			r.serverCPU, r.serverCPUKnown = srv1-srv0, true
		}
	}
	if r.errors > 0 {
		return nil, fmt.Errorf("%d failed requests, first: %v", r.errors, r.firstErr)
	}
	if r.requests == 0 {
		return nil, errors.New("no request completed")
	}
	return r, nil
}

func (b *bench) getUser() error {
	const path = "/api/config/access/users/1001"
	fr, cr, rss, err := b.throughput("GET one user", path, [][2]string{{"Version", "26.0"}}, nil)
	if err != nil {
		return err
	}
	ratio := fr.rps() / cr.rps()
	b.rep.budget("GET /api/config/access/users/1001 (SEC, Version 26.0): fake ÷ ceiling req/s",
		ratioText(fr, cr), "≥ 0.6", ratio >= 0.6)
	b.rep.budget(fmt.Sprintf("RSS after %v of GET one user (default fixtures)", b.cfg.duration), fmtMB(rss), "≤ 60 MB", rss <= 60<<20)
	b.rep.load("GET /api/config/access/users/1001", fr, cr)
	return nil
}

func (b *bench) listPage() error {
	const path = "/api/config/access/users"
	fr, cr, rss, err := b.throughput("GET list of 50", path, [][2]string{{"Version", "26.0"}, {"Range", "items=0-49"}}, []string{"--seed-users", "1000"})
	if err != nil {
		return err
	}
	ratio := fr.rps() / cr.rps()
	b.rep.budget("GET /api/config/access/users, Range: items=0-49 (1,000 users): fake ÷ ceiling req/s",
		ratioText(fr, cr), "≥ 0.4", ratio >= 0.4)
	b.rep.budget(fmt.Sprintf("RSS after %v of list pages (1,000 users)", b.cfg.duration), fmtMB(rss), "≤ 60 MB", rss <= 60<<20)
	b.rep.load("GET /api/config/access/users, Range: items=0-49", fr, cr)
	return nil
}

func (b *bench) scale() error {
	n := b.cfg.scaleUsers
	b.logf("scale: starting with --seed-users %d", n)
	f, err := startFake(b.bin, b.fakeArgs("--http", "--seed-users", fmt.Sprint(n)), "", 5*time.Minute)
	if err != nil {
		return fmt.Errorf("scale: %w", err)
	}
	defer f.stop()
	seed, err := f.waitHealthy(5 * time.Minute)
	if err != nil {
		return fmt.Errorf("scale: %w", err)
	}
	time.Sleep(500 * time.Millisecond)
	idle, err := f.rss()
	if err != nil {
		return err
	}
	ranges := []string{"items=0-49", fmt.Sprintf("items=%d-%d", n/2, n/2+49), fmt.Sprintf("items=%d-%d", n-50, n-1)}
	var meds []time.Duration
	for _, rng := range ranges {
		if err := b.interrupted(); err != nil {
			return err
		}
		req := newRequest(f.addr, "/api/config/access/users", [][2]string{{"SEC", f.token}, {"Version", "26.0"}, {"Range", rng}})
		if _, err := sequential(req, 5, 30*time.Second, 200); err != nil { // warm-up
			return fmt.Errorf("scale %s: %w", rng, err)
		}
		h, err := sequential(req, b.cfg.pageRequests, 60*time.Second, 200)
		if err != nil {
			return fmt.Errorf("scale %s: %w", rng, err)
		}
		med := h.quantile(0.5)
		meds = append(meds, med)
		b.rep.page(rng, h)
		b.logf("scale: %s median %v over %d requests", rng, med.Round(time.Microsecond), h.n)
	}
	loaded, err := f.rss()
	if err != nil {
		return err
	}
	worst := slices.Max(meds[1:])
	ratio := float64(worst) / float64(meds[0])
	users := fmtInt(float64(n))
	b.rep.budget(fmt.Sprintf("Seeding %s users: exec → first 200 (plain HTTP)", users), fmtMS(seed), "≤ 2 s", seed <= 2*time.Second)
	b.rep.budget(fmt.Sprintf("Range page of 50 over %s users: worst ÷ first page (median of %d)", users, b.cfg.pageRequests),
		fmt.Sprintf("%.2f (%s ÷ %s)", ratio, fmtMS(worst), fmtMS(meds[0])), "≤ 3", ratio <= 3)
	rss := max(idle, loaded)
	b.rep.budget(fmt.Sprintf("RSS with %s users (idle %s, after the pages %s)", users, fmtMB(idle), fmtMB(loaded)), fmtMB(rss), "≤ 150 MB", rss <= 150<<20)
	return nil
}

// ratioText is "0.68 (40,980 ÷ 59,938; CPU/req 0.55)": the req/s ratio, both
// rates and, when both servers ran in processes of their own, the ratio of
// their CPU time per request (ceiling ÷ fake), which background load on the
// machine disturbs less than throughput.
func ratioText(fake, ceil *loadResult) string {
	s := fmt.Sprintf("%.2f (%s ÷ %s", fake.rps()/ceil.rps(), fmtInt(fake.rps()), fmtInt(ceil.rps()))
	fc, fok, _ := fake.cpuPerRequest()
	cc, cok, _ := ceil.cpuPerRequest()
	if fok && cok && fc > 0 {
		s += fmt.Sprintf("; CPU/req %.2f", float64(cc)/float64(fc))
	}
	return s + ")"
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
