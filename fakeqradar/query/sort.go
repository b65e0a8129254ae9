package query

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// SortKey is one key of a sort parameter.
type SortKey struct {
	// Path is the field, outermost name first: ["username"] or, for an
	// object member written duration(days), ["duration", "days"].
	Path []string
	// Desc is true for "-field".
	Desc bool
}

// String writes the key the way the sort parameter spells it, with a sign.
func (k SortKey) String() string {
	sign := "+"
	if k.Desc {
		sign = "-"
	}
	return sign + pathName(k.Path, false)
}

func sortErr(kind ErrorKind, pos int) *Error {
	text := sortUnknownText
	if kind == SortUnsupported {
		text = sortUnsupportedText
	}
	return &Error{Kind: kind, Code: CodeInvalidParameter, Message: text, Description: text, Pos: pos}
}

// sortChar is one character of a sort value, remembering whether it was
// escaped with a backslash.
type sortChar struct {
	r   rune
	esc bool
	pos int
}

// ParseSort parses a sort parameter (already URL-decoded): comma-separated
// keys "+name" (ascending), "-name" (descending) or "name" (ascending).
// A key may start with a space, which is what an unencoded "+" becomes in a
// query string; it means ascending. A backslash makes the next character
// literal, so "\," "\(" "\)" "\\" can appear in a name. Object members are
// written parent(child).
//
// Errors are *Error of kind SortUnknown (no such field, or a malformed key)
// and SortUnsupported (the field is not Sortable), both with Code 1005; the
// caller sets the endpoint's code (e.g. 38314001 / 38314002 for users).
// An empty or all-blank value gives no keys.
func ParseSort(s string, schema *Schema) ([]SortKey, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var parts [][]sortChar
	var cur []sortChar
	depth := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		c := sortChar{r: r, pos: i}
		i += n
		if r == '\\' && i < len(s) {
			r, n = utf8.DecodeRuneInString(s[i:])
			c = sortChar{r: r, esc: true, pos: c.pos}
			i += n
		}
		if !c.esc {
			switch r {
			case '(':
				depth++
			case ')':
				depth--
			case ',':
				if depth == 0 {
					parts = append(parts, cur)
					cur = nil
					continue
				}
			}
		}
		cur = append(cur, c)
	}
	parts = append(parts, cur)

	keys := make([]SortKey, 0, len(parts))
	for _, p := range parts {
		k, err := parseSortKey(p, schema, len(s))
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func isBlank(c sortChar) bool { return !c.esc && (c.r == ' ' || c.r == '\t') }

func parseSortKey(p []sortChar, schema *Schema, end int) (SortKey, *Error) {
	for len(p) > 0 && isBlank(p[0]) {
		p = p[1:]
	}
	for len(p) > 0 && isBlank(p[len(p)-1]) {
		p = p[:len(p)-1]
	}
	if len(p) == 0 {
		return SortKey{}, sortErr(SortUnknown, end)
	}
	pos := p[0].pos
	var k SortKey
	if !p[0].esc && (p[0].r == '+' || p[0].r == '-') {
		k.Desc = p[0].r == '-'
		p = p[1:]
	}
	// name ( "(" name ( "(" ... ")" )? ")" )?
	var name []rune
	closes := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case !c.esc && c.r == '(' && closes == 0:
			if len(name) == 0 {
				return SortKey{}, sortErr(SortUnknown, c.pos)
			}
			k.Path = append(k.Path, string(name))
			name = name[:0]
		case !c.esc && c.r == ')':
			if closes == 0 {
				if len(name) == 0 {
					return SortKey{}, sortErr(SortUnknown, c.pos)
				}
				k.Path = append(k.Path, string(name))
				name = nil
			}
			closes++
		case closes > 0:
			return SortKey{}, sortErr(SortUnknown, c.pos) // text after ")"
		default:
			name = append(name, c.r)
		}
	}
	if closes == 0 {
		if len(name) == 0 {
			return SortKey{}, sortErr(SortUnknown, pos)
		}
		k.Path = append(k.Path, string(name))
	}
	if closes != len(k.Path)-1 {
		return SortKey{}, sortErr(SortUnknown, pos)
	}
	f, ok := resolveSort(schema, k.Path)
	if !ok {
		return SortKey{}, sortErr(SortUnknown, pos)
	}
	if !f.Sortable || !f.Kind.scalar() {
		return SortKey{}, sortErr(SortUnsupported, pos)
	}
	return k, nil
}

