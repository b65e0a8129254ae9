package query

import (
	"fmt"
	"strings"
	"sync"
)

// bnode is a filter expression checked against a Schema: fields resolved to
// their columns and literals converted to the fields' kinds. It evaluates
// itself in Go (match) and writes itself as SQL (sql).
type bnode interface {
	match(scope any) bool
	sql(w *sqlWriter) error
}

type bLogic struct {
	and  bool
	kids []bnode
}

type bNot struct{ x bnode }

// bCmp is one comparison on a scalar (or a null test on any field).
type bCmp struct {
	name string   // field as written, for messages
	path []string // keys from the scope to the value; nil for "."
	col  string
	kind Kind
	op   cmpOp
	vals []value
	pat  string // like/ilike pattern (after folding for ilike)
}

type bContains struct {
	name    string
	path    []string
	listSQL string
	inner   bnode
}

// scope is what names in a (sub-)condition refer to: the fields of the object
// or of the list element, or, inside contains on a list of values, the
// element itself (".").
type scope struct {
	fields []Field
	elemOf *Field // set inside contains on a list of scalars
}

func bind(n node, sc scope) (bnode, *Error) {
	switch n := n.(type) {
	case *logicNode:
		b := &bLogic{and: n.and, kids: make([]bnode, len(n.kids))}
		for i, k := range n.kids {
			bk, err := bind(k, sc)
			if err != nil {
				return nil, err
			}
			b.kids[i] = bk
		}
		return b, nil
	case *notNode:
		x, err := bind(n.x, sc)
		if err != nil {
			return nil, err
		}
		return &bNot{x: x}, nil
	case *predNode:
		return bindPred(n, sc)
	}
	panic(fmt.Sprintf("query: unknown filter node %T", n))
}

// resolve finds the field a predicate names, relative to the scope.
func resolve(n *predNode, sc scope) (*Field, *Error) {
	if n.elem {
		if sc.elemOf == nil {
			return nil, invalidErr(n.pos, "\".\" can only be used inside \"contains\" on a list of values.")
		}
		f := sc.elemOf
		return &Field{Name: ".", Kind: f.Elem, Column: f.ElemColumn, Filterable: true}, nil
	}
	if sc.elemOf != nil {
		return nil, invalidErr(n.pos, "Field %q does not exist; use \".\" for the elements of list %q.", n.name(), sc.elemOf.Name)
	}
	fields := sc.fields
	var f *Field
	for i, name := range n.path {
		if i > 0 && f.Kind != KindObject {
			return nil, invalidErr(n.pos, "Field %q has no sub-field %q.", pathName(n.path[:i], false), name)
		}
		f = lookupField(fields, name)
		if f == nil {
			return nil, invalidErr(n.pos, "Field %q does not exist.", pathName(n.path[:i+1], false))
		}
		fields = f.Sub
	}
	if !f.Filterable {
		return nil, invalidErr(n.pos, "Field %q is not filterable.", n.name())
	}
	return f, nil
}

func bindPred(n *predNode, sc scope) (bnode, *Error) {
	f, err := resolve(n, sc)
	if err != nil {
		return nil, err
	}
	name := n.name()
	unsupported := func() *Error {
		return invalidErr(n.pos, "Operator %q is not supported on field %q of type %v.", n.op.String(), name, f.Kind)
	}
	c := &bCmp{name: name, path: n.path, col: f.Column, kind: f.Kind, op: n.op}
	switch n.op {
	case opIsNull, opIsNotNull:
		if !f.Kind.scalar() && f.Column == "" {
			return nil, unsupported()
		}
		return c, nil
	case opContains:
		if f.Kind != KindList {
			return nil, unsupported()
		}
		b := &bContains{name: name, path: n.path, listSQL: f.ListSQL}
		inner := scope{fields: f.Sub}
		if f.Elem != KindObject {
			inner = scope{elemOf: f}
		}
		if n.shortVal != nil {
			if f.Elem == KindObject {
				return nil, invalidErr(n.shortVal.pos, "Field %q is a list of objects: write %q.", name, name+" contains <field> = <value>")
			}
			v, ok := litValue(f.Elem, *n.shortVal)
			if !ok {
				return nil, badValue(*n.shortVal, name, f.Elem)
			}
			b.inner = &bCmp{name: ".", col: f.ElemColumn, kind: f.Elem, op: opEq, vals: []value{v}}
			return b, nil
		}
		x, err := bind(n.inner, inner)
		if err != nil {
			return nil, err
		}
		b.inner = x
		return b, nil
	case opLike, opIlike:
		if f.Kind != KindString {
			return nil, unsupported()
		}
		c.pat = n.vals[0].text
		if n.op == opIlike {
			c.pat = asciiLower(c.pat)
		}
		return c, nil
	}
	if !f.Kind.scalar() {
		return nil, unsupported()
	}
	c.vals = make([]value, len(n.vals))
	for i, l := range n.vals {
		v, ok := litValue(f.Kind, l)
		if !ok {
			return nil, badValue(l, name, f.Kind)
		}
		c.vals[i] = v
	}
	return c, nil
}

