package linesrv

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/internal/certs"
)

// toy is a session of a small protocol built on Table and Conn, for the
// tests: every reply is one line.
type toy struct {
	c      *Conn
	tls    *tls.Config
	block  Block
	authed bool
}

const (
	stateOut State = 1 << iota
	stateIn
)

func (ss *toy) say(format string, args ...any) error { return ss.c.W.PrintfLine(format, args...) }

func (ss *toy) ok(format string, args ...any) error {
	ss.c.Succeeded()
	return ss.say(format, args...)
}

func (ss *toy) fail(format string, args ...any) error {
	if err := ss.say(format, args...); err != nil {
		return err
	}
	return ss.c.Failed()
}

// toyTable returns the toy protocol's table; tooLong is its TooLong.
func toyTable(tooLong func(*toy, string) (string, error)) *Table[*toy] {
	return &Table[*toy]{
		Commands: map[string]Command[*toy]{
			"ECHO":   {Run: func(ss *toy, _, arg string) error { return ss.ok("ok %s", arg) }},
			"LOGIN":  {In: stateOut, Run: func(ss *toy, _, _ string) error { ss.authed = true; return ss.ok("ok in") }},
			"SECRET": {In: stateIn, Run: func(ss *toy, _, _ string) error { return ss.ok("ok secret") }},
			"TLS": {Run: func(ss *toy, _, _ string) error {
				if err := ss.ok("ok go ahead"); err != nil {
					return err
				}
				return ss.c.StartTLS(ss.tls)
			}},
			"BLOCK": {Run: (*toy).readBlock},
			"QUIT": {Run: func(ss *toy, _, _ string) error {
				_ = ss.say("ok bye")
				return ErrQuit
			}},
		},
		State: func(ss *toy) State {
			if ss.authed {
				return stateIn
			}
			return stateOut
		},
		WrongState: func(ss *toy, verb, _ string) error { return ss.fail("no %s now", verb) },
		Unknown:    func(ss *toy, verb, _ string) error { return ss.fail("no such command %q", verb) },
		TooLong:    tooLong,
	}
}

// readBlock answers BLOCK: "more", the block, and its length and text, or
// the error (after which the session ends, unless the block was drained).
func (ss *toy) readBlock(_, _ string) error {
	if err := ss.say("more"); err != nil {
		return err
	}
	b, err := ss.c.ReadBlock(ss.block)
	switch {
	case errors.Is(err, ErrBlockTooLarge) && ss.block.Drain:
		return ss.fail("too large")
	case errors.Is(err, ErrBlockTooLarge), errors.Is(err, ErrLineTooLong):
		_ = ss.say("error %v", err)
		return ErrQuit
	case err != nil:
		return err
	}
	return ss.ok("block %d %q", len(b), b)
}

// serve listens on loopback, connects, sends send, then serves one toy
// session with o and tooLong, and returns the client's connection. What
// the client sent waits in the server's socket before the session starts,
// so that no idle deadline can pass before it arrives. The session ends
// before the test.
func serve(t *testing.T, o Options, b Block, cfg *tls.Config, tooLong func(*toy, string) (string, error), send string) net.Conn {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	// A bound against a hung test, not a timing assertion.
	_ = client.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(client, send); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { _ = client.Close(); <-done })
	go func() {
		defer close(done)
		c, err := ln.Accept()
		_ = ln.Close()
		if err != nil {
			return
		}
		ss := &toy{c: NewConn(c, o), tls: cfg, block: b}
		defer end(ss.c)
		if ss.say("hello") == nil {
			toyTable(tooLong).Serve(ss.c, ss)
		}
	}()
	return client
}

// end closes a session's connection. A plain one is half-closed and what
// the client sent is read to its end first, so that the close sends no
// RST, which could drop replies the client has not read yet.
func end(c *Conn) {
	if tc, ok := c.Net().(*net.TCPConn); ok {
		_ = tc.CloseWrite()
		_ = tc.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, _ = io.Copy(io.Discard, tc)
	}
	_ = c.Close()
}

