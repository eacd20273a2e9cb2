package lineproto

import (
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// RegisterPassword registers as a secret the password in a command line
// that a scenario writes itself (send: { command } or { line }): the
// argument of PASS (FTP, POP3) or of AUTHINFO PASS (NNTP). A password
// written in the file, rather than taken from secrets:, is then redacted
// all the same.
func RegisterPassword(s *engine.Session, line string) {
	if pw := passwordIn(line); pw != "" {
		s.Secret(pw)
	}
}

// passwordIn returns the argument of a PASS or AUTHINFO PASS line, or "".
func passwordIn(line string) string {
	verb, rest, _ := strings.Cut(line, " ")
	if strings.EqualFold(verb, "AUTHINFO") {
		verb, rest, _ = strings.Cut(rest, " ")
	}
	if strings.EqualFold(verb, "PASS") {
		return rest
	}
	return ""
}

// CommandName names a step that sends the command line src (its source
// text): quoted and cut like every step name, with the password of a PASS
// or AUTHINFO PASS line written in the file shown as ***, since a step
// that never runs never registers it as a secret.
func CommandName(src string) string {
	if pw := passwordIn(src); pw != "" {
		src = src[:len(src)-len(pw)] + engine.Redacted
	}
	return wire.Short(src)
}
