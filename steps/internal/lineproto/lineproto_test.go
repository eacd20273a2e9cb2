package lineproto

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
)

// pair returns the two ends of a loopback TCP connection: ours wrapped in
// a Conn, and the peer's.
func pair(t *testing.T, maxLine int) (*Conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			accepted <- nil
			return
		}
		accepted <- c
	}()
	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	peer := <-accepted
	if peer == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { nc.Close(); peer.Close() })
	return New(nc, maxLine), peer
}

// ctxFor returns a context with a deadline that a test never waits out
// unless it means to.
func ctxFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// write sends s from the peer.
func write(t *testing.T, peer net.Conn, s string) {
	t.Helper()
	if _, err := io.WriteString(peer, s); err != nil {
		t.Fatal(err)
	}
}

// mismatch wants err to be an engine.Mismatch whose message contains msg
// and which shows received.
func mismatch(t *testing.T, err error, msg, received string) {
	t.Helper()
	var m *engine.Mismatch
	if !errors.As(err, &m) {
		t.Fatalf("error %v (%T), want a mismatch", err, err)
	}
	if !strings.Contains(m.Msg, msg) {
		t.Errorf("message %q does not contain %q", m.Msg, msg)
	}
	if string(m.Received) != received {
		t.Errorf("received %q, want %q", m.Received, received)
	}
}

func TestReadLineEndings(t *testing.T) {
	c, peer := pair(t, 0)
	write(t, peer, "220 crlf\r\n250 lf\nmid\rdle\r\n")
	ctx := ctxFor(t, 5*time.Second)
	for _, want := range []string{"220 crlf", "250 lf", "mid\rdle"} {
		got, err := c.ReadLine(ctx, nil)
		if err != nil || got != want {
			t.Fatalf("ReadLine = %q, %v; want %q", got, err, want)
		}
	}
}

func TestReadLineWithoutEndingThenClose(t *testing.T) {
	c, peer := pair(t, 0)
	write(t, peer, "220 no ending")
	peer.Close()
	_, err := c.ReadLine(ctxFor(t, 5*time.Second), nil)
	mismatch(t, err, "the peer closed the connection while we waited for a line (received 13 bytes without a line ending", "220 no ending")
	if c.Err() == nil {
		t.Error("Err() is nil after the peer closed")
	}
}

func TestReadLineTimeoutKeepsPartial(t *testing.T) {
	c, peer := pair(t, 0)
	write(t, peer, "220 half\r")
	_, err := c.ReadLine(ctxFor(t, 100*time.Millisecond), nil)
	mismatch(t, err, "timed out after", "220 half\r")
	if c.Err() != nil {
		t.Fatalf("a timeout made the connection unusable: %v", c.Err())
	}
	write(t, peer, "\n")
	got, err := c.ReadLine(ctxFor(t, 5*time.Second), nil)
	if err != nil || got != "220 half" {
		t.Fatalf("after the timeout: %q, %v", got, err)
	}
}

func TestReadLineSilent(t *testing.T) {
	c, _ := pair(t, 0)
	_, err := c.ReadLine(ctxFor(t, 50*time.Millisecond), nil)
	mismatch(t, err, "waiting for a line (nothing received)", "")
}

func TestReadLineInterrupted(t *testing.T) {
	c, _ := pair(t, 0)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err := c.ReadLine(ctx, nil)
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("error %v, want interrupted", err)
	}
}

func TestReadLineTooLong(t *testing.T) {
	c, peer := pair(t, 100)
	go func() {
		chunk := bytes.Repeat([]byte("x"), 32<<10)
		for {
			if _, err := peer.Write(chunk); err != nil {
				return
			}
		}
	}()
	_, err := c.ReadLine(ctxFor(t, 5*time.Second), nil)
	var m *engine.Mismatch
	if !errors.As(err, &m) || !strings.Contains(m.Msg, "longer than 100 bytes") {
		t.Fatalf("error %v, want a line longer than 100 bytes", err)
	}
	if len(m.Received) > 100+bufSize {
		t.Errorf("kept %d bytes", len(m.Received))
	}
	if _, err := c.ReadLine(ctxFor(t, time.Second), nil); err != c.Err() || err == nil {
		t.Errorf("read after the cap: %v, want the sticky error", err)
	}
	peer.Close()
}

