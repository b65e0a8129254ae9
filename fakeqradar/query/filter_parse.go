package query

import (
	"strings"
	"unicode/utf8"
)

// Limits on a filter value. Longer or deeper filters are syntax errors.
const (
	// MaxFilterLen is the longest accepted filter, in bytes.
	MaxFilterLen = 8 << 10
	// MaxFilterDepth bounds nesting of parentheses, "not", "contains" and
	// nested field names.
	MaxFilterDepth = 64
)

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tString
	tOp
	tLParen
	tRParen
	tComma
)

type token struct {
	kind tokKind
	text string // word text, unescaped string content, or operator
	pos  int
}

func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of filter"
	case tString:
		return "quoted string"
	}
	return "\"" + t.text + "\""
}

// isSpace is the whitespace skipped between tokens.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isDelim reports the characters that end a bare word.
func isDelim(c byte) bool {
	switch c {
	case '(', ')', ',', '=', '!', '<', '>', '^', '"', '\'':
		return true
	}
	return isSpace(c)
}

func lex(s string) ([]token, *Error) {
	var toks []token
	i := 0
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i == len(s) {
			return append(toks, token{kind: tEOF, pos: i}), nil
		}
		start := i
		c := s[i]
		switch {
		case c == '(':
			toks = append(toks, token{kind: tLParen, text: "(", pos: i})
			i++
		case c == ')':
			toks = append(toks, token{kind: tRParen, text: ")", pos: i})
			i++
		case c == ',':
			toks = append(toks, token{kind: tComma, text: ",", pos: i})
			i++
		case c == '"' || c == '\'':
			var b strings.Builder
			i++
			closed := false
			for i < len(s) {
				ch := s[i]
				if ch == '\\' && i+1 < len(s) {
					// A backslash takes the next character literally: \" \' \\.
					_, n := utf8.DecodeRuneInString(s[i+1:])
					b.WriteString(s[i+1 : i+1+n])
					i += 1 + n
					continue
				}
				if ch == c {
					closed = true
					i++
					break
				}
				b.WriteByte(ch)
				i++
			}
			if !closed {
				return nil, syntaxErr(start, "unterminated quoted string")
			}
			toks = append(toks, token{kind: tString, text: b.String(), pos: start})
		case c == '=':
			toks = append(toks, token{kind: tOp, text: "=", pos: i})
			i++
		case c == '!' || c == '^':
			if i+1 < len(s) && s[i+1] == '=' {
				toks = append(toks, token{kind: tOp, text: s[i : i+2], pos: i})
				i += 2
			} else {
				return nil, syntaxErr(i, "unexpected %q (did you mean %q?)", string(c), string(c)+"=")
			}
		case c == '<':
			if i+1 < len(s) && (s[i+1] == '=' || s[i+1] == '>') {
				toks = append(toks, token{kind: tOp, text: s[i : i+2], pos: i})
				i += 2
			} else {
				toks = append(toks, token{kind: tOp, text: "<", pos: i})
				i++
			}
		case c == '>':
			if i+1 < len(s) && s[i+1] == '=' {
				toks = append(toks, token{kind: tOp, text: ">=", pos: i})
				i += 2
			} else {
				toks = append(toks, token{kind: tOp, text: ">", pos: i})
				i++
			}
		default:
			for i < len(s) && !isDelim(s[i]) {
				i++
			}
			toks = append(toks, token{kind: tWord, text: s[start:i], pos: start})
		}
	}
}

type cmpOp int

const (
	opEq cmpOp = iota + 1
	opNe
	opLt
	opGt
	opLe
	opGe
	opIn
	opNotIn
	opBetween
	opNotBetween
	opIsNull
	opIsNotNull
	opLike
	opIlike
	opContains
)

var opNames = map[cmpOp]string{
	opEq: "=", opNe: "!=", opLt: "<", opGt: ">", opLe: "<=", opGe: ">=",
	opIn: "in", opNotIn: "not in", opBetween: "between", opNotBetween: "not between",
	opIsNull: "is null", opIsNotNull: "is not null", opLike: "like", opIlike: "ilike",
	opContains: "contains",
}

func (o cmpOp) String() string { return opNames[o] }

// negative reports the operators that are true when the field is null
// (QRadar: "!= <> ^= not between not in" on null are true).
func (o cmpOp) negative() bool { return o == opNe || o == opNotIn || o == opNotBetween }

// lit is a value as written in the filter; its type is decided by the field
// it is compared with.
type lit struct {
	text   string
	quoted bool
	pos    int
}

// node is a parsed, not yet schema-checked, filter expression.
type node interface{ position() int }

type logicNode struct {
	and  bool
	kids []node
	pos  int
}

type notNode struct {
	x   node
	pos int
}

type predNode struct {
	path []string // field names, outermost first; nil for "."
	elem bool     // the field is "." (the element of a list of values)
	pos  int      // position of the field
	op   cmpOp
	vals []lit

	inner    node // contains (...): condition on one element
	shortVal *lit // contains <value>: shorthand for contains (. = value)
}

