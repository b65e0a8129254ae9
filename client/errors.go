package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"
)

// Sentinel errors for errors.Is. An *APIError matches the one that fits its HTTP status;
// a name that cannot be resolved (*NameNotFoundError) matches ErrNotFound.
var (
	ErrUnauthorized     = errors.New("qradar: unauthorized")          // 401
	ErrForbidden        = errors.New("qradar: forbidden")             // 403
	ErrNotFound         = errors.New("qradar: not found")             // 404
	ErrMethodNotAllowed = errors.New("qradar: method not allowed")    // 405
	ErrConflict         = errors.New("qradar: conflict")              // 409
	ErrUnprocessable    = errors.New("qradar: unprocessable request") // 422
	ErrUnavailable      = errors.New("qradar: service unavailable")   // 502, 503, 504, 550
	ErrTaskFailed       = errors.New("qradar: task did not complete") // *TaskError
)

// APIError is a non-2xx answer from the Console, decoded from QRadar's error envelope
// {"http_response":{"code":…,"message":…},"code":…,"description":…,"details":{},"message":…}.
// When the body is not that JSON, Message holds the raw body (trimmed, at most 1 KiB).
type APIError struct {
	StatusCode  int            // HTTP status
	Code        int            // QRadar's unique code, e.g. 38302002; 0 when absent
	Message     string         // QRadar's message
	Description string         // QRadar's description, often ""
	Details     map[string]any // QRadar's details, normally empty
	HTTPMessage string         // http_response.message, the canned text for the status
	Method      string         // request method
	Path        string         // request path below /api
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "qradar: %s /api%s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.Code != 0 {
		fmt.Fprintf(&b, " (code %d)", e.Code)
	}
	switch {
	case e.Message != "":
		b.WriteString(": " + e.Message)
	case e.HTTPMessage != "":
		b.WriteString(": " + e.HTTPMessage)
	}
	if e.Description != "" && e.Description != e.Message {
		b.WriteString(" (" + e.Description + ")")
	}
	return b.String()
}

// Is maps the HTTP status onto the package's sentinel errors.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrMethodNotAllowed:
		return e.StatusCode == http.StatusMethodNotAllowed
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrUnprocessable:
		return e.StatusCode == http.StatusUnprocessableEntity
	case ErrUnavailable:
		switch e.StatusCode {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout, 550:
			return true
		}
	}
	return false
}

type envelope struct {
	HTTPResponse *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"http_response"`
	Code        json.Number    `json:"code"`
	Description string         `json:"description"`
	Details     map[string]any `json:"details"`
	Message     string         `json:"message"`
}

func newAPIError(method, path string, resp *http.Response, body []byte) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, Method: method, Path: path}
	var env envelope
	if err := json.Unmarshal(body, &env); err == nil && (env.HTTPResponse != nil || env.Message != "" || env.Code != "") {
		if code, err := env.Code.Int64(); err == nil {
			e.Code = int(code)
		}
		e.Message, e.Description, e.Details = env.Message, env.Description, env.Details
		if env.HTTPResponse != nil {
			e.HTTPMessage = env.HTTPResponse.Message
		}
		return e
	}
	e.Message = truncate(strings.TrimSpace(string(body)), 1024)
	if e.Message == "" {
		e.HTTPMessage = http.StatusText(resp.StatusCode)
	}
	return e
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) && len(s) > 0 {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// NameNotFoundError says a name (of a role, security profile, user or authorized
// service) matched nothing, and which names exist. It matches ErrNotFound.
type NameNotFoundError struct {
	Kind      string   // e.g. "user role"
	Name      string   // the name asked for
	Available []string // names that exist (sorted; nil when not listed)
}

func (e *NameNotFoundError) Error() string {
	msg := fmt.Sprintf("qradar: %s %q not found", e.Kind, e.Name)
	if e.Available != nil {
		if len(e.Available) == 0 {
			return msg + "; none exist"
		}
		q := make([]string, len(e.Available))
		for i, n := range e.Available {
			q[i] = fmt.Sprintf("%q", n)
		}
		msg += "; available: " + strings.Join(q, ", ")
	}
	return msg
}

// Is reports whether target is ErrNotFound.
func (e *NameNotFoundError) Is(target error) bool { return target == ErrNotFound }

func notFoundAmong(kind, name string, names []string) *NameNotFoundError {
	avail := append([]string{}, names...)
	sort.Strings(avail)
	return &NameNotFoundError{Kind: kind, Name: name, Available: avail}
}

// TaskError reports a task that ended in a terminal state other than COMPLETED.
// It matches ErrTaskFailed.
type TaskError struct {
	Task *Task
}

func (e *TaskError) Error() string {
	msg := fmt.Sprintf("qradar: task %d ended %s", e.Task.ID, e.Task.Status)
	if e.Task.Message != "" {
		msg += ": " + e.Task.Message
	}
	return msg
}

// Is reports whether target is ErrTaskFailed.
func (e *TaskError) Is(target error) bool { return target == ErrTaskFailed }