// skipAndRun is a TooLong that drops the rest of the line and runs its
// first MaxLine bytes, as smtpd does.
func skipAndRun(ss *toy, line string) (string, error) { return line, ss.c.SkipLine() }

// refuse is a TooLong that answers and ends the session, as pop3d does.
func refuse(ss *toy, _ string) (string, error) {
	_ = ss.say("line too long")
	return "", ErrQuit
}

func TestSession(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name    string
		opts    Options
		block   Block
		tooLong func(*toy, string) (string, error)
		send    string
		want    []string // the replies after the greeting, then the end
	}{
		{name: "commands, any case", opts: Options{MaxLine: 64}, send: "ECHO a b\r\necho c\nQUIT\r\n",
			want: []string{"ok a b", "ok c", "ok bye"}},
		{name: "unknown and out of state", opts: Options{MaxLine: 64}, send: "NOPE\r\nSECRET\r\nLOGIN\r\nLOGIN\r\nSECRET\r\n",
			want: []string{`no such command "NOPE"`, "no SECRET now", "ok in", "no LOGIN now", "ok secret"}},
		{name: "error limit ends the session", opts: Options{MaxLine: 64, MaxErrors: 3}, send: "A\r\nB\r\nC\r\nD\r\n",
			want: []string{`no such command "A"`, `no such command "B"`, `no such command "C"`}},
		{name: "a success starts the count again", opts: Options{MaxLine: 64, MaxErrors: 2},
			send: "A\r\nECHO\r\nB\r\nC\r\nD\r\n", want: []string{`no such command "A"`, "ok ", `no such command "B"`, `no such command "C"`}},
		{name: "line over the cap ends the session", opts: Options{MaxLine: 64}, send: "ECHO " + long + "\r\nECHO 2\r\n"},
		{name: "line over the cap answered", opts: Options{MaxLine: 64}, tooLong: refuse, send: "ECHO " + long + "\r\nECHO 2\r\n",
			want: []string{"line too long"}},
		{name: "line over the cap cut and run", opts: Options{MaxLine: 64}, tooLong: skipAndRun, send: "ECHO " + long + "\r\nECHO 2\r\n",
			want: []string{"ok " + long[:64-len("ECHO ")], "ok 2"}},
		{name: "line at the cap", opts: Options{MaxLine: 64}, send: "ECHO " + long[:64-len("ECHO \r\n")] + "\r\n",
			want: []string{"ok " + long[:64-len("ECHO \r\n")]}},
		{name: "block: dot-stuffing and line ends kept", opts: Options{MaxLine: 64}, block: Block{Max: 100},
			send: "BLOCK\r\na\r\n..b\n.\r\nECHO 1\r\n", want: []string{"more", `block 6 "a\r\n.b\n"`, "ok 1"}},
		{name: "block: bare LF dot", opts: Options{MaxLine: 64}, block: Block{Max: 100},
			send: "BLOCK\r\na\n.\nECHO 1\r\n", want: []string{"more", `block 2 "a\n"`, "ok 1"}},
		{name: "block at the cap", opts: Options{MaxLine: 64}, block: Block{Max: 6},
			send: "BLOCK\r\nabcd\r\n.\r\n", want: []string{"more", `block 6 "abcd\r\n"`}},
		{name: "block over the cap stops at once", opts: Options{MaxLine: 64}, block: Block{Max: 5},
			send: "BLOCK\r\nabcd\r\nECHO in the block\r\n.\r\n", want: []string{"more", "error block too large"}},
		{name: "block over the cap drained", opts: Options{MaxLine: 64}, block: Block{Max: 5, Drain: true},
			send: "BLOCK\r\nabcd\r\nECHO in the block\r\n.\r\nECHO after\r\n", want: []string{"more", "too large", "ok after"}},
		{name: "block line over the cap", opts: Options{MaxLine: 64}, block: Block{Max: 1000},
			send: "BLOCK\r\n" + long + "\r\n.\r\n", want: []string{"more", "error line too long"}},
		{name: "block line over the cap in pieces", opts: Options{MaxLine: 64}, block: Block{Max: 1000, LongLines: true},
			send: "BLOCK\r\n" + long + "\r\n.\r\n", want: []string{"more", fmt.Sprintf("block 102 %q", long+"\r\n")}},
		{name: "a dot inside a long line ends nothing", opts: Options{MaxLine: 64}, block: Block{Max: 1000, LongLines: true},
			send: "BLOCK\r\n" + long[:62] + ".\r\n.\r\n", want: []string{"more", fmt.Sprintf("block 65 %q", long[:62]+".\r\n")}},
		{name: "end of the connection inside a block", opts: Options{MaxLine: 64}, block: Block{Max: 100},
			send: "BLOCK\r\nabc\r\n", want: []string{"more"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := serve(t, tt.opts, tt.block, nil, tt.tooLong, tt.send)
			_ = c.(*net.TCPConn).CloseWrite()
			r := bufio.NewReader(c)
			got := readAll(t, r)
			want := append([]string{"hello"}, tt.want...)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("replies:\n%q\nwant:\n%q", got, want)
			}
		})
	}
}

