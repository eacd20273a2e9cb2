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
