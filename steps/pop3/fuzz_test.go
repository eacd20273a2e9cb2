package pop3

import (
	"strings"
	"testing"
)

// FuzzParseStatus reads a fuzzed POP3 status line as netrun does and
// checks: +OK and -ERR (any case) and nothing else are replies; ok is +OK;
// a response code has no space or bracket; the reply renders to a line
// that reads back as the same reply.
func FuzzParseStatus(f *testing.F) {
	for _, seed := range []string{
		"+OK Dovecot ready.", "-ERR [AUTH] Authentication failed.", "+OK 2 320", "+ok", "-ERR [SYS/TEMP] try later",
		"-ERR [] x", "-ERR [a b] c", "+OK [IN-USE", "OK", "", "+OK\x00\xff", "+OK  [X]  y ",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		r, ok := parseStatus(line)
		word, _, _ := strings.Cut(line, " ")
		switch w := strings.ToUpper(word); {
		case ok != (w == "+OK" || w == "-ERR"):
			t.Fatalf("%q read as a reply: %v", line, ok)
		case ok && r.OK != (w == "+OK"):
			t.Fatalf("%q read as ok %v", line, r.OK)
		}
		if !ok {
			return
		}
		if strings.ContainsAny(r.Enhanced, " []") {
			t.Fatalf("response code %q from %q", r.Enhanced, line)
		}
		if r.Text != strings.TrimSpace(r.Text) {
			t.Fatalf("text %q keeps spaces at its ends", r.Text)
		}
		again, ok := parseStatus(r.String())
		if !ok || again.OK != r.OK || again.Enhanced != r.Enhanced || again.Text != r.Text {
			t.Fatalf("%q read as %+v, rendered %q, read back as %+v", line, r, r.String(), again)
		}
	})
}