func (n *logicNode) position() int { return n.pos }
func (n *notNode) position() int   { return n.pos }
func (n *predNode) position() int  { return n.pos }

func (n *predNode) name() string { return pathName(n.path, n.elem) }

// pathName writes a field path the way the filter spells it: a(b(c)).
func pathName(path []string, elem bool) string {
	if elem {
		return "."
	}
	var b strings.Builder
	for i, p := range path {
		if i > 0 {
			b.WriteByte('(')
		}
		b.WriteString(p)
	}
	for i := 1; i < len(path); i++ {
		b.WriteByte(')')
	}
	return b.String()
}

type parser struct {
	toks  []token
	i     int
	depth int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) peekAt(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func isKeyword(t token, kw string) bool {
	return t.kind == tWord && strings.EqualFold(t.text, kw)
}

func (p *parser) enter(pos int) *Error {
	p.depth++
	if p.depth > MaxFilterDepth {
		return syntaxErr(pos, "filter is nested more than %d levels deep", MaxFilterDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

func (p *parser) unexpected(t token, want string) *Error {
	return syntaxErr(t.pos, "expected %s, found %s", want, t.describe())
}

func (p *parser) expr() (node, *Error) {
	return p.logic(false)
}

// logic parses or-expressions (and=false) and and-expressions (and=true).
func (p *parser) logic(and bool) (node, *Error) {
	kw := "or"
	sub := func() (node, *Error) { return p.logic(true) }
	if and {
		kw = "and"
		sub = p.notExpr
	}
	first, err := sub()
	if err != nil {
		return nil, err
	}
	if !isKeyword(p.peek(), kw) {
		return first, nil
	}
	n := &logicNode{and: and, kids: []node{first}, pos: first.position()}
	for isKeyword(p.peek(), kw) {
		p.next()
		k, err := sub()
		if err != nil {
			return nil, err
		}
		n.kids = append(n.kids, k)
	}
	return n, nil
}

func (p *parser) notExpr() (node, *Error) {
	t := p.peek()
	if !isKeyword(t, "not") {
		return p.primary()
	}
	p.next()
	if err := p.enter(t.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	x, err := p.notExpr()
	if err != nil {
		return nil, err
	}
	return &notNode{x: x, pos: t.pos}, nil
}

func (p *parser) primary() (node, *Error) {
	t := p.peek()
	if t.kind == tLParen {
		return p.group()
	}
	return p.predicate()
}

// group parses "(" expr ")".
func (p *parser) group() (node, *Error) {
	open := p.next()
	if err := p.enter(open.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.next(); t.kind != tRParen {
		return nil, p.unexpected(t, "\")\"")
	}
	return x, nil
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// fieldPath parses "." or name or name(name(...)).
func (p *parser) fieldPath() (path []string, elem bool, err *Error) {
	t := p.next()
	if t.kind != tWord || isKeyword(t, "and") || isKeyword(t, "or") {
		return nil, false, p.unexpected(t, "a field name")
	}
	if t.text == "." {
		return nil, true, nil
	}
	if !isIdent(t.text) {
		return nil, false, syntaxErr(t.pos, "%q is not a valid field name", t.text)
	}
	path = []string{t.text}
	if p.peek().kind != tLParen {
		return path, false, nil
	}
	open := p.next()
	if err := p.enter(open.pos); err != nil {
		return nil, false, err
	}
	defer p.leave()
	sub, subElem, err := p.fieldPath()
	if err != nil {
		return nil, false, err
	}
	if subElem {
		return nil, false, syntaxErr(open.pos+1, "\".\" cannot be a sub-field")
	}
	if c := p.next(); c.kind != tRParen {
		return nil, false, p.unexpected(c, "\")\" after sub-field name")
	}
	return append(path, sub...), false, nil
}

func (p *parser) value() (lit, *Error) {
	t := p.next()
	switch t.kind {
	case tWord:
		return lit{text: t.text, pos: t.pos}, nil
	case tString:
		return lit{text: t.text, quoted: true, pos: t.pos}, nil
	}
	return lit{}, p.unexpected(t, "a value")
}

func (p *parser) predicate() (node, *Error) {
	start := p.peek()
	path, elem, err := p.fieldPath()
	if err != nil {
		return nil, err
	}
	n := &predNode{path: path, elem: elem, pos: start.pos}
	t := p.next()
	switch {
	case t.kind == tOp:
		switch t.text {
		case "=":
			n.op = opEq
		case "!=", "<>", "^=":
			n.op = opNe
		case "<":
			n.op = opLt
		case ">":
			n.op = opGt
		case "<=":
			n.op = opLe
		case ">=":
			n.op = opGe
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.vals = []lit{v}
	case isKeyword(t, "not"):
		switch u := p.next(); {
		case isKeyword(u, "in"):
			n.op = opNotIn
			return n, p.inList(n)
		case isKeyword(u, "between"):
			n.op = opNotBetween
			return n, p.between(n)
		default:
			return nil, p.unexpected(u, "\"in\" or \"between\" after \"not\"")
		}
	case isKeyword(t, "in"):
		n.op = opIn
		return n, p.inList(n)
	case isKeyword(t, "between"):
		n.op = opBetween
		return n, p.between(n)
	case isKeyword(t, "is"):
		u := p.next()
		n.op = opIsNull
		if isKeyword(u, "not") {
			n.op = opIsNotNull
			u = p.next()
		}
		if !isKeyword(u, "null") {
			return nil, p.unexpected(u, "\"null\"")
		}
	case isKeyword(t, "like"), isKeyword(t, "ilike"):
		n.op = opLike
		if isKeyword(t, "ilike") {
			n.op = opIlike
		}
		u := p.next()
		if u.kind != tString {
			return nil, syntaxErr(u.pos, "the pattern after %q must be a quoted string, found %s", strings.ToLower(t.text), u.describe())
		}
		n.vals = []lit{{text: u.text, quoted: true, pos: u.pos}}
	case isKeyword(t, "contains"):
		n.op = opContains
		return n, p.containsArg(n, t)
	default:
		return nil, p.unexpected(t, "an operator after field \""+n.name()+"\"")
	}
	return n, nil
}

func (p *parser) inList(n *predNode) *Error {
	if t := p.next(); t.kind != tLParen {
		return p.unexpected(t, "\"(\" after \"in\"")
	}
	for {
		v, err := p.value()
		if err != nil {
			return err
		}
		n.vals = append(n.vals, v)
		t := p.next()
		if t.kind == tRParen {
			return nil
		}
		if t.kind != tComma {
			return p.unexpected(t, "\",\" or \")\" in the \"in\" list")
		}
	}
}

func (p *parser) between(n *predNode) *Error {
	lo, err := p.value()
	if err != nil {
		return err
	}
	if t := p.next(); !isKeyword(t, "and") {
		return p.unexpected(t, "\"and\" after the lower bound of \"between\"")
	}
	hi, err := p.value()
	if err != nil {
		return err
	}
	n.vals = []lit{lo, hi}
	return nil
}

// containsArg parses what follows "contains": a parenthesised condition on
// one element, a single unparenthesised condition ("capabilities contains
// name = ADMIN"), or a value ("domain_ids contains 0", meaning ". = 0").
func (p *parser) containsArg(n *predNode, kw token) *Error {
	if err := p.enter(kw.pos); err != nil {
		return err
	}
	defer p.leave()
	t := p.peek()
	switch {
	case t.kind == tLParen:
		x, err := p.group()
		if err != nil {
			return err
		}
		n.inner = x
	case p.looksLikeCondition():
		x, err := p.notExpr()
		if err != nil {
			return err
		}
		n.inner = x
	default:
		v, err := p.value()
		if err != nil {
			return err
		}
		n.shortVal = &v
	}
	return nil
}

func (p *parser) looksLikeCondition() bool {
	t0, t1 := p.peek(), p.peekAt(1)
	if t0.kind != tWord {
		return false
	}
	if isKeyword(t0, "not") {
		return true
	}
	switch t1.kind {
	case tOp, tLParen:
		return true
	case tWord:
		for _, kw := range []string{"is", "in", "not", "between", "like", "ilike", "contains"} {
			if isKeyword(t1, kw) {
				return true
			}
		}
	}
	return false
}

// Filter is a parsed filter parameter. Use Check to validate it against an
// endpoint's Schema, then SQL or Match to apply it. A nil *Filter (what
// ParseFilter returns for an empty value) matches everything.
//
// A Filter may be used from several goroutines.
type Filter struct {
	src  string
	root node
	b    boundCache
}

// ParseFilter parses a filter parameter value (already URL-decoded once).
// An empty or all-blank value gives a nil Filter and no error. Errors are
// *Error of kind FilterSyntax.
func ParseFilter(s string) (*Filter, error) {
	if len(s) > MaxFilterLen {
		return nil, syntaxErr(MaxFilterLen, "filter is longer than %d bytes", MaxFilterLen)
	}
	if !utf8.ValidString(s) {
		for i := 0; i < len(s); {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n <= 1 {
				return nil, syntaxErr(i, "filter is not valid UTF-8")
			}
			i += n
		}
	}
	if i := strings.IndexByte(s, 0); i >= 0 {
		return nil, syntaxErr(i, "NUL character in filter")
	}
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 1 {
		return nil, nil
	}
	p := &parser{toks: toks}
	root, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, syntaxErr(t.pos, "unexpected %s", t.describe())
	}
	return &Filter{src: s, root: root}, nil
}

// String returns the filter as it was given.
func (f *Filter) String() string {
	if f == nil {
		return ""
	}
	return f.src
}
