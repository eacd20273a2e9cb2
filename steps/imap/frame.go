package imap

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/mailform"
)

// Caps on what the server sends, checked on the connection under the IMAP
// library (which has none), so that no response can fill memory.
const (
	// MaxLine is the longest line of a response, literals not counted: a
	// "* SEARCH" reply that lists every UID of a mailbox of 100,000
	// messages is about 700 KB.
	MaxLine = 1 << 20
	// DefaultMaxLiteral is the largest literal ({N} and N bytes) taken
	// unless fetch's max_size is larger: the default message cap.
	DefaultMaxLiteral = mailform.DefaultMaxSize
)

// excerptSize is how much of a line a cut keeps, to show it.
const excerptSize = 200

// framer follows the framing of what the server sends: lines, and literals
// announced at the end of a line ("{N}", "{N+}", "~{N}"), and cuts the
// connection when a line, a literal or a response is over its cap. A
// response is a line and, while a line ends with a literal, the literal and
// the line that continues it. It is used by the client's reader goroutine
// alone.
type framer struct {
	maxLiteral int64

	literal  int64 // bytes of the literal still to come; 0 in a line
	line     int   // bytes of the line so far (of this part of it)
	response int64 // bytes of the response so far
	tail     []byte
	excerpt  []byte // the start of the response, for messages
	// inCaps is set inside a capability list ("* CAPABILITY ...", or
	// "[CAPABILITY ...]" when bracket is set).
	inCaps, bracket bool
}

// maxResponse is the cap on a response: a literal and its lines.
func (f *framer) maxResponse() int64 { return f.maxLiteral + MaxLine }

// midResponse reports whether part of a response has been received.
func (f *framer) midResponse() bool { return f.response > 0 }

// received returns how much of the current response was received.
func (f *framer) received() int64 { return f.response }

// feed follows b, received from the server. It returns a mismatch when b
// goes over a cap; what of b comes after that point must not be used.
func (f *framer) feed(b []byte) error {
	for len(b) > 0 {
		if f.literal > 0 {
			n := min(int64(len(b)), f.literal)
			f.literal -= n
			f.response += n
			b = b[n:]
			if f.response > f.maxResponse() {
				return f.cut(fmt.Sprintf("a response larger than %s", bytesize.Format(int(f.maxResponse()))))
			}
			continue
		}
		c := b[0]
		b = b[1:]
		f.line++
		f.response++
		if len(f.excerpt) < excerptSize {
			f.excerpt = append(f.excerpt, c)
		}
		if c != '\n' {
			if len(f.tail) == 24 {
				copy(f.tail, f.tail[1:])
				f.tail = f.tail[:23]
			}
			f.tail = append(f.tail, c)
			if err := f.caps(c); err != nil {
				return err
			}
			if f.line > MaxLine {
				return f.cut(fmt.Sprintf("a line longer than %s without a line ending (CRLF)", bytesize.Format(MaxLine)))
			}
			continue
		}
		n, ok := literalAtEnd(f.tail)
		f.tail, f.line, f.inCaps = f.tail[:0], 0, false
		switch {
		case !ok:
			f.response, f.excerpt = 0, f.excerpt[:0]
		case n > f.maxLiteral:
			return f.cut(fmt.Sprintf("a literal of %s, more than the cap of %s on one literal (fetch's max_size raises it)",
				bytesize.Format(int(min(n, 1<<62))), bytesize.Format(int(f.maxLiteral))))
		default:
			f.literal = n
		}
		if f.response > f.maxResponse() {
			return f.cut(fmt.Sprintf("a response larger than %s", bytesize.Format(int(f.maxResponse()))))
		}
	}
	return nil
}

// caps follows capability lists: the IMAP library (v2.0.0-beta.8) reads a
// "(" in one forever, spinning, without reading again, so that neither the
// step's deadline nor closing can end it; such a list is cut first.
func (f *framer) caps(c byte) error {
	switch {
	case f.inCaps && c == '(':
		return &engine.Mismatch{Received: append([]byte(nil), f.excerpt...), Msg: "the server sent a capability list with \"(\" in it, " +
			"which is not IMAP and which the IMAP library would read forever, so netrun closed the connection"}
	case f.inCaps && c == ']' && f.bracket:
		f.inCaps = false
	case !f.inCaps && hasSuffixFold(f.tail, "[CAPABILITY"):
		f.inCaps, f.bracket = true, true
	case !f.inCaps && f.line == len("* CAPABILITY") && hasSuffixFold(f.tail, "* CAPABILITY"):
		f.inCaps, f.bracket = true, false
	}
	return nil
}

// hasSuffixFold reports whether b ends with s, in any case.
func hasSuffixFold(b []byte, s string) bool {
	return len(b) >= len(s) && strings.EqualFold(string(b[len(b)-len(s):]), s)
}

// cut is the mismatch of a cap passed: what is the thing too large.
func (f *framer) cut(what string) error {
	return &engine.Mismatch{Received: append([]byte(nil), f.excerpt...), Msg: fmt.Sprintf(
		"the server sent %s; the cap bounds memory, so netrun closed the connection", what)}
}

// literalAtEnd reads the literal announced at the end of a line ("{N}",
// "{N+}" or "~{N}", then CRLF or LF): tail is the end of the line without
// its LF.
func literalAtEnd(tail []byte) (int64, bool) {
	if n := len(tail); n > 0 && tail[n-1] == '\r' {
		tail = tail[:n-1]
	}
	n := len(tail)
	if n < 3 || tail[n-1] != '}' {
		return 0, false
	}
	digits := tail[:n-1]
	if m := len(digits); m > 0 && digits[m-1] == '+' {
		digits = digits[:m-1]
	}
	open := -1
	for i := len(digits) - 1; i >= 0; i-- {
		if digits[i] == '{' {
			open = i
			break
		}
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	if open < 0 && len(digits) >= 19 {
		// The line's end holds only digits before "}": the "{" is
		// further back than the tail kept, so the number has more digits
		// than any size.
		return 1<<63 - 1, true
	}
	if open < 0 || open == len(digits)-1 {
		return 0, false
	}
	v, err := strconv.ParseInt(string(digits[open+1:]), 10, 64)
	if err != nil {
		return 1<<63 - 1, true // more digits than any cap
	}
	return v, true
}
