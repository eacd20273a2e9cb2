package wire

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

// Defaults of the connection options.
const (
	// DefaultLineEnding is what `send: { line }` appends unless line_ending
	// says otherwise.
	DefaultLineEnding = "\r\n"
	// DefaultMaxBuffer bounds what one expect keeps while waiting for a
	// match.
	DefaultMaxBuffer = 1 << 20
)

// StreamOptions are the connection options of stream protocols (tcp, tls,
// ws), given beside connect or listen.
type StreamOptions struct {
	// LineEnding is appended by `send: { line }`: CRLF by default.
	LineEnding engine.Template `yaml:"line_ending"`
	// MaxBuffer bounds what an expect keeps while it waits for a match,
	// such as 1MiB (the default), 64KiB or 4096.
	MaxBuffer engine.Template `yaml:"max_buffer"`
}

// Validate checks literal values at load time (after Decoder.Load).
func (o *StreamOptions) Validate() error {
	var errs LoadErrors
	if lit, ok := Literal(&o.LineEnding); ok {
		if _, err := ParseLineEnding(lit); err != nil {
			errs.Add(&engine.Error{Pos: o.LineEnding.Pos(), Msg: err.Error()})
		}
	}
	errs.Add(bytesize.Check(&o.MaxBuffer, "max_buffer"))
	return errs.Err()
}

// Resolve evaluates the options: the line ending and the buffer cap, with
// their defaults.
func (o *StreamOptions) Resolve(s *engine.Session) (lineEnding string, maxBuffer int, err error) {
	lineEnding, err = EvalLineEnding(s, &o.LineEnding, DefaultLineEnding)
	if err != nil {
		return "", 0, err
	}
	if maxBuffer, err = bytesize.Eval(s, &o.MaxBuffer, "max_buffer", DefaultMaxBuffer); err != nil {
		return "", 0, err
	}
	return lineEnding, maxBuffer, nil
}

// Literal returns the text of a template given without {{ }}, whose value
// can be checked at load time. It is engine.Template.Literal.
func Literal(t *engine.Template) (string, bool) { return t.Literal() }

// EvalLineEnding evaluates t as a line ending, or returns def when t is not
// set.
func EvalLineEnding(s *engine.Session, t *engine.Template, def string) (string, error) {
	if !t.IsSet() {
		return def, nil
	}
	v, err := t.String(s)
	if err != nil {
		return "", fmt.Errorf("line_ending: %w", err)
	}
	return ParseLineEnding(v)
}

// ParseLineEnding reads a line_ending value. It takes the characters
// themselves ("\r\n" in double quotes), the names crlf, lf and cr (any
// case), or backslash escapes written literally ('\r\n' in single quotes),
// since a line ending that is a backslash is never what was meant. Escapes
// are \r, \n, \t, \0, \\ and \xHH.
func ParseLineEnding(v string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "crlf":
		return "\r\n", nil
	case "lf":
		return "\n", nil
	case "cr":
		return "\r", nil
	}
	if v == "" {
		return "", fmt.Errorf("line_ending is empty: use crlf, lf, cr or the characters themselves")
	}
	out, err := unescape(v)
	if err != nil {
		return "", fmt.Errorf("line_ending %q: %w", v, err)
	}
	for _, c := range []byte(out) {
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			// A name misspelt (crfl) would otherwise be sent as data.
			msg := fmt.Sprintf("line_ending %q is not a line ending: use crlf, lf, cr or the characters themselves (\"\\r\\n\")", v)
			if near := nearEnding(v); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			}
			return "", errors.New(msg)
		}
	}
	return out, nil
}

// nearEnding returns the line-ending name v looks like a misspelling of.
func nearEnding(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	for _, name := range []string{"crlf", "lf", "cr"} {
		if strings.ContainsAny(v, "crlfn") && len(v) <= 5 && sameLetters(v, name) {
			return name
		}
	}
	return ""
}

// sameLetters reports whether a and b hold the same letters, in any order.
func sameLetters(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[rune]int{}
	for _, r := range a {
		count[r]++
	}
	for _, r := range b {
		count[r]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

// unescape replaces backslash escapes in v.
func unescape(v string) (string, error) {
	if !strings.Contains(v, `\`) {
		return v, nil
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(v) {
			return "", fmt.Errorf("ends with a lone backslash")
		}
		i++
		switch v[i] {
		case 'r':
			b.WriteByte('\r')
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '0':
			b.WriteByte(0)
		case '\\':
			b.WriteByte('\\')
		case 'x':
			if i+2 >= len(v) {
				return "", fmt.Errorf(`\x needs two hex digits`)
			}
			n, err := strconv.ParseUint(v[i+1:i+3], 16, 8)
			if err != nil {
				return "", fmt.Errorf(`\x needs two hex digits, not %q`, v[i+1:i+3])
			}
			b.WriteByte(byte(n))
			i += 2
		default:
			return "", fmt.Errorf(`unknown escape \%c`, v[i])
		}
	}
	return b.String(), nil
}

// EvalCount evaluates t as a whole number from min (to max when max > 0),
// or returns def when t is not set. unit, when given, follows the number
// in the error ("top: -1 lines: give 0 or more").
func EvalCount(s *engine.Session, t *engine.Template, name string, def, min, max int, unit string) (int, error) {
	if !t.IsSet() {
		return def, nil
	}
	n, err := t.Int(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	if n >= min && (max <= 0 || n <= max) {
		return n, nil
	}
	got := strconv.Itoa(n)
	if unit != "" {
		got += " " + unit
	}
	if max > 0 {
		return 0, fmt.Errorf("%s: %s: give %d to %d", name, got, min, max)
	}
	return 0, fmt.Errorf("%s: %s: give %d or more", name, got, min)
}
