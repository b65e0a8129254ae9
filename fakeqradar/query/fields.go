package query

import (
	"fmt"
	"strings"
)

// FieldSet is a parsed fields parameter: the members to keep in each
// returned object. A nil *FieldSet keeps everything.
type FieldSet struct {
	names []string
	subs  map[string]*FieldSet // nil entry: all members of that field
}

// fieldItem is one name of a fields value before it is checked.
type fieldItem struct {
	name  string
	pos   int
	subs  []fieldItem
	isSub bool // had brackets
}

// ParseFields parses a fields parameter, e.g. "id, username" or
// "id,capabilities(name,application_id)", and checks it against the schema.
// An empty or all-blank value gives a nil FieldSet (all fields).
//
// The checks run in QRadar's order: malformed brackets or empty names first
// (FieldsSyntax, code 31), then a name repeated at one level anywhere in the
// value (FieldsDuplicate, code 31), then unknown names left to right
// (FieldsUnknown, code 30). Brackets are allowed after objects and lists of
// objects only.
func ParseFields(s string, schema *Schema) (*FieldSet, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	p := fieldsParser{s: s}
	items, err := p.list(0)
	if err != nil {
		return nil, err
	}
	if p.i < len(s) {
		return nil, p.syntax("unexpected \")\" at position %d", p.i)
	}
	if err := checkDuplicates(s, items); err != nil {
		return nil, err
	}
	var fields []Field
	if schema != nil {
		fields = schema.Fields
	}
	fs, err := buildFieldSet(items, fields)
	if err != nil {
		return nil, err
	}
	return fs, nil
}

type fieldsParser struct {
	s string
	i int
}

func (p *fieldsParser) syntax(format string, args ...any) *Error {
	return &Error{
		Kind:    FieldsSyntax,
		Code:    CodeFieldInvalid,
		Message: fmt.Sprintf("fields parameter value \"%s\" was invalid. ", p.s) + fmt.Sprintf(format, args...),
		Pos:     p.i,
	}
}

// list parses name[(list)] {, name[(list)]} up to an unmatched ")" or the end.
func (p *fieldsParser) list(depth int) ([]fieldItem, *Error) {
	if depth > MaxFilterDepth {
		return nil, p.syntax("brackets are nested more than %d levels deep", MaxFilterDepth)
	}
	var items []fieldItem
	for {
		start := p.i
		for p.i < len(p.s) && !strings.ContainsRune(",()", rune(p.s[p.i])) {
			p.i++
		}
		name := strings.TrimSpace(p.s[start:p.i])
		if name == "" {
			return nil, p.syntax("a field name is missing at position %d", start)
		}
		it := fieldItem{name: name, pos: start}
		if p.i < len(p.s) && p.s[p.i] == '(' {
			p.i++
			subs, err := p.list(depth + 1)
			if err != nil {
				return nil, err
			}
			if p.i >= len(p.s) || p.s[p.i] != ')' {
				return nil, p.syntax("the bracket after %q is not closed", name)
			}
			p.i++
			for p.i < len(p.s) && p.s[p.i] == ' ' {
				p.i++
			}
			it.subs, it.isSub = subs, true
		}
		items = append(items, it)
		if p.i >= len(p.s) || p.s[p.i] == ')' {
			return items, nil
		}
		if p.s[p.i] != ',' {
			return nil, p.syntax("expected \",\" at position %d", p.i)
		}
		p.i++
	}
}

func checkDuplicates(raw string, items []fieldItem) *Error {
	seen := make(map[string]bool, len(items))
	for _, it := range items {
		if seen[it.name] {
			return &Error{
				Kind: FieldsDuplicate,
				Code: CodeFieldInvalid,
				Message: fmt.Sprintf("fields parameter value \"%s\" was invalid. Specified field \"%s\" was used more than once at the same level",
					raw, it.name),
				Pos: it.pos,
			}
		}
		seen[it.name] = true
	}
	for _, it := range items {
		if err := checkDuplicates(raw, it.subs); err != nil {
			return err
		}
	}
	return nil
}

func unknownField(it fieldItem) *Error {
	return &Error{
		Kind:    FieldsUnknown,
		Code:    CodeFieldUnknown,
		Message: fmt.Sprintf("Specified field \"%s\" is not recognized by this endpoint for media type \"application/json\"", it.name),
		Pos:     it.pos,
	}
}

func buildFieldSet(items []fieldItem, fields []Field) (*FieldSet, *Error) {
	fs := &FieldSet{names: make([]string, 0, len(items)), subs: make(map[string]*FieldSet, len(items))}
	for _, it := range items {
		f := lookupField(fields, it.name)
		if f == nil {
			return nil, unknownField(it)
		}
		var sub *FieldSet
		if it.isSub {
			if !f.hasSub() {
				return nil, unknownField(it.subs[0])
			}
			var err *Error
			if sub, err = buildFieldSet(it.subs, f.Sub); err != nil {
				return nil, err
			}
		}
		fs.names = append(fs.names, it.name)
		fs.subs[it.name] = sub
	}
	return fs, nil
}

// Has reports whether the top-level field name is requested, so that a
// handler can skip computing the others. A nil FieldSet has every field.
func (fs *FieldSet) Has(name string) bool {
	if fs == nil {
		return true
	}
	_, ok := fs.subs[name]
	return ok
}

// Sub returns the selection inside field name (nil: all of its members).
func (fs *FieldSet) Sub(name string) *FieldSet {
	if fs == nil {
		return nil
	}
	return fs.subs[name]
}

// Names returns the requested top-level names in the order given, or nil for
// a nil FieldSet.
func (fs *FieldSet) Names() []string {
	if fs == nil {
		return nil
	}
	return append([]string(nil), fs.names...)
}

// Project returns a copy of rec with only the requested members; sub-field
// selections apply to a nested object and to each object in a list. Names
// absent from rec stay absent. A nil FieldSet returns rec itself.
func (fs *FieldSet) Project(rec map[string]any) map[string]any {
	if fs == nil || rec == nil {
		return rec
	}
	out := make(map[string]any, len(fs.names))
	for _, name := range fs.names {
		v, ok := rec[name]
		if !ok {
			continue
		}
		out[name] = projectValue(fs.subs[name], v)
	}
	return out
}

func projectValue(sub *FieldSet, v any) any {
	if sub == nil {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		return sub.Project(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = projectValue(sub, e)
		}
		return out
	case []map[string]any:
		out := make([]map[string]any, len(x))
		for i, e := range x {
			out[i] = sub.Project(e)
		}
		return out
	}
	return v
}
