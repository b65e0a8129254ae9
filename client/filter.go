package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// Filter is a QRadar filter expression (the "filter" query parameter) built so that
// values can never change its structure: strings are double-quoted with `\"` and `\\`
// escapes, numbers and booleans are written bare, and field names must match
// ^[A-Za-z_][A-Za-z0-9_]*(\([A-Za-z_][A-Za-z0-9_]*\))?$ (a top-level name, optionally
// with one sub-field in parentheses such as duration(days)).
//
// A Filter carries the first error met while building it; Build reports it, and any
// list call given the Filter returns it without sending a request. The zero Filter
// means "no filter".
//
//	client.And(client.Eq("username", input), client.In("user_role_id", 3, 4))
//	// (username="…") and (user_role_id in (3, 4))
type Filter struct {
	expr string
	err  error
}

var fieldNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\([A-Za-z_][A-Za-z0-9_]*\))?$`)

// ErrInvalidFilter is wrapped by every error the filter builder reports.
var ErrInvalidFilter = errors.New("client: invalid filter")

func filterErr(format string, args ...any) Filter {
	return Filter{err: fmt.Errorf("%w: %s", ErrInvalidFilter, fmt.Sprintf(format, args...))}
}

// Build returns the expression, or the first error met while building it.
func (f Filter) Build() (string, error) {
	if f.err != nil {
		return "", f.err
	}
	return f.expr, nil
}

// String returns the expression, or "" when building it failed.
func (f Filter) String() string {
	if f.err != nil {
		return ""
	}
	return f.expr
}

// Err returns the first error met while building the filter.
func (f Filter) Err() error { return f.err }

// IsZero reports whether f is the empty filter.
func (f Filter) IsZero() bool { return f.expr == "" && f.err == nil }

// RawFilter uses expr unchanged. Never build expr from untrusted input; use the
// builder functions instead.
func RawFilter(expr string) Filter { return Filter{expr: expr} }

// Eq is field = value.
func Eq(field string, value any) Filter { return compare(field, "=", value) }

// Ne is field != value.
func Ne(field string, value any) Filter { return compare(field, "!=", value) }

// Lt is field < value.
func Lt(field string, value any) Filter { return compare(field, "<", value) }

// Le is field <= value.
func Le(field string, value any) Filter { return compare(field, "<=", value) }

// Gt is field > value.
func Gt(field string, value any) Filter { return compare(field, ">", value) }

// Ge is field >= value.
func Ge(field string, value any) Filter { return compare(field, ">=", value) }

// In is field in (v1, v2, …); at least one value is required.
func In(field string, values ...any) Filter { return inList(field, "in", values) }

// NotIn is field not in (v1, v2, …); at least one value is required.
func NotIn(field string, values ...any) Filter { return inList(field, "not in", values) }

// Like is field like "pattern" (case-sensitive). The pattern is quoted but otherwise
// passed as-is: % and _ are wildcards, and QRadar's grammar documents no way to make
// them literal.
func Like(field, pattern string) Filter { return match(field, "like", pattern) }

// ILike is field ilike "pattern" (case-insensitive); see Like about wildcards.
func ILike(field, pattern string) Filter { return match(field, "ilike", pattern) }

// IsNull is field is null.
func IsNull(field string) Filter { return unary(field, "is null") }

// IsNotNull is field is not null.
func IsNotNull(field string) Filter { return unary(field, "is not null") }

// And joins filters with "and", each in parentheses. Zero filters among them are an error.
func And(filters ...Filter) Filter { return join("and", filters) }

// Or joins filters with "or", each in parentheses. Zero filters among them are an error.
func Or(filters ...Filter) Filter { return join("or", filters) }

// Not negates f: not (f).
func Not(f Filter) Filter {
	if f.err != nil {
		return f
	}
	if f.IsZero() {
		return filterErr("not: empty operand")
	}
	return Filter{expr: "not (" + f.expr + ")"}
}

func compare(field, op string, value any) Filter {
	if err := checkField(field); err != nil {
		return Filter{err: err}
	}
	v, err := literal(value)
	if err != nil {
		return Filter{err: fmt.Errorf("%w: field %s: %w", ErrInvalidFilter, field, err)}
	}
	return Filter{expr: field + op + v}
}

func inList(field, op string, values []any) Filter {
	if err := checkField(field); err != nil {
		return Filter{err: err}
	}
	if len(values) == 0 {
		return filterErr("field %s: %s needs at least one value", field, op)
	}
	parts := make([]string, len(values))
	for i, v := range values {
		s, err := literal(v)
		if err != nil {
			return Filter{err: fmt.Errorf("%w: field %s: %w", ErrInvalidFilter, field, err)}
		}
		parts[i] = s
	}
	return Filter{expr: field + " " + op + " (" + strings.Join(parts, ", ") + ")"}
}

func match(field, op, pattern string) Filter {
	if err := checkField(field); err != nil {
		return Filter{err: err}
	}
	return Filter{expr: field + " " + op + " " + quote(pattern)}
}

func unary(field, op string) Filter {
	if err := checkField(field); err != nil {
		return Filter{err: err}
	}
	return Filter{expr: field + " " + op}
}

func join(op string, filters []Filter) Filter {
	if len(filters) == 0 {
		return filterErr("%s: no operands", op)
	}
	parts := make([]string, len(filters))
	for i, f := range filters {
		if f.err != nil {
			return f
		}
		if f.IsZero() {
			return filterErr("%s: operand %d is empty", op, i+1)
		}
		parts[i] = "(" + f.expr + ")"
	}
	return Filter{expr: strings.Join(parts, " "+op+" ")}
}

func checkField(field string) error {
	if !fieldNameRE.MatchString(field) {
		return fmt.Errorf("%w: field name %q is not allowed", ErrInvalidFilter, field)
	}
	return nil
}

// quote writes s as a double-quoted string with backslash escapes for `"` and `\`.
// Every other character, newlines included, stays literal inside the quotes.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		if r == '"' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

func literal(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", errors.New("nil value (use IsNull)")
	case json.Number:
		if _, err := strconv.ParseFloat(string(x), 64); err != nil {
			return "", fmt.Errorf("%q is not a number", string(x))
		}
		return string(x), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return quote(rv.String()), nil
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "", fmt.Errorf("%v is not a finite number", f)
		}
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	}
	return "", fmt.Errorf("unsupported value type %T", v)
}
