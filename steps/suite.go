package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cucumber/godog"

	"github.com/fakeqradar/fakeqradar/features"
)

// requestTimeout bounds one HTTP exchange.
const requestTimeout = 2 * time.Minute

// Suite is one run of the contract suite against one target.
type Suite struct {
	cfg    Config
	remote *remote   // nil: a fresh in-process fake per scenario
	start  time.Time // where in-process fakes' clocks stand
	seq    atomic.Int64

	mu       sync.Mutex
	sweepErr error
	skipped  map[string][]string // reason → scenario names
}

// New checks cfg and, when it names a URL, probes that Console once: a
// Console that answers /_fake/health is a fakeqradar.
func New(ctx context.Context, cfg Config) (*Suite, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Suite{cfg: cfg, start: time.Now().UTC().Truncate(time.Millisecond)}
	if cfg.URL != "" {
		if s.remote, err = newRemote(ctx, cfg); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Prefix is the run-unique prefix of every name the run creates.
func (s *Suite) Prefix() string { return s.cfg.Prefix }

// Describe says what the suite runs against.
func (s *Suite) Describe() string {
	switch {
	case s.remote == nil:
		return "a fresh in-process fake Console per scenario"
	case s.remote.control:
		return s.remote.base + " (a fakeqradar: waits move its clock; @fake-only scenarios run)"
	case s.remote.fake:
		return s.remote.base + " (a fakeqradar whose control plane refuses the suite's credentials: @fake-only scenarios are skipped)"
	}
	writes := "@writes scenarios are skipped (set " + EnvAllowWrites + "=1 to run them)"
	if s.cfg.AllowWrites {
		writes = "@writes scenarios run"
	}
	return s.remote.base + " (a QRadar Console: @fake-only scenarios are skipped; " + writes + ")"
}

// TestSuite returns the godog suite of this run over the embedded features
// (unless opts names other paths or an FS), strict, with Tags(opts.Tags).
func (s *Suite) TestSuite(opts godog.Options) godog.TestSuite {
	if opts.FS == nil && len(opts.Paths) == 0 && len(opts.FeatureContents) == 0 {
		opts.FS = features.FS
		opts.Paths = []string{"."}
	}
	opts.Strict = true
	opts.Tags = Tags(opts.Tags)
	return godog.TestSuite{
		Name:                 "qradar-contract",
		TestSuiteInitializer: s.InitializeTestSuite,
		ScenarioInitializer:  s.InitializeScenario,
		Options:              &opts,
	}
}

// InitializeTestSuite registers the final sweep.
func (s *Suite) InitializeTestSuite(ctx *godog.TestSuiteContext) {
	ctx.AfterSuite(func() {
		s.reportSkips()
		err := s.sweep(context.Background())
		s.mu.Lock()
		s.sweepErr = err
		s.mu.Unlock()
	})
}

// SweepError reports a failure of the final sweep: objects with the run
// prefix that could not be removed.
func (s *Suite) SweepError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sweepErr
}

// InitializeScenario creates the state of one scenario and registers its
// hooks and steps.
func (s *Suite) InitializeScenario(ctx *godog.ScenarioContext) {
	sc := &scenario{suite: s}
	ctx.Before(sc.before)
	ctx.After(sc.after)
	sc.registerResponseSteps(ctx)
	sc.registerAuthSteps(ctx)
	sc.registerVersionSteps(ctx)
	sc.registerPagingSteps(ctx)
	sc.registerUserSteps(ctx)
	sc.registerValidationSteps(ctx)
	sc.registerProvisioningSteps(ctx)
	sc.registerRoleSteps(ctx)
	sc.registerDeprovisionSteps(ctx)
	sc.registerServiceSteps(ctx)
	sc.registerQuerySteps(ctx)
	sc.registerVendorNoteSteps(ctx)
}

// skipReason says why the target cannot run a scenario with these tags.
func (s *Suite) skipReason(tags map[string]bool) string {
	if s.remote == nil {
		return ""
	}
	if tags["@fake-only"] && !s.remote.control {
		if s.remote.fake {
			return "needs the fake's control plane, which refuses the suite's credentials (give the admin SEC token)"
		}
		return "needs a fake Console's control plane (/_fake); " + s.remote.base + " is a real Console"
	}
	if tags["@writes"] && !s.remote.fake && !s.cfg.AllowWrites {
		return "writes to the Console; set " + EnvAllowWrites + "=1 to run it against " + s.remote.base
	}
	return ""
}

// connect returns the scenario's connection: a fresh in-process fake, or
// the shared remote Console.
func (s *Suite) connect() (*conn, error) {
	if s.remote == nil {
		return startFake(s.start)
	}
	return &conn{
		base: s.remote.base, transport: s.remote.transport,
		token: s.cfg.Token, user: s.cfg.Username, pass: s.cfg.Password,
		fake: s.remote.fake, control: s.remote.control,
	}, nil
}

func (sc *scenario) before(ctx context.Context, p *godog.Scenario) (context.Context, error) {
	s := sc.suite
	sc.n = int(s.seq.Add(1))
	sc.title = p.Name
	sc.tags = map[string]bool{}
	for _, t := range p.Tags {
		sc.tags[t.Name] = true
	}
	if why := s.skipReason(sc.tags); why != "" {
		return ctx, sc.skip(why)
	}
	c, err := s.connect()
	if err != nil {
		return ctx, fmt.Errorf("starting the target: %w", err)
	}
	sc.conn = c
	sc.rec = &recorder{base: c.transport}
	sc.httpClient = &http.Client{Transport: sc.rec}
	sc.primary = credentials{token: c.token, user: c.user, pass: c.pass, basic: c.token == ""}
	sc.creds = sc.primary
	sc.version = s.cfg.Version
	if sc.admin, err = sc.newClient(sc.primary, s.cfg.Version, false); err != nil {
		return ctx, err
	}
	return ctx, nil
}

func (sc *scenario) after(ctx context.Context, _ *godog.Scenario, _ error) (context.Context, error) {
	if sc.conn == nil {
		return ctx, nil
	}
	defer sc.conn.close()
	if sc.admin == nil {
		return ctx, nil
	}
	if err := sc.cleanup(ctx); err != nil {
		return ctx, fmt.Errorf("cleaning up after the scenario: %w", err)
	}
	return ctx, nil
}

// skip skips the scenario for a reason the run's log reports at the end
// (godog's reports show skipped steps, not why).
func (sc *scenario) skip(reason string) error {
	s := sc.suite
	s.mu.Lock()
	if s.skipped == nil {
		s.skipped = map[string][]string{}
	}
	s.skipped[reason] = append(s.skipped[reason], sc.title)
	s.mu.Unlock()
	return fmt.Errorf("%w: %s", godog.ErrSkip, reason)
}

func (s *Suite) reportSkips() {
	s.mu.Lock()
	defer s.mu.Unlock()
	reasons := make([]string, 0, len(s.skipped))
	for r := range s.skipped {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		names := s.skipped[r]
		fmt.Fprintf(s.cfg.Log, "skipped %d scenario(s): %s:\n  - %s\n", len(names), r, strings.Join(names, "\n  - "))
	}
}

// joinErrs joins errors one per line.
func joinErrs(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return errors.New(strings.Join(msgs, "\n"))
}
