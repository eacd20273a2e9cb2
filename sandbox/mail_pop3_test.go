package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// deliver sends msg to alice@example.test over smtp.
func deliver(t *testing.T, s *Sandbox, msgs ...string) {
	t.Helper()
	tk := dialMail(t, s, "smtp")
	smtpHello(tk)
	for _, m := range msgs {
		smtpSend(tk, "carol@example.test", []string{"alice@example.test"}, m)
	}
	tk.smtpCmd("QUIT", 221)
}

// pop3Login reads the greeting and logs alice in.
func pop3Login(tk *talk) {
	tk.t.Helper()
	tk.expect("+OK ")
	tk.send("USER alice")
	tk.expect("+OK")
	tk.send("PASS secret")
	tk.expect("+OK")
}

func TestPOP3Session(t *testing.T) {
	s := newSandbox(t, Options{})
	deliver(t, s, testMail("one"), testMail("two"), testMail("three"))
	sizes := map[int]int{}
	for i, m := range inbox(t, s, "alice") {
		sizes[i+1] = len(m.Raw)
	}

	tk := dialMail(t, s, "pop3")
	tk.expect("+OK ")
	tk.send("CAPA")
	tk.expect("+OK")
	caps := tk.multi()
	for _, want := range []string{"USER", "TOP", "UIDL", "STLS"} {
		if !slices.Contains(caps, want) {
			t.Errorf("CAPA %q lacks %s", caps, want)
		}
	}
	tk.send("STAT")
	tk.expect("-ERR")
	tk.send("USER alice")
	tk.expect("+OK")
	tk.send("PASS wrong")
	tk.expect("-ERR [AUTH]")
	tk.send("PASS secret")
	tk.expect("-ERR") // USER is asked again after a failure
	tk.send("USER alice")
	tk.expect("+OK")
	tk.send("PASS secret")
	tk.expect(fmt.Sprintf("+OK maildrop has 3 messages (%d octets)", sizes[1]+sizes[2]+sizes[3]))

	tk.send("LIST")
	tk.expect("+OK 3 messages")
	if got, want := tk.multi(), []string{fmt.Sprintf("1 %d", sizes[1]), fmt.Sprintf("2 %d", sizes[2]), fmt.Sprintf("3 %d", sizes[3])}; !slices.Equal(got, want) {
		t.Errorf("LIST %q, want %q", got, want)
	}
	tk.send("UIDL 2")
	uidl := tk.expect("+OK 2 ")
	tk.send("UIDL")
	tk.expect("+OK")
	if ids := tk.multi(); len(ids) != 3 || ids[1] != strings.TrimPrefix(uidl, "+OK ") {
		t.Errorf("UIDL %q, UIDL 2 %q", ids, uidl)
	}
	tk.send("RETR 2")
	tk.expect(fmt.Sprintf("+OK %d octets", sizes[2]))
	body := strings.Join(tk.multi(), "\r\n") + "\r\n"
	if body != string(inbox(t, s, "alice")[1].Raw) {
		t.Errorf("RETR 2 gave, unstuffed:\n%q\nwant\n%q", body, inbox(t, s, "alice")[1].Raw)
	}
	tk.send("TOP 1 1")
	tk.expect("+OK")
	top := tk.multi()
	if n := len(top); n < 3 || top[n-2] != "" || top[n-1] != "first line one" {
		t.Errorf("TOP 1 1 ends %q, want a blank line and the first body line", top)
	}
	tk.send("RETR 9")
	tk.expect("-ERR no such message")

	tk.send("DELE 1")
	tk.expect("+OK")
	tk.send("RETR 1")
	tk.expect("-ERR")
	tk.send("RSET")
	tk.expect("+OK maildrop has 3 messages")
	tk.send("DELE 1")
	tk.expect("+OK")
	tk.send("DELE 3")
	tk.expect("+OK")
	tk.send("STAT")
	tk.expect(fmt.Sprintf("+OK 1 %d", sizes[2]))
	tk.send("NOOP")
	tk.expect("+OK")
	if n := len(inbox(t, s, "alice")); n != 3 {
		t.Fatalf("%d messages before QUIT, want 3: DELE waits for QUIT", n)
	}
	tk.send("QUIT")
	tk.expect("+OK")
	tk.closed()
	left := inbox(t, s, "alice")
	if len(left) != 1 || !strings.Contains(string(left[0].Raw), "Subject: hello two") {
		t.Fatalf("after QUIT: %d messages, want only the second", len(left))
	}
}

func TestPOP3DeleWithoutQuit(t *testing.T) {
	s := newSandbox(t, Options{})
	deliver(t, s, testMail("kept"))
	tk := dialMail(t, s, "pop3s")
	pop3Login(tk)
	tk.send("DELE 1")
	tk.expect("+OK")
	tk.c.Close() // no QUIT: nothing is deleted
	tk = dialMail(t, s, "pop3s")
	pop3Login(tk)
	tk.send("STAT")
	tk.expect("+OK 1 ")
}

func TestPOP3STLS(t *testing.T) {
	s := newSandbox(t, Options{})
	deliver(t, s, testMail("tls"))
	tk := dialMail(t, s, "pop3")
	tk.expect("+OK")
	tk.send("STLS")
	tk.expect("+OK")
	tk.startTLS(s)
	tk.send("CAPA")
	tk.expect("+OK")
	if caps := tk.multi(); slices.Contains(caps, "STLS") {
		t.Errorf("STLS offered again in TLS: %q", caps)
	}
	tk.send("STLS")
	tk.expect("-ERR")
	tk.send("USER alice")
	tk.expect("+OK")
	tk.send("PASS secret")
	tk.expect("+OK maildrop has 1 messages")
}

func TestPOP3LineTooLong(t *testing.T) {
	s := newSandbox(t, Options{})
	tk := dialMail(t, s, "pop3")
	tk.expect("+OK")
	tk.send("USER " + strings.Repeat("a", 4000))
	tk.expect("-ERR line too long")
	tk.closed()
}

func TestPOP3TooManyErrors(t *testing.T) {
	s := newSandbox(t, Options{})
	tk := dialMail(t, s, "pop3")
	tk.expect("+OK")
	for range 10 {
		tk.send("BOGUS")
		tk.expect("-ERR")
	}
	tk.closed()
}

func TestPOP3IdleTimeout(t *testing.T) {
	s := newSandbox(t, Options{})
	s.idle = 50 * time.Millisecond
	tk := dialMail(t, s, "pop3")
	tk.expect("+OK")
	tk.closed() // the server gives up on a silent client
}