func badValue(l lit, name string, k Kind) *Error {
	return invalidErr(l.pos, "Value %q is not valid for field %q of type %v.", l.text, name, k)
}

// boundCache keeps the result of checking a Filter against the last Schema.
type boundCache struct {
	mu     sync.Mutex
	schema *Schema
	root   bnode
	err    error
}

func (f *Filter) bound(s *Schema) (bnode, error) {
	f.b.mu.Lock()
	defer f.b.mu.Unlock()
	if f.b.schema == s && (f.b.root != nil || f.b.err != nil) {
		return f.b.root, f.b.err
	}
	if s == nil {
		return nil, fmt.Errorf("query: nil schema")
	}
	root, err := bind(f.root, scope{fields: s.Fields})
	f.b.schema = s
	f.b.root = root
	f.b.err = nil
	if err != nil {
		f.b.err = err
		f.b.root = nil
	}
	return f.b.root, f.b.err
}

// Check validates the filter against an endpoint's schema: every field must
// exist and be Filterable, each operator must suit the field's kind and each
// value must convert to it. Errors are *Error of kind FilterInvalid.
func (f *Filter) Check(s *Schema) error {
	if f == nil {
		return nil
	}
	_, err := f.bound(s)
	return err
}

// Match evaluates the filter on one record in Go, with the same results as
// the SQL from SQL. A nil Filter matches every record; a filter that fails
// Check matches none.
func (f *Filter) Match(s *Schema, rec map[string]any) bool {
	if f == nil {
		return true
	}
	b, err := f.bound(s)
	if err != nil {
		return false
	}
	return b.match(rec)
}

// SQL writes the filter as a parameterised SQL boolean expression for a WHERE
// clause; every value is a "?" argument in args. The expression never yields
// NULL, so it behaves the same under NOT, AND and OR as Match does. A nil
// Filter gives "1". Errors from Check are returned as they are; a Schema that
// lacks a Column or ListSQL the filter needs gives a plain error (see
// Schema.Validate).
func (f *Filter) SQL(s *Schema) (where string, args []any, err error) {
	if f == nil {
		return "1", nil, nil
	}
	b, err := f.bound(s)
	if err != nil {
		return "", nil, err
	}
	w := &sqlWriter{}
	if err := b.sql(w); err != nil {
		return "", nil, err
	}
	return w.b.String(), w.args, nil
}

// ---- Go evaluation ----

func (b *bLogic) match(v any) bool {
	for _, k := range b.kids {
		if k.match(v) != b.and {
			return !b.and
		}
	}
	return b.and
}

func (b *bNot) match(v any) bool { return !b.x.match(v) }

func (b *bContains) match(v any) bool {
	for _, e := range listOf(lookupPath(v, b.path)) {
		if b.inner.match(e) {
			return true
		}
	}
	return false
}

func (c *bCmp) match(v any) bool {
	raw := lookupPath(v, c.path)
	switch c.op {
	case opIsNull:
		return isNullValue(c.kind, raw)
	case opIsNotNull:
		return !isNullValue(c.kind, raw)
	}
	x, ok := valueOf(c.kind, raw)
	if !ok {
		// QRadar: on a null field the negative operators are true, the
		// others false.
		return c.op.negative()
	}
	switch c.op {
	case opEq:
		return cmpValue(x, c.vals[0]) == 0
	case opNe:
		return cmpValue(x, c.vals[0]) != 0
	case opLt:
		return cmpValue(x, c.vals[0]) < 0
	case opGt:
		return cmpValue(x, c.vals[0]) > 0
	case opLe:
		return cmpValue(x, c.vals[0]) <= 0
	case opGe:
		return cmpValue(x, c.vals[0]) >= 0
	case opIn, opNotIn:
		in := false
		for _, y := range c.vals {
			if cmpValue(x, y) == 0 {
				in = true
				break
			}
		}
		return in == (c.op == opIn)
	case opBetween, opNotBetween:
		in := cmpValue(x, c.vals[0]) >= 0 && cmpValue(x, c.vals[1]) <= 0
		return in == (c.op == opBetween)
	case opLike:
		return likeMatch(c.pat, x.s)
	case opIlike:
		return likeMatch(c.pat, asciiLower(x.s))
	}
	return false
}

