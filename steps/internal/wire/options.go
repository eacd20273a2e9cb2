package wire

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/engine"
)

// Defaults of the connection options.
const (
	// DefaultLineEnding is what `send: { line }` appends unless line_ending
	// says otherwise.
	DefaultLineEnding = "\r\n"
	// DefaultMaxBuffer bounds what one expect keeps while waiting for a
	// match.
	DefaultMaxBuffer = 1 << 20
	// maxMaxBuffer is the largest max_buffer accepted.
	maxMaxBuffer = 1 << 30
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
	errs.Add(CheckSize(&o.MaxBuffer, "max_buffer"))
	return errs.Err()
}

// Resolve evaluates the options: the line ending and the buffer cap, with
// their defaults.
func (o *StreamOptions) Resolve(s *engine.Session) (lineEnding string, maxBuffer int, err error) {
	lineEnding, err = EvalLineEnding(s, &o.LineEnding, DefaultLineEnding)
	if err != nil {
		return "", 0, err
	}
	if maxBuffer, err = EvalSize(s, &o.MaxBuffer, "max_buffer", DefaultMaxBuffer); err != nil {
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

// ParseSize reads a size such as 4096, 64KiB, 1MiB, 10KB or 2MB (KiB and
// MiB count 1024s, KB and MB count 1000s; case and a space before the unit
// do not matter). It must be between 1 byte and 1 GiB.
func ParseSize(v string) (int, error) {
	s := strings.ToLower(strings.TrimSpace(v))
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	num, unit := s[:i], strings.TrimSpace(s[i:])
	mult := 0
	switch unit {
	case "", "b":
		mult = 1
	case "k", "kib":
		mult = 1 << 10
	case "m", "mib":
		mult = 1 << 20
	case "g", "gib":
		mult = 1 << 30
	case "kb":
		mult = 1000
	case "mb":
		mult = 1000 * 1000
	case "gb":
		mult = 1000 * 1000 * 1000
	}
	n, err := strconv.Atoi(num)
	if num == "" || mult == 0 || err != nil {
		return 0, fmt.Errorf("%q is not a size: use a number of bytes or a number with KiB, MiB, KB or MB", v)
	}
	if n <= 0 || n > maxMaxBuffer/mult {
		return 0, fmt.Errorf("size %q must be between 1 byte and 1 GiB", v)
	}
	return n * mult, nil
}

// CheckSize checks a size option such as max_size at load time, when its
// value is literal; key names the option in the error, which is placed at
// the value.
func CheckSize(t *engine.Template, key string) error {
	if lit, ok := t.Literal(); ok {
		if _, err := ParseSize(lit); err != nil {
			return &engine.Error{Pos: t.Pos(), Msg: key + ": " + err.Error()}
		}
	}
	return nil
}

// EvalSize evaluates a size option (see ParseSize), or returns def when it
// is not set; key names the option in errors.
func EvalSize(s *engine.Session, t *engine.Template, key string, def int) (int, error) {
	if !t.IsSet() {
		return def, nil
	}
	v, err := t.String(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", key, err)
	}
	n, err := ParseSize(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", key, err)
	}
	return n, nil
}

// FormatSize writes n bytes for a person: "1 MiB", "64 KiB", "300 bytes".
func FormatSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n == 1:
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}
