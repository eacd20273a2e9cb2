package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// mailFrom returns a test mail from a given sender.
func mailFrom(from, token string) string {
	return strings.Replace(testMail(token), "carol@example.test", from, 1)
}

// imapLogin reads the greeting and logs alice in.
func imapLogin(tk *talk) {
	tk.t.Helper()
	tk.expect("* OK ")
	tk.imapOK("LOGIN alice secret")
}

// contains reports whether any of lines contains s.
func contains(lines []string, s string) bool {
	return slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, s) })
}

// search runs a SEARCH and returns the "* SEARCH" line.
func search(tk *talk, cmd string) string {
	tk.t.Helper()
	for _, l := range tk.imapOK(cmd) {
		if strings.HasPrefix(l, "* SEARCH") {
			return l
		}
	}
	tk.t.Fatalf("%s: no SEARCH response", cmd)
	return ""
}

func TestIMAPSession(t *testing.T) {
	s := newSandbox(t, Options{})
	deliver(t, s, mailFrom("carol@example.test", "alpha"), mailFrom("dave@example.test", "beta"))

	tk := dialMail(t, s, "imap")
	greeting := tk.expect("* OK ")
	for _, want := range []string{"IMAP4rev1", "STARTTLS", "AUTH=PLAIN"} {
		if !strings.Contains(greeting, want) {
			t.Errorf("greeting %q lacks %s", greeting, want)
		}
	}
	if _, status := tk.imap("LOGIN alice wrong"); !strings.HasPrefix(status, "NO [AUTHENTICATIONFAILED]") {
		t.Fatalf("bad password: %s", status)
	}
	tk.imapOK("LOGIN alice secret")
	sel := tk.imapOK("SELECT INBOX")
	if !contains(sel, "* 2 EXISTS") || !contains(sel, "UIDVALIDITY ") {
		t.Fatalf("SELECT: %q", sel)
	}

	for _, tt := range []struct{ cmd, want string }{
		{"UID SEARCH SUBJECT alpha", "* SEARCH 1"},
		{"SEARCH FROM dave", "* SEARCH 2"},
		{"SEARCH TO alice@example.test", "* SEARCH 1 2"},
		{"SEARCH HEADER X-Netrun-Token beta", "* SEARCH 2"},
		{`SEARCH TEXT "first line alpha"`, "* SEARCH 1"},
		{"SEARCH SINCE 1-Jan-2020 UNSEEN", "* SEARCH 1 2"},
		{"SEARCH SUBJECT nothing-like-this", "* SEARCH"},
	} {
		if got := search(tk, tt.cmd); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.cmd, got, tt.want)
		}
	}

	raw := string(inbox(t, s, "alice")[0].Raw)
	fetch := tk.imapOK("UID FETCH 1 (BODY.PEEK[])")
	if len(fetch) != 1 || !strings.Contains(fetch[0], raw) {
		t.Fatalf("BODY.PEEK[]: %q, want the message", fetch)
	}
	if got := search(tk, "SEARCH UNSEEN"); got != "* SEARCH 1 2" {
		t.Fatalf("BODY.PEEK[] set \\Seen: UNSEEN is %q", got)
	}
	if fetch := tk.imapOK("FETCH 1 (BODY[HEADER.FIELDS (SUBJECT)])"); !contains(fetch, "Subject: hello alpha") || !contains(fetch, `\Seen`) {
		t.Fatalf("BODY[...] without PEEK: %q, want the subject and \\Seen", fetch)
	}
	if got := search(tk, "SEARCH UNSEEN"); got != "* SEARCH 2" {
		t.Fatalf("after BODY[]: UNSEEN is %q", got)
	}

	tk.imapOK("CREATE Archive")
	if _, status := tk.imap("CREATE Archive"); !strings.HasPrefix(status, "NO") {
		t.Errorf("CREATE twice: %s", status)
	}
	move := tk.imapOK("UID MOVE 2 Archive")
	if !contains(move, "COPYUID ") || !contains(move, "* 2 EXPUNGE") {
		t.Fatalf("MOVE: %q", move)
	}
	msg := "Subject: appended\r\n\r\nhi\r\n"
	tk.tag++
	tk.send(fmt.Sprintf("t%d APPEND Archive (\\Flagged) {%d}", tk.tag, len(msg)))
	tk.expect("+")
	tk.send(msg)
	tk.expect(fmt.Sprintf("t%d OK [APPENDUID ", tk.tag))
	if st := tk.imapOK("STATUS Archive (MESSAGES UIDNEXT)"); !contains(st, "MESSAGES 2") || !contains(st, "UIDNEXT 3") {
		t.Fatalf("STATUS Archive: %q", st)
	}
	if _, status := tk.imap("SELECT Nowhere"); !strings.HasPrefix(status, "NO") {
		t.Errorf("SELECT of a missing mailbox: %s", status)
	}
	list := tk.imapOK(`LIST "" "*"`)
	if !contains(list, `"/" "Archive"`) || !contains(list, `"/" INBOX`) {
		t.Errorf("LIST: %q", list)
	}

	tk.imapOK("SELECT INBOX")
	store := tk.imapOK(`STORE 1 +FLAGS (\Deleted)`)
	if !contains(store, `\Deleted`) {
		t.Errorf("STORE: %q", store)
	}
	if exp := tk.imapOK("EXPUNGE"); !contains(exp, "* 1 EXPUNGE") {
		t.Fatalf("EXPUNGE: %q", exp)
	}
	if n := len(inbox(t, s, "alice")); n != 0 {
		t.Fatalf("INBOX holds %d messages after MOVE and EXPUNGE", n)
	}
	// POP3 sees the INBOX as IMAP left it.
	p := dialMail(t, s, "pop3")
	pop3Login(p)
	p.send("STAT")
	p.expect("+OK 0 0")
	tk.imapOK("LOGOUT")
}

