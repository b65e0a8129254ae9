package fakeqradar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

const jsonContentType = "application/json;charset=UTF-8"

// object is a JSON object that keeps its keys in the order QRadar prints them.
type object []member

type member struct {
	Key   string
	Value any
}

func (o object) MarshalJSON() ([]byte, error) {
	return o.appendJSON(nil), nil
}

// toMap converts o (recursively) into plain maps for the query engine.
func (o object) toMap() map[string]any {
	m := make(map[string]any, len(o))
	for _, kv := range o {
		m[kv.Key] = plain(kv.Value)
	}
	return m
}

func plain(v any) any {
	switch x := v.(type) {
	case object:
		return x.toMap()
	case []object:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e.toMap()
		}
		return out
	case []int64:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case *int64:
		if x == nil {
			return nil
		}
		return *x
	case *string:
		if x == nil {
			return nil
		}
		return *x
	case int:
		return int64(x)
	default:
		return v
	}
}

// response is what a handler returns on success.
type response struct {
	Status int
	Body   any
	Header http.Header
	// pooled is the bufPool buffer Body (a rawJSON) lives in; it goes back
	// to the pool once written.
	pooled *[]byte
}

func ok(body any) *response { return &response{Status: http.StatusOK, Body: body} }

// writeJSON writes status, headers and body as JSON.
func writeJSON(w http.ResponseWriter, status int, body any) {
	if raw, isRaw := body.(rawJSON); isRaw {
		writeRaw(w, status, raw)
		return
	}
	bp := bufPool.Get().(*[]byte)
	b := appendJSON((*bp)[:0], body)
	h := w.Header()
	h["Content-Type"] = contentTypeJSON
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(status)
	_, _ = w.Write(b)
	if cap(b) <= 1<<20 {
		*bp = b
		bufPool.Put(bp)
	}
}

var contentTypeJSON = []string{jsonContentType}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h["Content-Type"] = contentTypeJSON
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func envelope(e *apiError) object {
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	msg := httpMessages[e.Status]
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	return object{
		{"http_response", object{{"code", e.Status}, {"message", msg}}},
		{"code", e.Code},
		{"description", e.Description},
		{"details", details},
		{"message", e.Message},
	}
}

func writeError(w http.ResponseWriter, e *apiError) {
	for k, v := range e.Header {
		w.Header()[k] = v
	}
	writeJSON(w, e.Status, envelope(e))
}

// maxBodyBytes is the largest request body accepted (413 beyond it).
const maxBodyBytes = 1 << 20

// readBody reads a JSON request body into a generic object. required says
// whether an empty body is an error (code 10) or an empty object.
func readBody(r *http.Request, required bool) (map[string]any, *apiError) {
	return decodeBody(r, required, true)
}

// decodeBody is readBody; checkType false accepts any Content-Type (the
// control plane, which `curl -d` reaches with a form type).
func decodeBody(r *http.Request, required, checkType bool) (map[string]any, *apiError) {
	if ct := r.Header.Get("Content-Type"); ct != "" && checkType {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json") && mt != "text/plain") {
			return nil, errUnsupportedMediaType(ct)
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errBodyTooLarge(maxBodyBytes)
		}
		return nil, errBodyTransform("the request body could not be read")
	}
	if len(body) > maxBodyBytes {
		return nil, errBodyTooLarge(maxBodyBytes)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if required {
			return nil, errBodyMissing()
		}
		return map[string]any{}, nil
	}
	if !utf8.Valid(body) {
		return nil, errBodyTransform("the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errBodyTransform(jsonProblem(body, err))
	}
	if dec.More() {
		return nil, errBodyTransform("unexpected data after the JSON value")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errBodyTransform("unexpected data after the JSON value")
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		return nil, errBodyTransform("expected a JSON object, got " + describeJSON(v))
	}
	if dup := duplicateKey(body); dup != "" {
		return nil, errBodyTransform(fmt.Sprintf("duplicate key %q in the JSON object", dup))
	}
	return m, nil
}

func jsonProblem(body []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("malformed JSON at byte %d: %s", se.Offset, se.Error())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "malformed JSON: unexpected end of input"
	}
	return "malformed JSON: " + err.Error()
}

// duplicateKey returns the first key that appears twice in one object of a
// syntactically valid JSON document, or "".
func duplicateKey(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	type frame struct {
		obj     bool
		wantKey bool
		keys    map[string]bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if top != nil && top.obj {
					top.wantKey = true
				}
				stack = append(stack, &frame{obj: t == '{', wantKey: true, keys: map[string]bool{}})
			case '}', ']':
				stack = stack[:len(stack)-1]
			}
		default:
			if top != nil && top.obj && top.wantKey {
				k, _ := t.(string)
				if top.keys[k] {
					return k
				}
				top.keys[k] = true
				top.wantKey = false
				continue
			}
			if top != nil && top.obj {
				top.wantKey = true
			}
		}
	}
}

// body helpers: each returns the value, whether the key was present, and an
// error naming the field when the JSON type is wrong. A present null gives
// present=true, isNull=true.

type field struct {
	present bool
	null    bool
}

func bodyInt(m map[string]any, key string) (int64, field, *apiError) {
	v, ok := m[key]
	if !ok {
		return 0, field{}, nil
	}
	if v == nil {
		return 0, field{present: true, null: true}, nil
	}
	n, isNum := v.(json.Number)
	if !isNum {
		return 0, field{present: true}, errFieldType(key, "an integer", v)
	}
	i, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		if f, ferr := strconv.ParseFloat(n.String(), 64); ferr == nil && f == float64(int64(f)) && !strings.ContainsAny(n.String(), "eE") {
			return int64(f), field{present: true}, nil
		}
		return 0, field{present: true}, newError(422, 1005, fmt.Sprintf("%s must be an integer between %d and %d, got %s", key, int64(-1<<63), int64(1<<63-1), n.String()), "A request parameter is not valid.")
	}
	return i, field{present: true}, nil
}

func bodyString(m map[string]any, key string) (string, field, *apiError) {
	v, ok := m[key]
	if !ok {
		return "", field{}, nil
	}
	if v == nil {
		return "", field{present: true, null: true}, nil
	}
	s, isStr := v.(string)
	if !isStr {
		return "", field{present: true}, errFieldType(key, "a string", v)
	}
	return s, field{present: true}, nil
}

func bodyBool(m map[string]any, key string) (bool, field, *apiError) {
	v, ok := m[key]
	if !ok {
		return false, field{}, nil
	}
	if v == nil {
		return false, field{present: true, null: true}, nil
	}
	b, isBool := v.(bool)
	if !isBool {
		return false, field{present: true}, errFieldType(key, "a boolean (true or false)", v)
	}
	return b, field{present: true}, nil
}
