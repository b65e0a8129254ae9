package fakeqradar

import (
	"context"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"
)

// call is one API request on its way through the pipeline.
type call struct {
	s       *Server
	w       http.ResponseWriter
	r       *http.Request
	ctx     context.Context
	rel     string // path relative to /api
	route   *route
	vars    map[string]string
	who     *principal
	version *apiVersion
	rng     *itemRange
	list    *listParams
}

// id returns the integer path variable name.
func (c *call) id(name string) (int64, *apiError) {
	raw := c.vars[name]
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, errPathTransform(name, raw)
	}
	return n, nil
}

func (c *call) now() int64 { return c.s.nowMS() }

// buildHandler assembles the router: /api through the pipeline, /_fake to
// the control plane, anything else the Console's HTML error page.
func (s *Server) buildHandler() http.Handler {
	api := apiRouter()
	control := s.controlHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		path := r.URL.Path
		switch {
		case path == "/api" || strings.HasPrefix(path, "/api/"):
			sw.api = true
			s.serveAPI(sw, r, api)
		case strings.HasPrefix(path, "/_fake/"):
			control.ServeHTTP(sw, r)
		default:
			// A Console answers unknown non-API paths with its HTML
			// application error page [C mock-radar, I real Console].
			sw.Header().Set("Content-Type", "text/html;charset=UTF-8")
			sw.WriteHeader(http.StatusOK)
			_, _ = sw.Write([]byte("<!DOCTYPE html><html><head><title>Application error</title></head><body><h1>Application error</h1><p>The page you requested is not available.</p></body></html>\n"))
		}
		if sw.api {
			now := s.nowMS()
			s.journal.add(JournalEntry{Time: now, Method: r.Method, Path: path, Status: sw.status(),
				Principal: sw.principal, DurationUS: time.Since(start).Microseconds(), Compat: sw.compat})
			if sw.compat && sw.route != nil {
				s.conformance.record(sw.route.Method, "/api"+sw.route.Path, sw.finding, sw.status(), now)
			}
		}
		// Only the method, path and status: never headers, query or body,
		// which may carry credentials.
		s.opts.Logger.LogAttrs(r.Context(), levelInfo, "request",
			attr("method", r.Method), attr("path", path), attrInt("status", sw.status()), attrDur("duration", time.Since(start)))
	})
}

type callKey struct{}

// apiRouter is the router of the route table, built once per process: its
// handlers find their Server in the request's call.
var apiRouter = sync.OnceValue(func() http.Handler {
	api := mux.NewRouter()
	// No path cleaning: a Console does not redirect "/a/../b"; such paths
	// simply name no endpoint (404 code 4).
	api.SkipClean(true)
	byPath := map[string][]*route{}
	var order []string
	for _, rt := range routes {
		if _, seen := byPath[rt.Path]; !seen {
			order = append(order, rt.Path)
		}
		byPath[rt.Path] = append(byPath[rt.Path], rt)
	}
	for _, p := range order {
		api.Handle("/api"+p, routeGroup(byPath[p]))
	}
	api.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := r.Context().Value(callKey{}).(*call)
		writeError(w, errUnknownPath(c.rel))
	})
	return api
})

// routeGroup dispatches one path to the route of the request's method, or
// answers 405 with an Allow header.
func routeGroup(routes []*route) http.Handler {
	methods := make([]string, 0, len(routes))
	for _, rt := range routes {
		methods = append(methods, rt.Method)
	}
	sort.Strings(methods)
	allow := strings.Join(methods, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := r.Context().Value(callKey{}).(*call)
		for _, rt := range routes {
			if rt.Method == r.Method || (r.Method == http.MethodHead && rt.Method == http.MethodGet) {
				c.route, c.vars = rt, mux.Vars(r)
				if sw, isSW := c.w.(*statusWriter); isSW {
					sw.compat, sw.route = rt.Compat, rt
					if rt.Compat {
						sw.finding = "path not in IBM's API reference (vendor-note compatibility surface)"
					}
				}
				c.s.serveRoute(c)
				return
			}
		}
		writeError(w, errMethodNotAllowed(r.Method, c.rel, allow))
	})
}