// ---- SQL ----

type sqlWriter struct {
	b    strings.Builder
	args []any
}

func (w *sqlWriter) arg(v value) {
	w.b.WriteByte('?')
	w.args = append(w.args, v.arg())
}

func (b *bLogic) sql(w *sqlWriter) error {
	return logicSQL(w, b.and, b.kids)
}

// logicSQL writes kids joined by AND/OR as a balanced tree, so that a long
// chain stays within SQLite's expression depth limit.
func logicSQL(w *sqlWriter, and bool, kids []bnode) error {
	if len(kids) == 1 {
		return kids[0].sql(w)
	}
	mid := len(kids) / 2
	w.b.WriteByte('(')
	if err := logicSQL(w, and, kids[:mid]); err != nil {
		return err
	}
	if and {
		w.b.WriteString(" AND ")
	} else {
		w.b.WriteString(" OR ")
	}
	if err := logicSQL(w, and, kids[mid:]); err != nil {
		return err
	}
	w.b.WriteByte(')')
	return nil
}

func (b *bNot) sql(w *sqlWriter) error {
	w.b.WriteString("(NOT ")
	if err := b.x.sql(w); err != nil {
		return err
	}
	w.b.WriteByte(')')
	return nil
}

func (b *bContains) sql(w *sqlWriter) error {
	i := strings.Index(b.listSQL, "%s")
	if i < 0 {
		return fmt.Errorf("query: list field %q has no ListSQL with %%s", b.name)
	}
	w.b.WriteString(b.listSQL[:i])
	if err := b.inner.sql(w); err != nil {
		return err
	}
	w.b.WriteString(b.listSQL[i+2:])
	return nil
}

func (c *bCmp) sql(w *sqlWriter) error {
	if c.col == "" {
		return fmt.Errorf("query: field %q has no Column", c.name)
	}
	col := c.col
	switch c.op {
	case opIsNull:
		w.b.WriteString("(" + col + " IS NULL)")
		return nil
	case opIsNotNull:
		w.b.WriteString("(" + col + " IS NOT NULL)")
		return nil
	}
	// SQL comparisons with NULL are NULL, not false: guard them so that the
	// result is QRadar's (false for the positive operators, true for the
	// negative ones) and stays so under NOT.
	if c.op.negative() {
		w.b.WriteString("(" + col + " IS NULL OR ")
	} else {
		w.b.WriteString("(" + col + " IS NOT NULL AND ")
	}
	switch c.op {
	case opEq, opNe, opLt, opGt, opLe, opGe:
		w.b.WriteString(col + " " + sqlOps[c.op] + " ")
		w.arg(c.vals[0])
	case opIn, opNotIn:
		w.b.WriteString(col)
		if c.op == opNotIn {
			w.b.WriteString(" NOT")
		}
		w.b.WriteString(" IN (")
		for i, v := range c.vals {
			if i > 0 {
				w.b.WriteString(", ")
			}
			w.arg(v)
		}
		w.b.WriteByte(')')
	case opBetween, opNotBetween:
		w.b.WriteString(col)
		if c.op == opNotBetween {
			w.b.WriteString(" NOT")
		}
		w.b.WriteString(" BETWEEN ")
		w.arg(c.vals[0])
		w.b.WriteString(" AND ")
		w.arg(c.vals[1])
	case opLike:
		// GLOB is case-sensitive, unlike SQLite's LIKE.
		w.b.WriteString(col + " GLOB ")
		w.arg(value{isStr: true, s: likeToGlob(c.pat)})
	case opIlike:
		// lower() folds ASCII only; Match folds the same way.
		w.b.WriteString("lower(" + col + ") GLOB ")
		w.arg(value{isStr: true, s: likeToGlob(c.pat)})
	default:
		return fmt.Errorf("query: operator %v has no SQL form", c.op)
	}
	w.b.WriteByte(')')
	return nil
}

var sqlOps = map[cmpOp]string{opEq: "=", opNe: "<>", opLt: "<", opGt: ">", opLe: "<=", opGe: ">="}
