package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"
)

// Defaults used when the corresponding option is not given.
const (
	// DefaultVersion is the API version sent in the Version header (QRadar 7.5.0 UP12/UP13).
	DefaultVersion = "26.0"
	// DefaultPageSize is the number of items asked for per Range page.
	DefaultPageSize = 50
	// DefaultMaxConcurrentRequests bounds the requests one Client has in flight.
	DefaultMaxConcurrentRequests = 4
	// DefaultTimeout bounds a single HTTP attempt, including reading the body.
	DefaultTimeout = 60 * time.Second
	// DefaultUserAgent is sent unless WithUserAgent overrides it.
	DefaultUserAgent = "qradar-go-client"
	// MinPollInterval is the shortest wait before any poll of a task or deploy.
	MinPollInterval = 250 * time.Millisecond

	maxResponseBytes = 64 << 20
)

// Client talks to one QRadar Console. Create it with New; it is safe for concurrent use.
type Client struct {
	// Users reads and updates deployed users (/api/config/access/users).
	Users *UsersService
	// StagedUsers creates, updates and deletes users in staging (/api/staged_config/access/users).
	StagedUsers *StagedUsersService
	// Roles reads user roles (/api/config/access/user_roles).
	Roles *RolesService
	// SecurityProfiles reads security profiles (/api/config/access/security_profiles).
	SecurityProfiles *SecurityProfilesService
	// AuthorizedServices manages authorized services, i.e. SEC tokens.
	AuthorizedServices *AuthorizedServicesService
	// Tasks reads and waits for user delete tasks.
	Tasks *TasksService
	// Deploy starts and watches deploys of staged configuration.
	Deploy *DeployService

	base       *url.URL
	hc         *http.Client
	authorize  func(*http.Request)
	version    string
	userAgent  string
	timeout    time.Duration
	sem        chan struct{}
	retry      RetryPolicy
	poll       Backoff
	progress   func(PollEvent)
	vendorNote bool
	logger     *slog.Logger
	sleep      func(context.Context, time.Duration) error
	rand       func() float64
}

type service struct{ c *Client }

// Option configures a Client in New.
type Option func(*settings) error

type settings struct {
	token         string
	basicUser     string
	basicPass     string
	basic         bool
	version       string
	caPEM         []byte
	caFile        string
	insecure      bool
	logger        *slog.Logger
	httpClient    *http.Client
	userAgent     string
	timeout       time.Duration
	maxConcurrent int
	retry         RetryPolicy
	poll          Backoff
	progress      func(PollEvent)
	vendorNote    bool
	sleep         func(context.Context, time.Duration) error
}

// WithSECToken authenticates every request with the header "SEC: token" (an authorized
// service token). It cannot be combined with WithBasicAuth.
func WithSECToken(token string) Option {
	return func(s *settings) error {
		if token == "" {
			return errors.New("client: empty SEC token")
		}
		s.token = token
		return nil
	}
}

// WithBasicAuth authenticates every request as a QRadar user with HTTP Basic credentials.
// It cannot be combined with WithSECToken.
func WithBasicAuth(username, password string) Option {
	return func(s *settings) error {
		if username == "" {
			return errors.New("client: empty Basic auth username")
		}
		s.basic, s.basicUser, s.basicPass = true, username, password
		return nil
	}
}

// WithVersion sets the API version sent as the Version header on every request
// (default DefaultVersion). A Console given no Version answers with its newest version,
// so the header is never omitted.
func WithVersion(version string) Option {
	return func(s *settings) error {
		if strings.TrimSpace(version) == "" {
			return errors.New("client: empty API version")
		}
		s.version = version
		return nil
	}
}

// WithCACertPEM verifies the Console's certificate against the given PEM certificates
// only (they replace the system roots), so a self-signed Console is checked rather than
// trusted blindly.
func WithCACertPEM(pem []byte) Option {
	return func(s *settings) error {
		if len(pem) == 0 {
			return errors.New("client: empty CA certificate PEM")
		}
		s.caPEM = append([]byte(nil), pem...)
		return nil
	}
}