func TestReadReply(t *testing.T) {
	c, peer := pair(t, 0)
	write(t, peer, "250-mail.example.test greets you\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 STARTTLS\r\n"+
		"550-5.1.1 No such\r\n550 5.1.1 user here\r\n"+
		"354\r\n"+
		"221 2.0.0\r\n"+
		"250 2.0.0 Ok\n")
	ctx := ctxFor(t, 5*time.Second)
	r, err := c.ReadReply(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Code != 250 || r.Enhanced != "" || len(r.Lines) != 4 || r.Lines[3] != "STARTTLS" ||
		r.Text != "mail.example.test greets you\nPIPELINING\nSIZE 1000\nSTARTTLS" {
		t.Errorf("EHLO reply %+v", r)
	}
	r, err = c.ReadReply(ctx, nil)
	if err != nil || r.Code != 550 || r.Enhanced != "5.1.1" || r.Text != "No such\nuser here" ||
		r.String() != "550 5.1.1 No such user here" || string(r.Raw()) != "550-5.1.1 No such\r\n550 5.1.1 user here\r\n" {
		t.Errorf("550 reply %+v, %v; String %q", r, err, r.String())
	}
	r, err = c.ReadReply(ctx, nil)
	if err != nil || r.Code != 354 || r.Text != "" || r.String() != "354" {
		t.Errorf("bare code: %+v, %v", r, err)
	}
	r, err = c.ReadReply(ctx, nil)
	if err != nil || r.Code != 221 || r.Enhanced != "2.0.0" || r.Text != "" {
		t.Errorf("enhanced only: %+v, %v", r, err)
	}
	r, err = c.ReadReply(ctx, nil)
	if err != nil || r.Code != 250 || r.Text != "Ok" || r.String() != "250 2.0.0 Ok" {
		t.Errorf("LF reply: %+v, %v", r, err)
	}
}

func TestReadReplyEnhancedClassMustMatch(t *testing.T) {
	c, peer := pair(t, 0)
	write(t, peer, "250 5.0.0 odd\r\n")
	r, err := c.ReadReply(ctxFor(t, 5*time.Second), nil)
	if err != nil || r.Enhanced != "" || r.Text != "5.0.0 odd" {
		t.Errorf("%+v, %v", r, err)
	}
}

func TestReadReplyBad(t *testing.T) {
	for _, tc := range []struct{ send, msg string }{
		{"hello\r\n", `"hello\r\n" is not a reply line`},
		{"25 short\r\n", "is not a reply line"},
		{"250x\r\n", "is not a reply line"},
		{"250-a\r\n251 b\r\n", "line 2 of a 250 reply has code 251"},
	} {
		c, peer := pair(t, 0)
		write(t, peer, tc.send)
		_, err := c.ReadReply(ctxFor(t, 5*time.Second), nil)
		mismatch(t, err, tc.msg, tc.send)
	}
}

func TestReadReplyTooManyLines(t *testing.T) {
	c, peer := pair(t, 0)
	go func() {
		for {
			if _, err := io.WriteString(peer, "250-again\r\n"); err != nil {
				return
			}
		}
	}()
	_, err := c.ReadReply(ctxFor(t, 5*time.Second), nil)
	var m *engine.Mismatch
	if !errors.As(err, &m) || !strings.Contains(m.Msg, "past 1000 lines") {
		t.Fatalf("error %v", err)
	}
	peer.Close()
}

func TestReadReplyServerClosesMidReply(t *testing.T) {
	c, peer := pair(t, 0)
	write(t, peer, "250-first\r\n")
	peer.Close()
	_, err := c.ReadReply(ctxFor(t, 5*time.Second), nil)
	mismatch(t, err, "the peer closed the connection while we waited for line 2 of a 250 reply (nothing received)", "")
}

func TestReadDotBlock(t *testing.T) {
	c, peer := pair(t, 0)
	write(t, peer, "Subject: x\r\n\r\n..leading dot\r\n.also\nlf line\n.\r\nnext\r\n")
	ctx := ctxFor(t, 5*time.Second)
	b, err := c.readDotBlock(ctx, nil, 0)
	want := "Subject: x\r\n\r\n.leading dot\r\nalso\nlf line\n"
	if err != nil || string(b) != want {
		t.Fatalf("block %q, %v; want %q", b, err, want)
	}
	if l, err := c.ReadLine(ctx, nil); err != nil || l != "next" {
		t.Errorf("after the block: %q, %v", l, err)
	}
}

func TestReadDotBlockCap(t *testing.T) {
	c, peer := pair(t, 0)
	write(t, peer, strings.Repeat("0123456789\r\n", 20)+".\r\n")
	_, err := c.readDotBlock(ctxFor(t, 5*time.Second), nil, 100)
	if err == nil || !strings.Contains(err.Error(), "larger than 100 bytes") {
		t.Fatalf("error %v, want the cap named", err)
	}
	if c.Err() == nil {
		t.Error("connection still usable after an unread block")
	}
}

func TestDotStuff(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "",
		"a":                    "a\r\n",
		"a\r\n":                "a\r\n",
		".\r\n":                "..\r\n",
		"x\n.hidden\n..two\nz": "x\r\n..hidden\r\n...two\r\nz\r\n",
		"cr\rinside\r\n":       "cr\rinside\r\n",
		"\n\n":                 "\r\n\r\n",
	} {
		if got := string(dotStuff([]byte(in))); got != want {
			t.Errorf("dotStuff(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseCode(t *testing.T) {
	for _, tc := range []struct {
		pat   string
		match []int
		not   []int
	}{
		{"250", []int{250}, []int{251, 25, 2500}},
		{"2xx", []int{200, 250, 299}, []int{300, 199}},
		{"25X", []int{250, 259}, []int{260, 249}},
		{" 354 ", []int{354}, []int{355}},
	} {
		p, err := ParseCode(tc.pat)
		if err != nil {
			t.Fatalf("ParseCode(%q): %v", tc.pat, err)
		}
		for _, c := range tc.match {
			if !p.Match(c) {
				t.Errorf("%s does not match %d", p, c)
			}
		}
		for _, c := range tc.not {
			if p.Match(c) {
				t.Errorf("%s matches %d", p, c)
			}
		}
	}
	for _, bad := range []string{"", "25", "2500", "x50", "2x0", "abc", "2yy"} {
		if _, err := ParseCode(bad); err == nil {
			t.Errorf("ParseCode(%q) accepted", bad)
		}
	}
	if !(CodePattern{}).Match(421) {
		t.Error("the zero pattern does not match")
	}
}

func TestUpgradeInjectionGuard(t *testing.T) {
	c, peer := pair(t, 0)
	write(t, peer, "220 go ahead\r\n250 injected\r\n")
	ctx := ctxFor(t, 5*time.Second)
	if _, err := c.ReadReply(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// Wait until the injected line is buffered.
	for deadline := time.Now().Add(2 * time.Second); c.buffered() == 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	other, peer2 := pair(t, 0)
	err := c.Upgrade(other.NetConn())
	mismatch(t, err, "in plain text after its reply to the TLS upgrade", "250 injected\r\n")
	if _, err := c.ReadLine(ctx, nil); err == nil {
		t.Error("read after a refused upgrade worked")
	}
	_ = peer2
}

func TestUpgradeClean(t *testing.T) {
	c, peer := pair(t, 0)
	write(t, peer, "220 go ahead\r\n")
	ctx := ctxFor(t, 5*time.Second)
	if _, err := c.ReadReply(ctx, nil); err != nil {
		t.Fatal(err)
	}
	other, peer2 := pair(t, 0)
	if err := c.Upgrade(other.NetConn()); err != nil {
		t.Fatal(err)
	}
	write(t, peer2, "250 over the new conn\r\n")
	if r, err := c.ReadReply(ctx, nil); err != nil || r.Code != 250 {
		t.Fatalf("%+v, %v", r, err)
	}
	if c.NetConn() != other.NetConn() {
		t.Error("NetConn is not the new connection")
	}
}

func TestWriteLine(t *testing.T) {
	c, peer := pair(t, 0)
	ctx := ctxFor(t, 5*time.Second)
	if err := c.WriteLine(ctx, nil, "RCPT TO:<a>\r\nDATA"); err == nil {
		t.Error("a line with CRLF inside was sent")
	}
	if err := c.WriteLine(ctx, nil, "EHLO x"); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 8)
	if _, err := io.ReadFull(peer, got); err != nil || string(got) != "EHLO x\r\n" {
		t.Errorf("peer got %q, %v", got, err)
	}
}

// TestReadReplyTimeoutMidReplyStopsTheConn checks that a reply cut by the
// deadline leaves the connection unusable: its rest must not be taken for
// the next reply.
func TestReadReplyTimeoutMidReplyStopsTheConn(t *testing.T) {
	c, peer := pair(t, 0)
	write(t, peer, "250-first\r\n")
	if _, err := c.ReadReply(ctxFor(t, 100*time.Millisecond), nil); err == nil {
		t.Fatal("half a reply was read as a whole one")
	}
	write(t, peer, "250 second\r\n")
	r, err := c.ReadReply(ctxFor(t, 5*time.Second), nil)
	if err == nil || c.Err() == nil {
		t.Fatalf("after a cut reply, read %+v with no error", r)
	}
	if !strings.Contains(err.Error(), "out of step") {
		t.Errorf("error %q does not say the connection is out of step", err)
	}
}

// TestCommandName checks that a password written in a command shows as
// *** in the step's name, which is known before the step runs.
func TestCommandName(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"PASS hunter2", `"PASS ***"`},
		{"pass hunter2", `"pass ***"`},
		{"AUTHINFO PASS hunter2", `"AUTHINFO PASS ***"`},
		{"PASS {{ password }}", `"PASS ***"`},
		{"USER alice", `"USER alice"`},
		{"PASS", `"PASS"`},
		{"LOGIN alice secret", `"LOGIN alice ***"`},
		{`login "al ice" "se\"cret"`, `"login \"al ice\" ***"`},
		{"LOGIN {{ user }} {{ password }}", `"LOGIN {{ user }} ***"`},
		{"LOGIN alice", `"LOGIN alice"`},
		{"SELECT INBOX", `"SELECT INBOX"`},
	} {
		if got := CommandName(tc.src); got != tc.want {
			t.Errorf("CommandName(%q) = %s, want %s", tc.src, got, tc.want)
		}
	}
}

// TestRegisterLoginPassword checks that the password of an IMAP LOGIN
// written in a command is registered as written and, quoted, as meant.
func TestRegisterLoginPassword(t *testing.T) {
	for _, tc := range []struct{ line, raw, value string }{
		{"LOGIN alice s3cret", "s3cret", "s3cret"},
		{`LOGIN "al ice" "se\"cr\\et"`, `"se\"cr\\et"`, `se"cr\et`},
		{"PASS hunter2", "hunter2", "hunter2"},
	} {
		if got := passwordIn(tc.line); got != tc.raw {
			t.Errorf("passwordIn(%q) = %q, want %q", tc.line, got, tc.raw)
		}
		if v, ok := unquoteIMAP(tc.raw); ok && v != tc.value || !ok && tc.raw != tc.value {
			t.Errorf("unquoteIMAP(%q) = %q, %v, want %q", tc.raw, v, ok, tc.value)
		}
	}
}

func TestCRLFLines(t *testing.T) {
	for in, want := range map[string]string{
		"NOOP": "NOOP\r\n", "": "\r\n", "a\nb": "a\r\nb\r\n", "a\r\nb\r\n": "a\r\nb\r\n",
		"Subject: x\n\nbody\n.": "Subject: x\r\n\r\nbody\r\n.\r\n", "a\n\n": "a\r\n\r\n",
		"a\r": "a\r\n", "a\n\r": "a\r\n\r\n",
	} {
		if got := crlfLines(in); got != want {
			t.Errorf("crlfLines(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWireLen: Send and WriteBatch count what Write sends without
// building it, and WriteBatch appends it straight into one buffer.
func TestWireLen(t *testing.T) {
	for _, in := range []string{"NOOP", "", "a\nb", "a\r\nb\r\n", "a\r\nb\nc", "a\n\n", "a\r", "a\n\r", "\r\r\n", "a\rb", "\n"} {
		for _, text := range []bool{false, true} {
			req := Request{Line: in, Text: text}
			want := in + "\r\n"
			if text {
				want = crlfLines(in)
			}
			if got := string(appendWire([]byte("x"), req)); got != "x"+want {
				t.Errorf("appendWire(%q, text %v) = %q, want %q", in, text, got, "x"+want)
			}
			if n := wireLen(req); n != len(want) {
				t.Errorf("wireLen(%q, text %v) = %d, want %d", in, text, n, len(want))
			}
		}
	}
}
