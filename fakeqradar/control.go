package fakeqradar

import (
	"crypto/subtle"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"
)

// faults are behaviours switched on through the control plane to make the
// fake fail on purpose.
type faults struct {
	mu          sync.Mutex
	deleteTasks string // outcome of new delete tasks: COMPLETED (default), CONFLICT, EXCEPTION
}

func (f *faults) taskOutcome() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.deleteTasks == "" {
		return "COMPLETED"
	}
	return f.deleteTasks
}

// SetDeleteTaskOutcome makes new user delete tasks end in outcome:
// "COMPLETED" (the default; the user is removed), "CONFLICT" or "EXCEPTION"
// (the user stays).
func (s *Server) SetDeleteTaskOutcome(outcome string) error {
	outcome = strings.ToUpper(outcome)
	switch outcome {
	case "", "COMPLETED", "CONFLICT", "EXCEPTION":
	default:
		return fmt.Errorf("fakeqradar: delete task outcome must be COMPLETED, CONFLICT or EXCEPTION, not %q", outcome)
	}
	s.faults.mu.Lock()
	s.faults.deleteTasks = outcome
	s.faults.mu.Unlock()
	return nil
}

// controlHandler serves /_fake/, the operator endpoints a real Console does
// not have. Everything but health needs the admin SEC token.
//
//	GET  /_fake/health            {"status":"ok"}
//	GET  /_fake/clock             {"now": ms, "offset_ms": n}
//	POST /_fake/clock             {"advance_ms": n} or {"advance": "5s"}
//	POST /_fake/reset             restore the fixtures
//	GET  /_fake/faults            current faults
//	POST /_fake/faults            {"delete_task_outcome": "CONFLICT"}
//	DELETE /_fake/faults          clear faults
//	GET  /_fake/journal           recent API requests (no headers, queries or bodies)
//	DELETE /_fake/journal         clear the journal
//	GET  /_fake/conformance       uses of the vendor-note surface (findings)
func (s *Server) controlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_fake/health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, object{{"status", "ok"}, {"now", s.nowMS()}})
	})
	mux.HandleFunc("GET /_fake/clock", s.admin(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, s.clockObject())
	}))
	mux.HandleFunc("POST /_fake/clock", s.admin(func(w http.ResponseWriter, r *http.Request) {
		body, aerr := decodeBody(r, true, false)
		if aerr != nil {
			writeError(w, aerr)
			return
		}
		var d time.Duration
		if v, f, err := bodyInt(body, "advance_ms"); err != nil {
			writeError(w, err)
			return
		} else if f.present && !f.null {
			if v > math.MaxInt64/int64(time.Millisecond) || v < math.MinInt64/int64(time.Millisecond) {
				writeError(w, newError(422, 1005, fmt.Sprintf("advance_ms %d is out of range", v), ""))
				return
			}
			d = time.Duration(v) * time.Millisecond
		} else if v, f, err := bodyString(body, "advance"); err != nil {
			writeError(w, err)
			return
		} else if f.present && !f.null {
			var perr error
			if d, perr = time.ParseDuration(v); perr != nil {
				writeError(w, newError(422, 1005, fmt.Sprintf("advance must be a Go duration such as \"5s\": %v", perr), ""))
				return
			}
		} else {
			writeError(w, newError(422, 1005, `give "advance_ms" (milliseconds) or "advance" (a duration such as "5s")`, ""))
			return
		}
		if d < 0 {
			writeError(w, newError(422, 1005, "the clock only moves forward", ""))
			return
		}
		if err := s.Advance(d); err != nil {
			writeError(w, errInternal("advance the clock"))
			return
		}
		writeJSON(w, 200, s.clockObject())
	}))
	mux.HandleFunc("POST /_fake/reset", s.admin(func(w http.ResponseWriter, r *http.Request) {
		if err := s.Reset(r.Context()); err != nil {
			writeError(w, errInternal("reset the fake"))
			return
		}
		writeJSON(w, 200, object{{"status", "reset"}})
	}))
	mux.HandleFunc("GET /_fake/faults", s.admin(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, object{{"delete_task_outcome", s.faults.taskOutcome()}})
	}))
	mux.HandleFunc("POST /_fake/faults", s.admin(func(w http.ResponseWriter, r *http.Request) {
		body, aerr := decodeBody(r, true, false)
		if aerr != nil {
			writeError(w, aerr)
			return
		}
		if v, f, err := bodyString(body, "delete_task_outcome"); err != nil {
			writeError(w, err)
			return
		} else if f.present {
			if err := s.SetDeleteTaskOutcome(v); err != nil {
				writeError(w, newError(422, 1005, err.Error(), ""))
				return
			}
		}
		writeJSON(w, 200, object{{"delete_task_outcome", s.faults.taskOutcome()}})
	}))
	mux.HandleFunc("DELETE /_fake/faults", s.admin(func(w http.ResponseWriter, r *http.Request) {
		_ = s.SetDeleteTaskOutcome("")
		writeJSON(w, 200, object{{"delete_task_outcome", s.faults.taskOutcome()}})
	}))
	mux.HandleFunc("GET /_fake/journal", s.admin(func(w http.ResponseWriter, r *http.Request) {
		entries := s.journal.list()
		out := make([]any, len(entries))
		for i, e := range entries {
			out[i] = object{{"time", e.Time}, {"method", e.Method}, {"path", e.Path}, {"status", e.Status},
				{"principal", e.Principal}, {"duration_us", e.DurationUS}, {"compat", e.Compat}}
		}
		writeJSON(w, 200, out)
	}))
	mux.HandleFunc("DELETE /_fake/journal", s.admin(func(w http.ResponseWriter, r *http.Request) {
		s.journal.clear()
		writeJSON(w, 200, object{{"status", "cleared"}})
	}))
	mux.HandleFunc("GET /_fake/conformance", s.admin(func(w http.ResponseWriter, r *http.Request) {
		findings := s.conformance.list()
		out := make([]any, len(findings))
		for i, f := range findings {
			statuses := make([]int64, len(f.Statuses))
			for j, st := range f.Statuses {
				statuses[j] = int64(st)
			}
			out[i] = object{{"method", f.Method}, {"path", f.Path}, {"finding", f.Finding}, {"count", f.Count},
				{"statuses", statuses}, {"first", f.First}, {"last", f.Last}}
		}
		writeJSON(w, 200, out)
	}))
	mux.HandleFunc("/_fake/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, newError(404, 4, fmt.Sprintf("%s %s is not a control-plane endpoint.", r.Method, r.URL.Path), ""))
	})
	return mux
}

func (s *Server) clockObject() object {
	return object{{"now", s.nowMS()}, {"offset_ms", s.offset.Load() / int64(time.Millisecond)}}
}

// admin guards a control-plane handler with the admin SEC token.
func (s *Server) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("SEC")
		if got == "" {
			writeError(w, errNoCredentials())
			return
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) != 1 {
			writeError(w, errBadCredentials())
			return
		}
		h(w, r)
	}
}