// WithCACertFile is WithCACertPEM with the PEM read from a file when New runs.
func WithCACertFile(path string) Option {
	return func(s *settings) error {
		if path == "" {
			return errors.New("client: empty CA certificate path")
		}
		s.caFile = path
		return nil
	}
}

// WithInsecureSkipVerify turns off TLS certificate verification. New logs a warning
// through the logger; prefer WithCACertPEM or WithCACertFile.
func WithInsecureSkipVerify() Option {
	return func(s *settings) error {
		s.insecure = true
		return nil
	}
}

// WithLogger sets the logger for warnings and retry notes (default slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return errors.New("client: nil logger")
		}
		s.logger = l
		return nil
	}
}

// WithHTTPClient sends requests through hc. If TLS options are also given, hc's
// transport must be nil or an *http.Transport; it is cloned, never modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return errors.New("client: nil http.Client")
		}
		s.httpClient = hc
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(s *settings) error {
		s.userAgent = ua
		return nil
	}
}

// WithTimeout bounds each HTTP attempt, body included (default DefaultTimeout).
// Zero means no per-attempt limit; the caller's context still applies.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return errors.New("client: negative timeout")
		}
		s.timeout = d
		return nil
	}
}

// WithMaxConcurrentRequests bounds how many requests the Client has in flight at once
// (default DefaultMaxConcurrentRequests). Consoles have undocumented concurrency limits.
func WithMaxConcurrentRequests(n int) Option {
	return func(s *settings) error {
		if n < 1 {
			return fmt.Errorf("client: max concurrent requests must be at least 1, got %d", n)
		}
		s.maxConcurrent = n
		return nil
	}
}

// WithRetryPolicy replaces the retry policy (default DefaultRetryPolicy()).
func WithRetryPolicy(p RetryPolicy) Option {
	return func(s *settings) error {
		if p.MaxAttempts < 1 {
			return errors.New("client: RetryPolicy.MaxAttempts must be at least 1")
		}
		s.retry = p
		return nil
	}
}

// WithPollBackoff sets how task and deploy waits space their polls
// (default DefaultPollBackoff()). Delays below MinPollInterval are raised to it.
func WithPollBackoff(b Backoff) Option {
	return func(s *settings) error {
		s.poll = b
		return nil
	}
}

// WithProgress sets the default progress callback of every wait, including the waits
// inside workflows. WaitOptions.Progress overrides it for one call.
func WithProgress(fn func(PollEvent)) Option {
	return func(s *settings) error {
		s.progress = fn
		return nil
	}
}

// WithSleepFunc replaces the function that waits between polls and retries
// (default: a timer that honours ctx). Tests use it to run waits instantly or to
// advance a fake Console's clock instead of wall time.
func WithSleepFunc(fn func(ctx context.Context, d time.Duration) error) Option {
	return func(s *settings) error {
		if fn == nil {
			return errors.New("client: nil sleep func")
		}
		s.sleep = fn
		return nil
	}
}

// WithVendorNoteMode makes the Client use the compatibility surface described by the
// vendor note instead of IBM's documented API wherever the two differ: roles at
// /api/config/access/roles, users created and deleted under /api/config/access/users,
// delete tasks polled at /api/config/access/users/delete_tasks/{task_id}, and role
// changes applied by POST /api/config/access/users/{id} without a deploy.
// These paths are not in IBM's API reference; check them against your Console.
func WithVendorNoteMode() Option {
	return func(s *settings) error {
		s.vendorNote = true
		return nil
	}
}

