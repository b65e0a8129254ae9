package fakeqradar

import (
	"encoding/json"
	"strconv"
	"sync"
	"unicode/utf8"
)

// appendJSON appends v as JSON, for the value types responses are built
// from; anything else goes through encoding/json. Strings are escaped the
// way encoding/json escapes them (HTML-safe, U+2028/2029, invalid UTF-8
// replaced), so the output is byte-for-byte what json.Marshal would give.
func appendJSON(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendString(b, x)
	case *string:
		if x == nil {
			return append(b, "null"...)
		}
		return appendString(b, *x)
	case bool:
		return strconv.AppendBool(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case *int64:
		if x == nil {
			return append(b, "null"...)
		}
		return strconv.AppendInt(b, *x, 10)
	case object:
		return x.appendJSON(b)
	case rawJSON:
		return append(b, x...)
	case []object:
		b = append(b, '[')
		for i, o := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = o.appendJSON(b)
		}
		return append(b, ']')
	case []int64:
		b = append(b, '[')
		for i, n := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, n, 10)
		}
		return append(b, ']')
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	default:
		j, err := json.Marshal(v)
		if err != nil {
			return append(b, "null"...)
		}
		return append(b, j...)
	}
}

func (o object) appendJSON(b []byte) []byte {
	b = append(b, '{')
	for i, m := range o {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, m.Key)
		b = append(b, ':')
		b = appendJSON(b, m.Value)
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// plainByte marks the ASCII bytes a JSON string may carry unescaped (as
// encoding/json decides: not control, quote, backslash or <, >, &).
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendString writes s as a JSON string exactly as encoding/json does.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plainByte[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}
