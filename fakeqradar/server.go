package fakeqradar

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fakeqradar/fakeqradar/fakeqradar/store"
	"github.com/fakeqradar/fakeqradar/fixtures"
)

// Server is one fake QRadar Console: its database, clock, API handler and,
// once Serve is called, its listener.
type Server struct {
	opts     Options
	store    *store.Store
	token    string
	versions *versionTable
	handler  http.Handler
	help     *helpData
	tls      *tlsMaterial

	offset      atomic.Int64 // clock offset, ns
	nextDue     atomic.Int64 // epoch ms of the next task/deploy to settle
	access      atomic.Pointer[accessCache]
	faults      faults
	journal     journal
	conformance conformance
	tokens      sync.Map // token hash → store.AuthorizedService: SEC lookups without a query
	sessions    sessions

	mu      sync.Mutex
	httpSrv *http.Server
	closed  bool
}

// New creates a Server: it opens (and if new, seeds) the database and
// prepares TLS material unless Options.HTTP is set. It does not listen; use
// Handler with your own server, or Serve.
func New(opts Options) (*Server, error) {
	opts = opts.withDefaults()
	if opts.Profile != ProfileDocumented && opts.Profile != ProfileVendorNote {
		return nil, fmt.Errorf("fakeqradar: unknown profile %q (want %q or %q)", opts.Profile, ProfileDocumented, ProfileVendorNote)
	}
	s := &Server{opts: opts, versions: versions, help: help, token: opts.Token}
	if s.token == "" {
		s.token = newUUID()
	}
	if !opts.HTTP {
		var err error
		if opts.TLSCertFile != "" || opts.TLSKeyFile != "" {
			if opts.TLSCertFile == "" || opts.TLSKeyFile == "" {
				return nil, errors.New("fakeqradar: TLSCertFile and TLSKeyFile go together")
			}
			s.tls, err = loadTLS(opts.TLSCertFile, opts.TLSKeyFile)
		} else {
			// Certificates follow the wall clock, not the fake clock: a client
			// checks validity against its own time.
			s.tls, err = generateTLS(time.Now())
		}
		if err != nil {
			return nil, fmt.Errorf("fakeqradar: %w", err)
		}
	}
	st, err := store.Open(opts.DB)
	if err != nil {
		return nil, fmt.Errorf("fakeqradar: %w", err)
	}
	s.store = st
	ctx := context.Background()
	empty, err := st.Empty(ctx)
	if err == nil && empty {
		err = s.seed(ctx)
	} else if err == nil {
		err = s.adoptToken(ctx)
	}
	if err == nil {
		err = s.reloadAccess(ctx)
	}
	if err == nil {
		err = s.refreshDue(ctx)
	}
	if err == nil {
		err = st.WarmCache(ctx)
	}
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("fakeqradar: %w", err)
	}
	s.handler = s.buildHandler()
	return s, nil
}

func (s *Server) seed(ctx context.Context) error {
	set := s.opts.Fixtures
	if set == nil {
		set = fixtures.Default()
	}
	if err := set.Validate(); err != nil {
		return err
	}
	if err := s.store.Seed(ctx, set, s.token, s.nowMS()); err != nil {
		return fmt.Errorf("seed fixtures: %w", err)
	}
	if s.opts.SeedUsers > 0 {
		if err := s.seedSynthetic(ctx, s.opts.SeedUsers); err != nil {
			return err
		}
	}
	return nil
}

// seedSynthetic adds n deployed users with the least privileged role and the
// first non-Admin profile.
func (s *Server) seedSynthetic(ctx context.Context, n int) error {
	roles, err := s.store.ListRoles(ctx)
	if err != nil || len(roles) == 0 {
		return fmt.Errorf("seed users: no roles: %v", err)
	}
	profiles, err := s.store.ListSecurityProfiles(ctx)
	if err != nil || len(profiles) == 0 {
		return fmt.Errorf("seed users: no security profiles: %v", err)
	}
	role := roles[len(roles)-1]
	for _, r := range roles {
		if !hasAdmin(r) {
			role = r
		}
	}
	profile := profiles[0]
	_, err = s.store.SeedUsers(ctx, n, "user", role.ID, profile.ID, s.nowMS())
	return err
}

// adoptToken makes an existing database accept this run's admin token: the
// service marked admin_token gets the new token's hash (a token is never
// stored in clear, so a restart cannot recover the old one unless
// Options.Token fixes it).
func (s *Server) adoptToken(ctx context.Context) error {
	_, err := s.store.DB().ExecContext(ctx, "UPDATE authorized_services SET token_hash = ? WHERE admin_token = 1", store.TokenHash(s.token))
	s.forgetTokens()
	return err
}

