package engine

import (
	"html"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// view is a text decoded one level (every escape replaced by what it
// stands for, line breaks and quoted-printable soft breaks removed), with
// the place in the source where the escape behind each of its bytes
// starts, so that a secret found in the view is cut from the source.
type view struct {
	text  string
	start []int32
	plus  bool
}

// decodeView decodes src one level; ok is false when nothing in it is
// decoded, so that searching the view would find nothing new. With plus,
// '+' stands for a space (a URL query or form).
func decodeView(src string, plus bool) (v *view, ok bool) {
	if !strings.ContainsAny(src, "\\%&=\r\n?") && !(plus && strings.Contains(src, "+")) {
		return nil, false
	}
	buf := make([]byte, 0, len(src))
	start := make([]int32, 0, len(src))
	changed := false
	for i := 0; i < len(src); {
		if !special[src[i]] { // a run of plain bytes, copied at once
			j := i + 1
			for j < len(src) && !special[src[j]] {
				j++
			}
			buf = append(buf, src[i:j]...)
			for ; i < j; i++ {
				start = append(start, int32(i))
			}
			continue
		}
		k := len(buf)
		var n int
		buf, n = decodeToken(buf, src, i, plus)
		changed = changed || n != len(buf)-k || (n == 1 && buf[k] != src[i])
		for ; k < len(buf); k++ {
			start = append(start, int32(i))
		}
		i += n
	}
	if !changed {
		return nil, false
	}
	return &view{text: string(buf), start: start, plus: plus}, true
}

// special marks the bytes that may start an escape, or are dropped.
var special = func() (t [256]bool) {
	for _, c := range []byte("\\%&=\r\n+?") {
		t[c] = true
	}
	return t
}()

// raw returns the range of src that the bytes [a, b) of the view come from.
func (v *view) raw(src string, a, b int) span {
	last := int(v.start[b-1])
	_, n := decodeToken(nil, src, last, v.plus)
	return span{int(v.start[a]), last + n}
}

// decodeToken appends to dst what the escape (or the byte) at src[i]
// stands for and returns how many bytes of src it takes: at least one.
func decodeToken(dst []byte, src string, i int, plus bool) ([]byte, int) {
	rest := src[i:]
	switch c := rest[0]; c {
	case '\r', '\n':
		return dst, 1
	case '+':
		if plus {
			return append(dst, ' '), 1
		}
	case '=': // quoted-printable: a soft line break, or =XX
		switch {
		case strings.HasPrefix(rest, "=\r\n"):
			return dst, 3
		case strings.HasPrefix(rest, "=\n"):
			return dst, 2
		}
		if b, ok := hexByte(rest[1:]); ok {
			return append(dst, b), 3
		}
	case '?': // between two RFC 2047 encoded words: a header's soft break
		if n := wordBreakLen(rest); n > 0 {
			return dst, n
		}
	case '%':
		if b, ok := hexByte(rest[1:]); ok {
			return append(dst, b), 3
		}
	case '&':
		if n := entityLen(rest); n > 0 {
			if u := html.UnescapeString(rest[:n]); u != rest[:n] {
				return append(dst, u...), n
			}
		}
	case '\\':
		return decodeBackslash(dst, rest)
	}
	return append(dst, rest[0]), 1
}

// decodeBackslash decodes a JSON, Go or Python escape at the start of s.
func decodeBackslash(dst []byte, s string) ([]byte, int) {
	if len(s) < 2 {
		return append(dst, '\\'), 1
	}
	switch c := s[1]; c {
	case '"', '\\', '/', '\'':
		return append(dst, c), 2
	case 'n':
		return append(dst, '\n'), 2
	case 'r':
		return append(dst, '\r'), 2
	case 't':
		return append(dst, '\t'), 2
	case 'b':
		return append(dst, '\b'), 2
	case 'f':
		return append(dst, '\f'), 2
	case 'u':
		r, ok := hexRune(s[2:], 4)
		if !ok {
			break
		}
		if utf16.IsSurrogate(r) && len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
			if lo, ok := hexRune(s[8:], 4); ok {
				if p := utf16.DecodeRune(r, lo); p != utf8.RuneError {
					return utf8.AppendRune(dst, p), 12
				}
			}
		}
		return utf8.AppendRune(dst, r), 6
	case 'U':
		if r, ok := hexRune(s[2:], 8); ok && utf8.ValidRune(r) {
			return utf8.AppendRune(dst, r), 10
		}
	case 'x':
		return decodeHexRun(dst, s)
	}
	return append(dst, '\\'), 1
}

// decodeHexRun decodes a run of \xNN escapes: as UTF-8 where the bytes
// are (Go's quoting, Python's bytes repr), else each as a code point
// (Python's ascii() writes é as \xe9).
func decodeHexRun(dst []byte, s string) ([]byte, int) {
	var raw []byte
	n := 0
	for len(s) >= n+4 && s[n] == '\\' && s[n+1] == 'x' {
		b, ok := hexByte(s[n+2:])
		if !ok {
			break
		}
		raw = append(raw, b)
		n += 4
	}
	if n == 0 {
		return append(dst, '\\'), 1
	}
	for len(raw) > 0 {
		r, size := utf8.DecodeRune(raw)
		if r == utf8.RuneError && size <= 1 {
			dst = utf8.AppendRune(dst, rune(raw[0]))
			raw = raw[1:]
			continue
		}
		dst = append(dst, raw[:size]...)
		raw = raw[size:]
	}
	return dst, n
}

// wordBreakLen returns the length of the end of an RFC 2047 encoded word,
// the folding white space and the start of the next one at the start of s
// ("?= =?UTF-8?q?"), or 0: a header that holds a secret in
// quoted-printable words may split it between two of them.
func wordBreakLen(s string) int {
	if !strings.HasPrefix(s, "?=") {
		return 0
	}
	i := 2
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	if i == 2 || !strings.HasPrefix(s[i:], "=?") {
		return 0
	}
	i += 2
	for j := i; j < len(s) && j < i+40; j++ {
		if s[j] == '?' {
			if j > i && j+2 < len(s) && strings.ContainsRune("QqBb", rune(s[j+1])) && s[j+2] == '?' {
				return j + 3
			}
			return 0
		}
	}
	return 0
}

// entityLen returns the length of the HTML or XML character reference at
// the start of s (&lt; &#34; &#x22;), or 0.
func entityLen(s string) int {
	for i := 1; i < len(s) && i <= 32; i++ {
		c := s[i]
		switch {
		case c == ';':
			if i > 1 {
				return i + 1
			}
			return 0
		case c == '#' && i == 1, c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		default:
			return 0
		}
	}
	return 0
}

func hexByte(s string) (byte, bool) {
	r, ok := hexRune(s, 2)
	return byte(r), ok
}

func hexRune(s string, n int) (rune, bool) {
	if len(s) < n {
		return 0, false
	}
	var r rune
	for i := 0; i < n; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// hexRuns calls fn with the bytes of each run of hex digits in s long
// enough to hold a secret, decoded from each of its first two digits, and
// the place in s of the digit the bytes start at: hex of an escaped
// secret (of a JSON message) is found as the escape inside it.
func hexRuns(s string, fn func(decoded string, off int)) {
	for i := 0; i < len(s); {
		if !isHex(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isHex(s[j]) {
			j++
		}
		for off := i; off <= i+1 && j-off >= 2*MinSecretLen; off++ {
			dec := make([]byte, (j-off)/2)
			for k := range dec {
				dec[k], _ = hexByte(s[off+2*k:])
			}
			fn(string(dec), off)
		}
		i = j
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