// readAll reads reply lines until the server closes the connection, which
// must happen before the client's deadline.
func readAll(t *testing.T, r *bufio.Reader) []string {
	t.Helper()
	var got []string
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF {
			if line != "" {
				got = append(got, line)
			}
			return got
		}
		if err != nil {
			t.Fatalf("after %q: %v (the session did not end)", got, err)
		}
		got = append(got, strings.TrimSuffix(line, "\r\n"))
	}
}

// TestStartTLS checks the swap: what the client sent in plain text after
// the command, before the handshake, is dropped, not run as if sent in
// TLS; the session goes on in TLS.
func TestStartTLS(t *testing.T) {
	ca, err := certs.NewCA("linesrv test")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.Sign(certs.Leaf{Hosts: []string{"127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	// One write, before the session starts: the injected command is read
	// with TLS.
	c := serve(t, Options{MaxLine: 64}, Block{}, cfg, nil, "TLS\r\nLOGIN\r\n")
	r := bufio.NewReader(c)
	for _, want := range []string{"hello", "ok go ahead"} {
		if got := readLine(t, r); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	if r.Buffered() > 0 {
		t.Fatalf("%d bytes after the reply to TLS in plain text", r.Buffered())
	}
	tc := tls.Client(c, &tls.Config{RootCAs: ca.Pool(), ServerName: "127.0.0.1"})
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(tc, "SECRET\r\nECHO in tls\r\nQUIT\r\n"); err != nil {
		t.Fatal(err)
	}
	tr := bufio.NewReader(tc)
	// SECRET is refused: the injected LOGIN was dropped.
	for _, want := range []string{"no SECRET now", "ok in tls", "ok bye"} {
		if got := readLine(t, tr); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}

// TestStartTLSFailedHandshake checks that a handshake that fails ends the
// session.
func TestStartTLSFailedHandshake(t *testing.T) {
	ca, err := certs.NewCA("linesrv test")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.Sign(certs.Leaf{Hosts: []string{"127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	c := serve(t, Options{MaxLine: 64}, Block{}, &tls.Config{Certificates: []tls.Certificate{cert}}, nil, "TLS\r\nnot a TLS record\r\n")
	_ = c.(*net.TCPConn).CloseWrite()
	got := readAll(t, bufio.NewReader(c))
	// The server's alert may follow the reply; the session then ends.
	if len(got) < 2 || got[0] != "hello" || got[1] != "ok go ahead" {
		t.Fatalf("replies %q", got)
	}
}

func readLine(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return strings.TrimSuffix(line, "\r\n")
}