// New returns a Client for the Console at baseURL, e.g. "https://qradar.example.com"
// (a trailing "/api" is accepted and ignored).
func New(baseURL string, opts ...Option) (*Client, error) {
	s := settings{
		version:       DefaultVersion,
		userAgent:     DefaultUserAgent,
		timeout:       DefaultTimeout,
		maxConcurrent: DefaultMaxConcurrentRequests,
		retry:         DefaultRetryPolicy(),
		poll:          DefaultPollBackoff(),
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&s); err != nil {
			return nil, err
		}
	}
	base, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	if s.token != "" && s.basic {
		return nil, errors.New("client: choose either a SEC token or Basic credentials, not both")
	}
	if s.insecure && (s.caPEM != nil || s.caFile != "") {
		return nil, errors.New("client: a CA certificate and InsecureSkipVerify cannot be combined")
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	hc, err := buildHTTPClient(&s)
	if err != nil {
		return nil, err
	}
	if s.insecure {
		s.logger.Warn("TLS certificate verification is disabled; the Console's identity is not checked",
			"url", base.String())
	}
	c := &Client{
		base:       base,
		hc:         hc,
		version:    s.version,
		userAgent:  s.userAgent,
		timeout:    s.timeout,
		sem:        make(chan struct{}, s.maxConcurrent),
		retry:      s.retry,
		poll:       s.poll,
		progress:   s.progress,
		vendorNote: s.vendorNote,
		logger:     s.logger,
		sleep:      s.sleep,
		rand:       rand.Float64,
	}
	switch {
	case s.token != "":
		tok := s.token
		c.authorize = func(r *http.Request) { r.Header.Set("SEC", tok) }
	case s.basic:
		v := "Basic " + base64.StdEncoding.EncodeToString([]byte(s.basicUser+":"+s.basicPass))
		c.authorize = func(r *http.Request) { r.Header.Set("Authorization", v) }
	default:
		c.authorize = func(*http.Request) {}
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	sv := &service{c: c}
	c.Users = (*UsersService)(sv)
	c.StagedUsers = (*StagedUsersService)(sv)
	c.Roles = (*RolesService)(sv)
	c.SecurityProfiles = (*SecurityProfilesService)(sv)
	c.AuthorizedServices = (*AuthorizedServicesService)(sv)
	c.Tasks = (*TasksService)(sv)
	c.Deploy = (*DeployService)(sv)
	return c, nil
}

// Version returns the API version the Client sends.
func (c *Client) Version() string { return c.version }

// VendorNoteMode reports whether the Client uses the vendor note's compatibility paths.
func (c *Client) VendorNoteMode() bool { return c.vendorNote }

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("client: base URL: %w", err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("client: base URL %q must start with https:// (or http://)", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("client: base URL %q has no host", raw)
	}
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/api")
	u.RawPath, u.RawQuery, u.Fragment = "", "", ""
	return u, nil
}

func buildHTTPClient(s *settings) (*http.Client, error) {
	needTLS := s.insecure || s.caPEM != nil || s.caFile != ""
	if !needTLS {
		if s.httpClient != nil {
			return s.httpClient, nil
		}
		return &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}, nil
	}
	var hc http.Client
	if s.httpClient != nil {
		hc = *s.httpClient
	}
	var tr *http.Transport
	switch t := hc.Transport.(type) {
	case nil:
		tr = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		tr = t.Clone()
	default:
		return nil, fmt.Errorf("client: TLS options need an *http.Transport, the http.Client has %T", t)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if tr.TLSClientConfig != nil {
		cfg = tr.TLSClientConfig.Clone()
	}
	if s.insecure {
		cfg.InsecureSkipVerify = true
	} else {
		pool, err := CertPool(s.caPEM, s.caFile)
		if err != nil {
			return nil, fmt.Errorf("client: %w", err)
		}
		cfg.RootCAs = pool
	}
	tr.TLSClientConfig = cfg
	hc.Transport = tr
	return &hc, nil
}

// Response describes a successful HTTP exchange. Its body has already been decoded.
type Response struct {
	StatusCode int
	Header     http.Header
	// ContentRange is the parsed Content-Range header of a list page, or nil when the
	// Console sent none.
	ContentRange *ContentRange
}

type apiRequest struct {
	method string
	path   string // below /api, starting with "/"
	query  url.Values
	header http.Header
	body   any
}

func (c *Client) endpoint(path string, q url.Values) string {
	u := *c.base
	u.Path = c.base.Path + "/api" + path
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// do sends r (retrying when the policy allows), turns a non-2xx answer into *APIError
// and decodes a 2xx JSON body into out when out is non-nil.
func (c *Client) do(ctx context.Context, r *apiRequest, out any) (*Response, error) {
	var body []byte
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, fmt.Errorf("client: encoding request body: %w", err)
		}
		body = b
	}
	target := c.endpoint(r.path, r.query)
	attempts := 1
	if r.method == http.MethodGet || r.method == http.MethodHead || c.retry.RetryNonIdempotent {
		attempts = c.retry.MaxAttempts
	}
	for attempt := 1; ; attempt++ {
		resp, data, err := c.attempt(ctx, r, target, body)
		var apiErr *APIError
		if err == nil && (resp.StatusCode < 200 || resp.StatusCode > 299) {
			apiErr = newAPIError(r.method, r.path, resp, data)
		}
		if attempt < attempts && ctx.Err() == nil && c.retryable(resp, err) {
			d := c.retry.Backoff.delay(attempt-1, c.rand, 0)
			c.logger.Debug("retrying QRadar request", "method", r.method, "path", r.path,
				"attempt", attempt, "delay", d, "status", statusOf(resp), "error", errString(err))
			if serr := c.sleep(ctx, d); serr != nil {
				return nil, serr
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		res := &Response{StatusCode: resp.StatusCode, Header: resp.Header}
		if apiErr != nil {
			return res, apiErr
		}
		if cr := resp.Header.Get("Content-Range"); cr != "" {
			parsed, perr := ParseContentRange(cr)
			if perr != nil {
				return res, perr
			}
			res.ContentRange = &parsed
		}
		if out != nil {
			if len(bytes.TrimSpace(data)) == 0 {
				return res, fmt.Errorf("client: %s %s: empty response body (HTTP %d)", r.method, r.path, resp.StatusCode)
			}
			if err := json.Unmarshal(data, out); err != nil {
				return res, fmt.Errorf("client: %s %s: decoding response: %w", r.method, r.path, err)
			}
		}
		return res, nil
	}
}

func (c *Client) attempt(ctx context.Context, r *apiRequest, target string, body []byte) (*http.Response, []byte, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	defer func() { <-c.sem }()
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, target, rd)
	if err != nil {
		return nil, nil, fmt.Errorf("client: building request: %w", err)
	}
	for k, vs := range r.header {
		req.Header[k] = vs
	}
	c.authorize(req)
	req.Header.Set("Version", c.version)
	req.Header.Set("Accept", "application/json")
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return nil, nil, fmt.Errorf("client: %s %s: reading response: %w", r.method, r.path, err)
	}
	return resp, data, nil
}

func (c *Client) retryable(resp *http.Response, err error) bool {
	if err != nil {
		return isConnectionReset(err)
	}
	for _, s := range c.retry.StatusCodes {
		if resp.StatusCode == s {
			return true
		}
	}
	return false
}

func isConnectionReset(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}

func statusOf(r *http.Response) int {
	if r == nil {
		return 0
	}
	return r.StatusCode
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// CertPool builds the pool of CA certificates to verify a Console with from
// PEM bytes and/or a PEM file (both may be given; at least one certificate
// must be found).
func CertPool(pemBytes []byte, file string) (*x509.CertPool, error) {
	pemBytes = append([]byte(nil), pemBytes...)
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("reading CA certificate: %w", err)
		}
		pemBytes = append(append(pemBytes, '\n'), b...)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, errors.New("no PEM certificate found in the CA certificate")
	}
	return pool, nil
}