// serveAPI runs the pipeline in the Console's order: auth → Accept →
// Version → route (404/405) → capability → Range → fields/filter/sort →
// handler.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, api http.Handler) {
	// A Console (a Java servlet container) takes ";" in a query string
	// literally; Go would split on it and drop the parameter.
	if strings.Contains(r.URL.RawQuery, ";") {
		r.URL.RawQuery = strings.ReplaceAll(r.URL.RawQuery, ";", "%3B")
	}
	if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
		writeError(w, errBadQuery(err))
		return
	}
	c := &call{s: s, w: w, r: r, ctx: r.Context()}
	c.rel = strings.TrimPrefix(r.URL.Path, "/api")
	if c.rel == "" {
		c.rel = "/"
	}
	// A trailing slash names the same resource [I reference §10].
	if len(c.rel) > 1 && strings.HasSuffix(c.rel, "/") {
		c.rel = strings.TrimRight(c.rel, "/")
		if c.rel == "" {
			c.rel = "/"
		}
	}
	if headerBytes(r) > maxHeaderBytes {
		writeError(w, errHeaderTooLarge(maxHeaderBytes))
		return
	}
	who, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	c.who = who
	if sw, isSW := w.(*statusWriter); isSW {
		sw.principal = who.Name
	}
	s.setSessionCookie(w, r, who)
	if accept := r.Header.Values("Accept"); len(accept) > 0 && !acceptsJSON(accept) {
		writeError(w, errNotAcceptable(strings.Join(accept, ", ")))
		return
	}
	v, verr := s.versions.resolve(r.Header.Get("Version"), s.opts.DefaultVersion)
	if verr != nil {
		writeError(w, verr)
		return
	}
	c.version = v
	if v.Deprecated {
		// [U] reference §3: the header's value is not documented.
		w.Header().Set("Deprecated", "true")
	}
	if err := s.settle(c.ctx); err != nil {
		writeError(w, errInternal("complete pending tasks"))
		return
	}
	// A shallow copy: the request is ours, its headers are not changed.
	r2 := r.WithContext(context.WithValue(r.Context(), callKey{}, c))
	if p := "/api" + c.rel; p != r.URL.Path {
		u := *r.URL
		u.Path, u.RawPath = p, ""
		r2.URL = &u
	}
	api.ServeHTTP(w, r2)
}

// serveRoute runs the per-route steps and the handler.
func (s *Server) serveRoute(c *call) {
	rt := c.route
	if rt.Since != "" {
		since := s.versions.byName[rt.Since]
		if since != nil && c.version.less(since) {
			writeError(c.w, errUnknownPath(c.rel))
			return
		}
	}
	if rt.Admin && !c.who.Admin {
		writeError(c.w, errForbidden())
		return
	}
	if rt.List != nil {
		if h := c.r.Header.Get("Range"); h != "" {
			rng, err := parseRange(h)
			if err != nil {
				writeError(c.w, err)
				return
			}
			c.rng = rng
		}
	}
	if lp, err := s.parseListParams(c); err != nil {
		writeError(c.w, err)
		return
	} else {
		c.list = lp
	}
	resp, err := rt.Handler(s, c)
	if err != nil {
		writeError(c.w, err)
		return
	}
	for k, v := range resp.Header {
		c.w.Header()[k] = v
	}
	writeJSON(c.w, resp.Status, resp.Body)
	if resp.pooled != nil && cap(*resp.pooled) <= 1<<20 {
		bufPool.Put(resp.pooled)
	}
}

// maxHeaderBytes is the largest request header block the API accepts.
const maxHeaderBytes = 64 << 10

func headerBytes(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI)
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// markCompat records in the journal that a documented path was used with a
// vendor-note shape (nested user_role / security_profile objects).
func (c *call) markCompat(finding string) {
	if sw, isSW := c.w.(*statusWriter); isSW {
		sw.compat, sw.finding = true, finding
	}
}

// acceptsJSON reports whether any media range of the Accept header admits
// application/json.
func acceptsJSON(values []string) bool {
	seen := false
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			seen = true
			mt, params, err := mime.ParseMediaType(part)
			if err != nil {
				continue
			}
			if q, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
					continue
				}
			}
			switch mt {
			case "application/json", "application/*", "*/*":
				return true
			}
		}
	}
	return !seen
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	code      int
	api       bool
	principal string
	compat    bool
	route     *route
	finding   string
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
