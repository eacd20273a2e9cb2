package lineproto

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

// Caps of one reply.
const (
	// MaxReplyLines is the most lines a reply may have.
	MaxReplyLines = 1000
	// MaxReplyBytes is the most bytes a reply may have, line endings
	// included.
	MaxReplyBytes = 1 << 20
)

// Reply is a reply of a 3-digit protocol (SMTP, FTP, NNTP), as results show
// it: `result.code`, `result.enhanced`, `result.text`, `result.lines`.
type Reply struct {
	// Code is the reply code, such as 250.
	Code int `expr:"code" json:"code"`
	// Enhanced is the enhanced status code of RFC 3463, such as "2.1.0",
	// when the first line starts with one whose class is the code's; else
	// empty.
	Enhanced string `expr:"enhanced" json:"enhanced"`
	// Text is the text of every line, joined with "\n": without the code,
	// the separator and the enhanced status code.
	Text string `expr:"text" json:"text"`
	// Lines is the text of each line, as in Text.
	Lines []string `expr:"lines" json:"lines"`

	// raw is the reply as received, line endings included.
	raw []byte
}

// String renders the reply on one line for a message: "250 2.0.0 Ok", the
// lines of a multi-line reply joined with spaces.
func (r Reply) String() string {
	parts := []string{fmt.Sprintf("%03d", r.Code)}
	if r.Enhanced != "" {
		parts = append(parts, r.Enhanced)
	}
	for _, l := range r.Lines {
		if l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

// Raw returns the reply as it was received, line endings included, for
// engine.Mismatch. It is nil for a Reply not read from a connection.
func (r Reply) Raw() []byte { return r.raw }

// Class returns the first digit of the code: 2 for 250.
func (r Reply) Class() int { return r.Code / 100 }

// ReadReply reads one reply: lines "CODE-text" up to the line "CODE text"
// (or "CODE" alone). All lines must have the same code. A line that is not
// a reply line, or a reply over MaxReplyLines lines or MaxReplyBytes bytes,
// fails with engine.Mismatch showing what was received.
func (c *Conn) ReadReply(ctx context.Context, s *engine.Session) (Reply, error) {
	stop := engine.Deadline(ctx, c.nc)
	defer stop()
	start := time.Now()
	var b replyBuilder
	for {
		what := awaited{what: "a reply", line: b.n + 1, code: b.r.Code}
		line, raw, err := c.readLine(ctx, s, what, start)
		if err != nil {
			if b.n > 0 && c.err == nil {
				// Half a reply was read: the next read would take its rest
				// for a reply of its own.
				c.err = fmt.Errorf("the connection is out of step after %d lines of a %03d reply: %w", b.n, b.r.Code, err)
			}
			return b.r, err
		}
		done, err := b.add(line, raw)
		if b.over() {
			c.err = err
		}
		if err != nil || done {
			return b.r, err
		}
	}
}

// replyBuilder puts a reply together line by line, for ReadReply and for
// Follower.
type replyBuilder struct {
	r Reply
	// n is the number of lines added.
	n int
	// free is RFC 959's form of a multi-line reply, FTP's: the lines
	// between the first and the last may be any text, and there are no
	// enhanced status codes. Otherwise every line starts with the code.
	free bool
	// noun names a reply line in messages: "a reply line".
	noun string
}

// add adds a line, without its ending (text) and as received (raw), and
// reports whether it ended the reply.
func (b *replyBuilder) add(line string, raw []byte) (bool, error) {
	b.r.raw = append(b.r.raw, raw...)
	code, more, text, ok := splitReplyLine(line)
	switch {
	case b.n == 0 && !ok, !ok && !b.free:
		noun, rule := "a reply line", "a reply line starts with a 3-digit code and a space or a dash"
		if b.noun != "" {
			noun, rule = b.noun, "a reply starts with a 3-digit code"
		}
		return false, &engine.Mismatch{Received: b.r.raw, Msg: fmt.Sprintf(
			"%s is not %s: %s", engine.Quote(raw, 80), noun, rule)}
	case b.n == 0:
		b.r.Code = code
	case code != b.r.Code && !b.free:
		return false, &engine.Mismatch{Received: b.r.raw, Msg: fmt.Sprintf(
			"line %d of a %03d reply has code %03d: every line of a reply has the same code", b.n+1, b.r.Code, code)}
	case !ok || code != b.r.Code:
		text, more = line, true
	}
	b.n++
	b.r.Lines = append(b.r.Lines, text)
	if !more {
		b.finish()
		return true, nil
	}
	if b.over() {
		return false, &engine.Mismatch{Received: tail(b.r.raw), Msg: fmt.Sprintf(
			"the %03d reply goes on past %d lines or %s; the cap bounds memory, and the connection is not used after it",
			b.r.Code, MaxReplyLines, bytesize.Format(MaxReplyBytes))}
	}
	return false, nil
}

// over reports whether the reply so far passed a cap: add failed for it.
func (b *replyBuilder) over() bool {
	return b.n >= MaxReplyLines || len(b.r.raw) >= MaxReplyBytes
}

// finish sets Enhanced and Text once the last line is in.
func (b *replyBuilder) finish() {
	r := &b.r
	if !b.free {
		r.Enhanced = enhancedOf(r.Code, r.Lines)
	}
	if r.Enhanced != "" {
		for i, l := range r.Lines {
			if rest, ok := strings.CutPrefix(l, r.Enhanced); ok && (rest == "" || rest[0] == ' ') {
				r.Lines[i] = strings.TrimPrefix(rest, " ")
			}
		}
	}
	r.Text = strings.Join(r.Lines, "\n")
}

// splitReplyLine parses "250-text", "250 text" or "250". more is true for a
// dash: more lines follow.
func splitReplyLine(line string) (code int, more bool, text string, ok bool) {
	if len(line) < 3 {
		return 0, false, "", false
	}
	for i := 0; i < 3; i++ {
		if line[i] < '0' || line[i] > '9' {
			return 0, false, "", false
		}
		code = code*10 + int(line[i]-'0')
	}
	switch {
	case len(line) == 3:
		return code, false, "", true
	case line[3] == ' ':
		return code, false, line[4:], true
	case line[3] == '-':
		return code, true, line[4:], true
	}
	return 0, false, "", false
}

// enhancedRE matches an enhanced status code at the start of a line.
var enhancedRE = regexp.MustCompile(`^([245])\.\d{1,3}\.\d{1,3}(?: |$)`)

// enhancedOf returns the enhanced status code that starts the first line,
// when its class is the code's.
func enhancedOf(code int, lines []string) string {
	m := enhancedRE.FindStringSubmatch(lines[0])
	if m == nil || int(m[1][0]-'0') != code/100 {
		return ""
	}
	return strings.TrimSuffix(m[0], " ")
}

// tail returns the last 512 bytes of b, for a message.
func tail(b []byte) []byte {
	if len(b) > 512 {
		return b[len(b)-512:]
	}
	return b
}

// CodePattern matches reply codes: "250" matches 250 only, "25x" 250 to
// 259, "2xx" 200 to 299. The zero value matches every code.
type CodePattern struct {
	pat string
}

// ParseCode reads a code pattern: three digits, or a digit or two then "x"
// for each digit left (case does not matter).
func ParseCode(s string) (CodePattern, error) {
	p := strings.ToLower(strings.TrimSpace(s))
	ok := len(p) == 3
	for i := 0; ok && i < 3; i++ {
		switch c := p[i]; {
		case c >= '0' && c <= '9':
			ok = i == 0 || p[i-1] != 'x'
		case c == 'x':
			ok = i > 0
		default:
			ok = false
		}
	}
	if !ok {
		return CodePattern{}, fmt.Errorf("reply code %q: use three digits such as 250, or a class such as 2xx or 25x", s)
	}
	return CodePattern{pat: p}, nil
}

// Match reports whether code matches the pattern.
func (p CodePattern) Match(code int) bool {
	if p.pat == "" {
		return true
	}
	if code < 0 || code > 999 {
		return false
	}
	digits := fmt.Sprintf("%03d", code)
	for i := 0; i < 3; i++ {
		if p.pat[i] != 'x' && p.pat[i] != digits[i] {
			return false
		}
	}
	return true
}

// String returns the pattern as ParseCode reads it, such as "2xx"; "any"
// for the zero value.
func (p CodePattern) String() string {
	if p.pat == "" {
		return "any"
	}
	return p.pat
}
