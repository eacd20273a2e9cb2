package lineproto

import (
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// RegisterPassword registers as a secret the password in a command line
// that a scenario writes itself (send: { command } or { line }): the
// argument of PASS (FTP, POP3), of AUTHINFO PASS (NNTP), or the second
// of IMAP's LOGIN, as written and, when quoted, as meant. A password
// written in the file, rather than taken from secrets:, is then redacted
// all the same.
func RegisterPassword(s *engine.Session, line string) {
	if pw := passwordIn(line); pw != "" {
		s.Secret(pw)
		if v, ok := unquoteIMAP(pw); ok && v != "" {
			s.Secret(v)
		}
	}
}

// passwordIn returns the password of a PASS, AUTHINFO PASS or IMAP LOGIN
// line as written in it, or "".
func passwordIn(line string) string {
	verb, rest, _ := strings.Cut(line, " ")
	switch {
	case strings.EqualFold(verb, "AUTHINFO"):
		verb, rest, _ = strings.Cut(rest, " ")
	case strings.EqualFold(verb, "LOGIN"):
		// LOGIN user password, each an atom or a quoted string.
		if n := astringLen(rest); n > 0 && n < len(rest) && rest[n] == ' ' {
			return rest[n+1:]
		}
		return ""
	}
	if strings.EqualFold(verb, "PASS") {
		return rest
	}
	return ""
}

// astringLen is the length of the IMAP atom or quoted string that s
// starts with (0 for an unended quoted string).
func astringLen(s string) int {
	if !strings.HasPrefix(s, `"`) {
		for i := 0; i < len(s); i++ {
			switch {
			case s[i] == ' ':
				return i
			case strings.HasPrefix(s[i:], "{{"): // a template in a step's source
				end := strings.Index(s[i:], "}}")
				if end < 0 {
					return len(s)
				}
				i += end + 1
			}
		}
		return len(s)
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return 0
}

// unquoteIMAP returns the value of an IMAP quoted string, or false when
// s is not one.
func unquoteIMAP(s string) (string, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", false
	}
	var b strings.Builder
	for i := 1; i < len(s)-1; i++ {
		if s[i] == '\\' && i+1 < len(s)-1 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String(), true
}

// CommandName names a step that sends the command line src (its source
// text): quoted and cut like every step name, with the password of a PASS
// or AUTHINFO PASS line written in the file shown as ***, since a step
// that never runs never registers it as a secret.
func CommandName(src string) string {
	return wire.Short(HidePassword(src))
}

// HidePassword returns src with the password of a PASS, AUTHINFO PASS
// or IMAP LOGIN line shown as ***.
func HidePassword(src string) string {
	if pw := passwordIn(src); pw != "" {
		return src[:len(src)-len(pw)] + engine.Redacted
	}
	return src
}
