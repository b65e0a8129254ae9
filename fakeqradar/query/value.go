package query

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// num is an integer or a float, compared exactly with each other the way
// SQLite compares INTEGER and REAL values.
type num struct {
	isInt bool
	i     int64
	f     float64
}

func (n num) arg() any {
	if n.isInt {
		return n.i
	}
	return n.f
}

// value is a typed scalar: a string, or a number (booleans are 0/1, as they
// are stored in SQL).
type value struct {
	isStr bool
	s     string
	n     num
}

func (v value) arg() any {
	if v.isStr {
		return v.s
	}
	return v.n.arg()
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpFloatInt compares a float with an int exactly (f is not NaN).
func cmpFloatInt(f float64, i int64) int {
	if f < -0x1p63 {
		return -1
	}
	if f >= 0x1p63 {
		return 1
	}
	t := math.Trunc(f)
	if c := cmpInt(int64(t), i); c != 0 {
		return c
	}
	return cmpFloat(f-t, 0)
}

func cmpNum(a, b num) int {
	switch {
	case a.isInt && b.isInt:
		return cmpInt(a.i, b.i)
	case !a.isInt && !b.isInt:
		return cmpFloat(a.f, b.f)
	case a.isInt:
		return -cmpFloatInt(b.f, a.i)
	}
	return cmpFloatInt(a.f, b.i)
}

// cmpValue compares two values of the same field kind. Strings compare
// byte-wise, like SQLite's default BINARY collation.
func cmpValue(a, b value) int {
	if a.isStr || b.isStr {
		return strings.Compare(a.s, b.s)
	}
	return cmpNum(a.n, b.n)
}

// isNumber reports whether s is a decimal number: optional sign, digits with
// an optional fraction, optional exponent ("-1", "2.5", ".5", "1e3").
func isNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// parseNum turns a literal into a number: an int64 when it is written without
// fraction or exponent and fits, a finite float64 otherwise.
func parseNum(s string) (num, bool) {
	if !isNumber(s) {
		return num{}, false
	}
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return num{isInt: true, i: i}, true
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return num{}, false
	}
	return num{f: f}, true
}

// numOf converts a record value to a number. NaN counts as null (SQLite
// stores NaN as NULL).
func numOf(raw any) (num, bool) {
	switch x := raw.(type) {
	case int64:
		return num{isInt: true, i: x}, true
	case int:
		return num{isInt: true, i: int64(x)}, true
	case float64:
		if math.IsNaN(x) {
			return num{}, false
		}
		return num{f: x}, true
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return num{isInt: true, i: i}, true
		}
		f, err := x.Float64()
		if err != nil || math.IsNaN(f) {
			return num{}, false
		}
		return num{f: f}, true
	case int32:
		return num{isInt: true, i: int64(x)}, true
	case float32:
		return numOf(float64(x))
	case bool:
		if x {
			return num{isInt: true, i: 1}, true
		}
		return num{isInt: true}, true
	}
	rv := reflect.ValueOf(raw)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return num{isInt: true, i: rv.Int()}, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u <= math.MaxInt64 {
			return num{isInt: true, i: int64(u)}, true
		}
		return num{f: float64(u)}, true
	case reflect.Float32, reflect.Float64:
		return numOf(rv.Float())
	}
	return num{}, false
}

// valueOf converts a record value to the field's kind. A nil value, or a value
// of another type, counts as null (ok=false).
func valueOf(k Kind, raw any) (value, bool) {
	switch k {
	case KindString:
		s, ok := raw.(string)
		return value{isStr: true, s: s}, ok
	case KindInt, KindFloat, KindBool:
		n, ok := numOf(raw)
		return value{n: n}, ok
	}
	return value{}, false
}

// litValue converts a filter literal to the kind of the field it is compared
// with:
//   - string fields take any literal as its text ("5", "true", "1e3" as written);
//   - integer and float fields take a number, bare or quoted ("5" and 5 both);
//   - boolean fields take true or false (any case), bare or quoted.
func litValue(k Kind, l lit) (value, bool) {
	switch k {
	case KindString:
		return value{isStr: true, s: l.text}, true
	case KindInt, KindFloat:
		n, ok := parseNum(l.text)
		return value{n: n}, ok
	case KindBool:
		switch {
		case strings.EqualFold(l.text, "true"):
			return value{n: num{isInt: true, i: 1}}, true
		case strings.EqualFold(l.text, "false"):
			return value{n: num{isInt: true}}, true
		}
	}
	return value{}, false
}

// listOf returns the elements of a list value; a nil or non-list value has
// none.
func listOf(raw any) []any {
	switch x := raw.(type) {
	case nil:
		return nil
	case []any:
		return x
	case []map[string]any:
		out := make([]any, len(x))
		for i, m := range x {
			out[i] = m
		}
		return out
	}
	rv := reflect.ValueOf(raw)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out
}

// lookupPath follows map keys from v; a missing key or a non-object on the
// way gives nil.
func lookupPath(v any, path []string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// isNullValue is the Go side of "is null": nil, or a scalar that is not of
// the field's kind.
func isNullValue(k Kind, raw any) bool {
	if raw == nil {
		return true
	}
	if k.scalar() {
		_, ok := valueOf(k, raw)
		return !ok
	}
	return false
}
