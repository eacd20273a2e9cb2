package pop3

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
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

// FuzzReply reads fuzzed server output as the reply to RETR, as fetch
// does (the status line, then the dot-terminated block of a +OK), and
// checks: a block only after +OK and within the cap; its lines split back
// into it; a failure is a check failure or says in words what the peer
// did, and leaves the connection unusable when it cut the block.
func FuzzReply(f *testing.F) {
	for _, seed := range []string{
		"+OK 120 octets\r\nSubject: x\r\n\r\n..dot\r\n.\r\n", "-ERR no such message\r\n", "+OK\r\n.\r\n",
		"+OK\r\nno end", "+OK\r\n" + strings.Repeat("y", 300) + "\r\n.\r\n", "OK\r\n", "+OK\n.\n", "",
	} {
		f.Add([]byte(seed))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	defer ln.Close()
	const max = 256
	f.Fuzz(func(t *testing.T, data []byte) {
		c := newConn(lineproto.New(steptest.ServeOnce(t, ln, data), 0), "loopback")
		defer c.lp.NetConn().Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		r, block, err := c.d.Reply(ctx, nil, lineproto.Request{Line: "RETR 1", Max: max})
		if err != nil {
			var m *engine.Mismatch
			if !errors.As(err, &m) && !strings.Contains(err.Error(), "peer") {
				t.Fatalf("%v (%T) is neither a check failure nor in words", err, err)
			}
			if strings.Contains(err.Error(), "read tcp") {
				t.Fatalf("the reason shows the library's words: %v", err)
			}
			return
		}
		if !r.OK && block != nil || len(block) > max {
			t.Fatalf("%s with a block of %d bytes", r, len(block))
		}
		// Each line of the block keeps its ending, CRLF or LF: the lines
		// are the block with those endings as separators.
		want := strings.TrimSuffix(strings.ReplaceAll(string(block), "\r\n", "\n"), "\n")
		if got := strings.Join(lineproto.SplitLines(block), "\n"); got != want {
			t.Fatalf("lines %q from block %q", got, block)
		}
	})
}
