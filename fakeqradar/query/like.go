package query

import "strings"

// likeToGlob translates a like pattern ('%' any run, '_' one character, all
// else literal) into an SQLite GLOB pattern, quoting GLOB's own special
// characters '*', '?' and '[' as one-character classes.
func likeToGlob(p string) string {
	var b strings.Builder
	b.Grow(len(p) + 8)
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '%':
			b.WriteByte('*')
		case '_':
			b.WriteByte('?')
		case '*', '?', '[':
			b.WriteByte('[')
			b.WriteByte(c)
			b.WriteByte(']')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// likeMatch reports whether s matches the like pattern p, character by
// character (a character is a Unicode code point, as in SQLite's GLOB).
// It runs in O(len(p)·len(s)).
func likeMatch(p, s string) bool {
	pr, sr := []rune(p), []rune(s)
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(sr) {
		switch {
		case pi < len(pr) && pr[pi] == '%':
			star, mark = pi, si
			pi++
		case pi < len(pr) && (pr[pi] == '_' || pr[pi] == sr[si]):
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(pr) && pr[pi] == '%' {
		pi++
	}
	return pi == len(pr)
}

// asciiLower folds A-Z only, like SQLite's built-in lower().
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
