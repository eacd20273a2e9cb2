package imap

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
)

// TestReadTagged reads untagged responses (one with a literal holding
// CRLF) up to the tagged one, and keeps what came after it for the
// library's reader.
func TestReadTagged(t *testing.T) {
	client, server := net.Pipe()
	t.Cleanup(func() { client.Close(); server.Close() })
	sc := newStepConn(client, client)
	go func() {
		_, _ = io.WriteString(server, "* 3 EXISTS\r\n* 1 FETCH (BODY[] {6}\r\nab\r\ncd)\r\nN7 NO [TRYCREATE] no such box\r\n* 9 RECENT\r\n")
	}()
	res, err := sc.readTagged("N7")
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "NO" || res.OK || res.Text != "[TRYCREATE] no such box" {
		t.Errorf("tagged: %+v", res)
	}
	if want := []string{"3 EXISTS", "1 FETCH (BODY[] {6}\r\nab\r\ncd)"}; strings.Join(res.Lines, "|") != strings.Join(want, "|") {
		t.Errorf("lines %q, want %q", res.Lines, want)
	}
	buf := make([]byte, 64)
	n, _ := sc.takePending(buf)
	if got := string(buf[:n]); got != "* 9 RECENT\r\n" {
		t.Errorf("left for the library: %q", got)
	}
}

// TestReadTaggedCaps refuses a literal over the cap, a continuation
// request and a response that is neither untagged nor tagged.
func TestReadTaggedCaps(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"* 1 FETCH (BODY[] {99999999999}\r\n", "more than the cap"},
		{"+ go ahead\r\n", "asks for more from the client"},
		{"T1 OK someone else's\r\n", "neither untagged (*) nor tagged N1"},
		{"N1 MAYBE\r\n", `"MAYBE" where OK, NO or BAD belongs`},
		{"* " + strings.Repeat("x", MaxLine+10) + "\r\n", "a line longer than 1 MiB"},
	} {
		client, server := net.Pipe()
		sc := newStepConn(client, client)
		go func() { _, _ = io.WriteString(server, tc.in); server.Close() }()
		_, err := sc.readTagged("N1")
		var m *engine.Mismatch
		if !errors.As(err, &m) || !strings.Contains(m.Msg, tc.want) {
			t.Errorf("%.30q: %v, want a mismatch with %q", tc.in, err, tc.want)
		}
		client.Close()
	}
}

// TestLiteralSizeAsTheFramer checks that a raw command's reader finds the
// literals the framer finds: an oversized one is one, of the largest
// size, so that the cap refuses it instead of its bytes being read as
// responses.
func TestLiteralSizeAsTheFramer(t *testing.T) {
	for _, line := range []string{"* 1 FETCH (BODY[] {12}\r\n", "* 1 FETCH (BODY[] {12+}\n", "* 1 FETCH (BODY[] {99999999999999999999}\r\n", "* OK no literal\r\n", "* OK {x}\r\n"} {
		n, ok := literalSize([]byte(line))
		wn, wok := literalAtEnd([]byte(strings.TrimSuffix(line, "\n")))
		if n != wn || ok != wok {
			t.Errorf("literalSize(%q) = %d, %v; the framer reads %d, %v", line, n, ok, wn, wok)
		}
	}
	if n, ok := literalSize([]byte("* 1 FETCH (BODY[] {99999999999999999999}\r\n")); !ok || n < 1<<40 {
		t.Errorf("an oversized literal reads as %d, %v; want a literal too large for any cap", n, ok)
	}
}
