package steps

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// exchange is one request and the Console's answer, as seen on the wire.
type exchange struct {
	Method string
	Path   string // request URI: path and query
	Status int
	Header http.Header
	Body   []byte
	Err    error // transport error; Status is 0
}

// qradarError is QRadar's error envelope.
type qradarError struct {
	HTTPResponse *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"http_response"`
	Code        json.Number `json:"code"`
	Description string      `json:"description"`
	Message     string      `json:"message"`
}

// code returns the QRadar code of an error answer, 0 when there is none.
func (e *exchange) code() int {
	var env qradarError
	if json.Unmarshal(e.Body, &env) != nil {
		return 0
	}
	n, err := env.Code.Int64()
	if err != nil {
		return 0
	}
	return int(n)
}

// message returns QRadar's message of an error answer.
func (e *exchange) message() string {
	var env qradarError
	_ = json.Unmarshal(e.Body, &env)
	return env.Message
}

// String describes the exchange for failure messages.
func (e *exchange) String() string {
	if e == nil {
		return "no request was sent"
	}
	if e.Err != nil {
		return fmt.Sprintf("%s %s failed: %v", e.Method, e.Path, e.Err)
	}
	return fmt.Sprintf("%s %s answered %d (code %d): %s", e.Method, e.Path, e.Status, e.code(),
		truncate(strings.TrimSpace(string(e.Body)), 2048))
}

// recorder is an http.RoundTripper that keeps every exchange of a scenario.
type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	log  []*exchange
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	ex := &exchange{Method: req.Method, Path: req.URL.RequestURI()}
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		ex.Err = err
		r.add(ex)
		return nil, err
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	resp.Body.Close()
	if rerr != nil {
		ex.Err = rerr
		r.add(ex)
		return nil, rerr
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	ex.Status, ex.Header, ex.Body = resp.StatusCode, resp.Header.Clone(), body
	r.add(ex)
	return resp, nil
}

func (r *recorder) add(ex *exchange) {
	r.mu.Lock()
	r.log = append(r.log, ex)
	r.mu.Unlock()
}

// mark returns the number of exchanges so far; since(mark) returns those
// that followed.
func (r *recorder) mark() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.log)
}

func (r *recorder) since(mark int) []*exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*exchange(nil), r.log[mark:]...)
}

// credentials are what a request authenticates with.
type credentials struct {
	token      string
	user, pass string
	basic      bool
}

func (c credentials) apply(h http.Header) {
	switch {
	case c.token != "":
		h.Set("SEC", c.token)
	case c.basic:
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.user+":"+c.pass)))
	}
}

// rawRequest is a request built by hand, for what the client will not send.
type rawRequest struct {
	method string
	path   string      // below the base URL, e.g. "/api/config/access/users?fields=id"
	header http.Header // extra headers; an empty value removes the header
	body   []byte
	// noVersion leaves out the Version header.
	noVersion bool
	// asSuite sends with the suite's own credentials and version instead of
	// the connector's, for lookups that are not the connector's action.
	asSuite bool
}

// send sends r with the scenario's current credentials and version and
// returns the exchange.
func (s *scenario) send(ctx context.Context, r rawRequest) *exchange {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	var rd io.Reader
	if r.body != nil {
		rd = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, s.conn.base+r.path, rd)
	if err != nil {
		return &exchange{Method: r.method, Path: r.path, Err: err}
	}
	creds, version := s.creds, s.version
	if r.asSuite {
		creds, version = s.primary, s.suite.cfg.Version
	}
	creds.apply(req.Header)
	if !r.noVersion {
		req.Header.Set("Version", version)
	}
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range r.header {
		if len(vs) == 0 || vs[0] == "" {
			req.Header.Del(k)
			continue
		}
		req.Header[http.CanonicalHeaderKey(k)] = vs
	}
	mark := s.rec.mark()
	resp, err := s.httpClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	if got := s.rec.since(mark); len(got) > 0 {
		return got[len(got)-1]
	}
	return &exchange{Method: r.method, Path: r.path, Err: err}
}

// jsonUnmarshal decodes b into v and shows b when it cannot.
func jsonUnmarshal(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decoding %s: %w", truncate(string(b), 512), err)
	}
	return nil
}

// mustJSON marshals v for a request body.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