// resolveSort finds the field of a sort path; members are looked up in
// objects only.
func resolveSort(schema *Schema, path []string) (*Field, bool) {
	if schema == nil || len(path) == 0 {
		return nil, false
	}
	fields := schema.Fields
	var f *Field
	for i, name := range path {
		if i > 0 && f.Kind != KindObject {
			return nil, false
		}
		if f = lookupField(fields, name); f == nil {
			return nil, false
		}
		fields = f.Sub
	}
	return f, true
}

// usableKeys drops the keys OrderBy and SortRecords cannot apply: those not
// naming a sortable scalar with a Column. ParseSort never returns such keys
// for a Schema that passes Validate.
func usableKeys(keys []SortKey, schema *Schema) ([]SortKey, []*Field) {
	out := make([]SortKey, 0, len(keys))
	fs := make([]*Field, 0, len(keys))
	for _, k := range keys {
		f, ok := resolveSort(schema, k.Path)
		if !ok || !f.Sortable || !f.Kind.scalar() || f.Column == "" {
			continue
		}
		out = append(out, k)
		fs = append(fs, f)
	}
	return out, fs
}

// OrderBy writes an SQL "ORDER BY" clause for the keys, ending with
// tieBreakColumn ascending (usually the id) so that paging is stable.
// Nulls sort first ascending and last descending (SQLite's default, written
// out). It returns "" when there is nothing to order by.
func OrderBy(keys []SortKey, schema *Schema, tieBreakColumn string) string {
	keys, fields := usableKeys(keys, schema)
	var terms []string
	for i, k := range keys {
		if k.Desc {
			terms = append(terms, fields[i].Column+" DESC NULLS LAST")
		} else {
			terms = append(terms, fields[i].Column+" ASC NULLS FIRST")
		}
	}
	if tieBreakColumn != "" {
		terms = append(terms, tieBreakColumn+" ASC")
	}
	if len(terms) == 0 {
		return ""
	}
	return "ORDER BY " + strings.Join(terms, ", ")
}

// SortRecords sorts recs in place in the order OrderBy gives in SQL: by each
// key (nulls first ascending, last descending; strings byte-wise, numbers by
// value), then by tieBreakField ascending. The sort is stable.
func SortRecords(keys []SortKey, schema *Schema, recs []map[string]any, tieBreakField string) {
	keys, fields := usableKeys(keys, schema)
	type row struct {
		vals []value
		null []bool
		tie  any
		rec  map[string]any
	}
	rows := make([]row, len(recs))
	for i, r := range recs {
		rw := row{vals: make([]value, len(keys)), null: make([]bool, len(keys)), rec: r}
		for j, k := range keys {
			v, ok := valueOf(fields[j].Kind, lookupPath(r, k.Path))
			rw.vals[j], rw.null[j] = v, !ok
		}
		if tieBreakField != "" {
			rw.tie = r[tieBreakField]
		}
		rows[i] = rw
	}
	sort.SliceStable(rows, func(a, b int) bool {
		ra, rb := &rows[a], &rows[b]
		for j, k := range keys {
			var c int
			switch {
			case ra.null[j] && rb.null[j]:
				c = 0
			case ra.null[j]:
				c = -1
			case rb.null[j]:
				c = 1
			default:
				c = cmpValue(ra.vals[j], rb.vals[j])
			}
			if k.Desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return cmpAny(ra.tie, rb.tie) < 0
	})
	for i := range rows {
		recs[i] = rows[i].rec
	}
}

// cmpAny compares values of unknown kind in SQLite's order: NULL, then
// numbers (by value), then strings (byte-wise); anything else sorts last and
// equal.
func cmpAny(a, b any) int {
	ca, va := classify(a)
	cb, vb := classify(b)
	if ca != cb {
		return cmpInt(int64(ca), int64(cb))
	}
	switch ca {
	case 1:
		return cmpNum(va.n, vb.n)
	case 2:
		return strings.Compare(va.s, vb.s)
	}
	return 0
}

func classify(v any) (int, value) {
	if v == nil {
		return 0, value{}
	}
	if s, ok := v.(string); ok {
		return 2, value{isStr: true, s: s}
	}
	if n, ok := numOf(v); ok {
		return 1, value{n: n}
	}
	return 3, value{}
}