// Handler returns the Console's HTTP handler: the /api surface and the
// /_fake control plane.
func (s *Server) Handler() http.Handler { return s.handler }

// Token returns the admin SEC token.
func (s *Server) Token() string { return s.token }

// Store returns the Server's database, for tests that seed or inspect state
// directly.
func (s *Server) Store() *store.Store { return s.store }

// CACertPEM returns the PEM of the CA that signed the Server's certificate
// (nil for a plain-HTTP server).
func (s *Server) CACertPEM() []byte {
	if s.tls == nil {
		return nil
	}
	return append([]byte(nil), s.tls.caPEM...)
}

// TLSConfig returns the server-side TLS configuration (nil for plain HTTP).
func (s *Server) TLSConfig() *tls.Config {
	if s.tls == nil {
		return nil
	}
	return s.tls.serverTLSConfig()
}

// Now returns the Server's current time: the clock plus any advance.
func (s *Server) Now() time.Time {
	return s.opts.Now().Add(time.Duration(s.offset.Load()))
}

func (s *Server) nowMS() int64 { return s.Now().UnixMilli() }

// Advance moves the Server's clock forward by d and applies every task and
// deploy that finishes within it.
func (s *Server) Advance(d time.Duration) error {
	if d < 0 {
		return errors.New("fakeqradar: the clock only moves forward")
	}
	s.offset.Add(int64(d))
	return s.settle(context.Background())
}

// settle applies due tasks and deploys if any is due.
func (s *Server) settle(ctx context.Context) error {
	if s.nowMS() < s.nextDue.Load() {
		return nil
	}
	if err := s.store.Settle(ctx, s.nowMS()); err != nil {
		return err
	}
	return s.refreshDue(ctx)
}

func (s *Server) refreshDue(ctx context.Context) error {
	due, ok, err := s.store.NextDue(ctx)
	if err != nil {
		return err
	}
	if !ok {
		due = math.MaxInt64
	}
	s.nextDue.Store(due)
	return nil
}

// noteDue lowers the next settle time to due.
func (s *Server) noteDue(due int64) {
	for {
		cur := s.nextDue.Load()
		if due >= cur || s.nextDue.CompareAndSwap(cur, due) {
			return
		}
	}
}

// Reset restores the fixtures: every user, service, task and deploy made
// since is gone and faults are cleared; the admin token and the clock stay.
func (s *Server) Reset(ctx context.Context) error {
	defer s.forgetTokens()
	s.sessions.clear()
	s.conformance.clear()
	_ = s.SetDeleteTaskOutcome("")
	if err := s.store.Clear(ctx); err != nil {
		return err
	}
	if err := s.seed(ctx); err != nil {
		return err
	}
	if err := s.reloadAccess(ctx); err != nil {
		return err
	}
	return s.refreshDue(ctx)
}

// Serve accepts connections on ln (HTTPS unless Options.HTTP) until
// Shutdown or Close. It returns http.ErrServerClosed after a clean stop.
func (s *Server) Serve(ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.opts.ReadHeaderTimeout,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20, // larger headers than maxHeaderBytes get an envelope from serveAPI
		ErrorLog:          nil,
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return http.ErrServerClosed
	}
	s.httpSrv = srv
	s.mu.Unlock()
	if s.tls != nil {
		srv.TLSConfig = s.tls.serverTLSConfig()
		return srv.Serve(tls.NewListener(ln, srv.TLSConfig))
	}
	return srv.Serve(ln)
}

// Shutdown stops accepting connections, waits for in-flight requests (until
// ctx ends) and closes the database.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	srv := s.httpSrv
	already := s.closed
	s.closed = true
	s.mu.Unlock()
	if already {
		return nil
	}
	var err error
	if srv != nil {
		err = srv.Shutdown(ctx)
	}
	if cerr := s.store.Close(); err == nil {
		err = cerr
	}
	return err
}

// Close stops the server at once and closes the database.
func (s *Server) Close() error {
	s.mu.Lock()
	srv := s.httpSrv
	already := s.closed
	s.closed = true
	s.mu.Unlock()
	if already {
		return nil
	}
	if srv != nil {
		_ = srv.Close()
	}
	return s.store.Close()
}

// newUUID returns a random (version 4) UUID string.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
