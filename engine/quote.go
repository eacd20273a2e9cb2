package engine

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quote renders data received from a peer for a person to read: as a quoted
// Go string when it is text, or as hex bytes when it is binary. When data is
// longer than max bytes, only its tail is shown, with the count left out.
func Quote(data []byte, max int) string {
	prefix := ""
	if max > 0 && len(data) > max {
		cut := len(data) - max
		for cut < len(data) && !utf8.RuneStart(data[cut]) {
			cut++
		}
		prefix = fmt.Sprintf("…(%d bytes before) ", cut)
		data = data[cut:]
	}
	if q, ok := quoteASCII(data); ok {
		return prefix + q
	}
	if IsText(data) {
		return prefix + strconv.Quote(string(data))
	}
	var b strings.Builder
	b.WriteString(prefix + "hex:")
	for _, c := range data {
		fmt.Fprintf(&b, " %02x", c)
	}
	return b.String()
}

// IsText reports whether data is UTF-8 text without control characters other
// than tab, CR and LF.
func IsText(data []byte) bool {
	ascii := true
	for _, c := range data {
		if c >= 0x80 || (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f {
			ascii = false
			break
		}
	}
	if ascii {
		return true
	}
	if !utf8.Valid(data) {
		return false
	}
	for _, r := range string(data) {
		if r == '\t' || r == '\r' || r == '\n' {
			continue
		}
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// quoteASCII is strconv.Quote for printable ASCII with tabs, CRs and LFs,
// the usual line of a transcript, with one allocation; ok is false for
// anything else.
func quoteASCII(data []byte) (string, bool) {
	n := len(data) + 2
	for _, c := range data {
		switch {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			n++
		case c < 0x20 || c >= 0x7f:
			return "", false
		}
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteByte('"')
	for _, c := range data {
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String(), true
}