func TestPOP3DeleteReachesIMAP(t *testing.T) {
	s := newSandbox(t, Options{})
	deliver(t, s, testMail("one"), testMail("two"))
	im := dialMail(t, s, "imaps")
	imapLogin(im)
	im.imapOK("SELECT INBOX")

	p := dialMail(t, s, "pop3s")
	pop3Login(p)
	p.send("DELE 1")
	p.expect("+OK")
	if got := search(im, "SEARCH SUBJECT one"); got != "* SEARCH 1" {
		t.Fatalf("before QUIT: %q", got)
	}
	p.send("QUIT")
	p.expect("+OK")
	p.closed()

	// The selected IMAP session learns of the expunge at its next command.
	if noop := im.imapOK("NOOP"); !contains(noop, "* 1 EXPUNGE") {
		t.Fatalf("NOOP after POP3 QUIT: %q, want * 1 EXPUNGE", noop)
	}
	if got := search(im, "SEARCH SUBJECT one"); got != "* SEARCH" {
		t.Fatalf("after QUIT: %q", got)
	}
	if got := search(im, "UID SEARCH ALL"); got != "* SEARCH 2" {
		t.Fatalf("after QUIT: %q", got)
	}
	// New mail reaches the selected session too.
	deliver(t, s, testMail("three"))
	if noop := im.imapOK("NOOP"); !contains(noop, "* 2 EXISTS") {
		t.Fatalf("NOOP after delivery: %q", noop)
	}
}

func TestIMAPStartTLSAndAuthenticate(t *testing.T) {
	tests := []struct {
		name     string
		service  string
		starttls bool
		user     string
		wantOK   bool
	}{
		{"plain connection", "imap", false, "\x00alice\x00secret", true},
		{"starttls", "imap", true, "\x00alice\x00secret", true},
		{"starttls bad password", "imap", true, "\x00alice\x00bad", false},
		{"imaps", "imaps", false, "\x00bob\x00secret", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSandbox(t, Options{})
			tk := dialMail(t, s, tt.service)
			tk.expect("* OK ")
			if tt.starttls {
				tk.imapOK("STARTTLS")
				tk.startTLS(s)
				if caps := tk.imapOK("CAPABILITY"); contains(caps, "STARTTLS") || !contains(caps, "AUTH=PLAIN") {
					t.Errorf("CAPABILITY in TLS: %q", caps)
				}
			}
			_, status := tk.imap("AUTHENTICATE PLAIN " + b64(tt.user))
			if ok := strings.HasPrefix(status, "OK"); ok != tt.wantOK {
				t.Fatalf("AUTHENTICATE: %s", status)
			}
			if tt.wantOK {
				tk.imapOK("SELECT INBOX")
			}
		})
	}
}

func TestIMAPLineTooLong(t *testing.T) {
	// go-imap's imapserver bounds a command to 50 KiB: it answers NO and
	// hangs up rather than buffering more.
	s := newSandbox(t, Options{})
	tk := dialMail(t, s, "imap")
	tk.expect("* OK")
	tk.send("a1 LOGIN alice " + strings.Repeat("x", 100000))
	tk.expect("a1 NO ")
	tk.closed()
}
