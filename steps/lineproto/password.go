package lineproto

import (
	"strings"

	"github.com/netrunhq/netrun/engine"
)

// RegisterPassword registers as a secret the password in a command line
// that a scenario writes itself (send: { command } or { line }): the
// argument of PASS (FTP, POP3) or of AUTHINFO PASS (NNTP). A password
// written in the file, rather than taken from secrets:, is then redacted
// all the same.
func RegisterPassword(s *engine.Session, line string) {
	verb, rest, _ := strings.Cut(line, " ")
	if strings.EqualFold(verb, "AUTHINFO") {
		verb, rest, _ = strings.Cut(rest, " ")
	}
	if strings.EqualFold(verb, "PASS") && rest != "" {
		s.Secret(rest)
	}
}
