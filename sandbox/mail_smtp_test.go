package sandbox

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/sandbox/internal/mailstore"
)

// b64 is base64 of s, as SASL sends it.
func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// testMail returns a message whose subject and X-Netrun-Token carry token,
// with a body line that starts with a dot.
func testMail(token string) string {
	return "From: Carol <carol@example.test>\r\n" +
		"To: alice@example.test\r\n" +
		"Subject: hello " + token + "\r\n" +
		"X-Netrun-Token: " + token + "\r\n" +
		"\r\n" +
		"first line " + token + "\r\n" +
		".hidden line\r\n" +
		"last line\r\n"
}

// smtpHello reads the greeting and says EHLO; it returns the extensions.
func smtpHello(tk *talk) []string {
	tk.t.Helper()
	if code, lines := tk.smtp(); code != 220 {
		tk.t.Fatalf("greeting %d %q", code, lines)
	}
	return tk.smtpCmd("EHLO client.example.test", 250)[1:]
}

// smtpSend runs one mail transaction: msg is dot-stuffed on the way.
func smtpSend(tk *talk, from string, to []string, msg string) {
	tk.t.Helper()
	tk.smtpCmd("MAIL FROM:<"+from+">", 250)
	for _, rcpt := range to {
		tk.smtpCmd("RCPT TO:<"+rcpt+">", 250)
	}
	tk.smtpCmd("DATA", 354)
	for _, l := range strings.Split(strings.TrimSuffix(msg, "\r\n"), "\r\n") {
		if strings.HasPrefix(l, ".") {
			l = "." + l
		}
		tk.send(l)
	}
	tk.smtpCmd(".", 250)
}

// inbox returns the messages in the INBOX of user.
func inbox(t *testing.T, s *Sandbox, user string) []mailstore.Message {
	t.Helper()
	box, err := s.mail.User(user).Mailbox(mailstore.Inbox)
	if err != nil {
		t.Fatal(err)
	}
	return box.Messages()
}

func TestSMTPDelivery(t *testing.T) {
	s := newSandbox(t, Options{})
	tk := dialMail(t, s, "smtp")
	ext := smtpHello(tk)
	for _, want := range []string{"STARTTLS", "AUTH PLAIN LOGIN", "SIZE 26214400", "8BITMIME"} {
		if !slices.Contains(ext, want) {
			t.Errorf("EHLO extensions %q lack %q", ext, want)
		}
	}
	// Any @example.test or @localhost address is local; a user gets one
	// copy however often named.
	smtpSend(tk, "carol@example.test", []string{"alice@example.test", "bob@LOCALHOST", "ALICE@localhost"}, testMail("tok1"))
	tk.smtpCmd("QUIT", 221)

	for _, user := range []string{"alice", "bob"} {
		msgs := inbox(t, s, user)
		if len(msgs) != 1 {
			t.Fatalf("%s has %d messages, want 1", user, len(msgs))
		}
		raw := string(msgs[0].Raw)
		if !strings.HasPrefix(raw, "Return-Path: <carol@example.test>\r\nReceived: from client.example.test (127.0.0.1:") {
			t.Errorf("%s: trace fields missing:\n%s", user, raw)
		}
		if !strings.Contains(raw, "with ESMTP id ") {
			t.Errorf("%s: Received does not say plain ESMTP:\n%s", user, raw)
		}
		if !strings.HasSuffix(raw, "\r\n\r\n"+"first line tok1\r\n.hidden line\r\nlast line\r\n") {
			t.Errorf("%s: body not stored as sent (dot unstuffed):\n%q", user, raw)
		}
		if msgs[0].UID != 1 {
			t.Errorf("%s: UID %d, want 1", user, msgs[0].UID)
		}
	}
}

func TestSMTPAuth(t *testing.T) {
	type step struct {
		send string
		want int
	}
	tests := []struct {
		name     string
		service  string
		starttls bool
		steps    []step
	}{
		{"plain ok", "smtp", false, []step{{"AUTH PLAIN " + b64("\x00alice\x00secret"), 235}}},
		{"plain bad password", "smtp", false, []step{{"AUTH PLAIN " + b64("\x00alice\x00wrong"), 535}}},
		{"plain unknown user", "smtp", false, []step{{"AUTH PLAIN " + b64("\x00mallory\x00secret"), 535}}},
		{"plain in two steps", "smtp", false, []step{{"AUTH PLAIN", 334}, {b64("\x00bob\x00secret"), 235}}},
		{"login ok", "smtp", false, []step{{"AUTH LOGIN", 334}, {b64("alice"), 334}, {b64("secret"), 235}}},
		{"login bad password", "smtp", false, []step{{"AUTH LOGIN", 334}, {b64("alice"), 334}, {b64("nope"), 535}}},
		{"login cancelled", "smtp", false, []step{{"AUTH LOGIN", 334}, {"*", 501}}},
		{"unknown mechanism, as Postfix", "smtp", false, []step{{"AUTH CRAM-MD5", 535}}},
		{"starttls then plain", "smtp", true, []step{{"AUTH PLAIN " + b64("\x00alice\x00secret"), 235}}},
		{"starttls then bad password", "smtp", true, []step{{"AUTH PLAIN " + b64("\x00alice\x00bad"), 535}}},
		{"smtps login with initial response", "smtps", false, []step{{"AUTH LOGIN " + b64("bob"), 334}, {b64("secret"), 235}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSandbox(t, Options{})
			tk := dialMail(t, s, tt.service)
			smtpHello(tk)
			if tt.starttls {
				tk.smtpCmd("STARTTLS", 220)
				tk.startTLS(s)
				ext := tk.smtpCmd("EHLO client.example.test", 250)
				if slices.Contains(ext, "STARTTLS") {
					t.Errorf("STARTTLS offered again in TLS: %q", ext)
				}
			}
			for _, st := range tt.steps {
				tk.smtpCmd(st.send, st.want)
			}
			// Mail is taken whether or not AUTH worked.
			smtpSend(tk, "carol@example.test", []string{"alice@example.test"}, testMail("x"))
			raw := string(inbox(t, s, "alice")[0].Raw)
			with := "ESMTP"
			if tt.starttls || tt.service == "smtps" {
				with += "S"
			}
			if tt.steps[len(tt.steps)-1].want == 235 {
				with += "A"
			}
			if !strings.Contains(raw, "with "+with+" id ") {
				t.Errorf("Received does not say %s:\n%s", with, raw)
			}
		})
	}
}

func TestSMTPRejects(t *testing.T) {
	s := newSandbox(t, Options{})
	tk := dialMail(t, s, "smtp")
	smtpHello(tk)
	tk.smtpCmd("MAIL FROM:<carol@example.test>", 250)
	for _, tt := range []struct {
		rcpt string
		code int
		want string
	}{
		{"nobody@example.test", 550, "5.1.1 No such user here: nobody@example.test"},
		{"alice@elsewhere.org", 550, "5.7.1 Relaying to elsewhere.org denied"},
	} {
		lines := tk.smtpCmd("RCPT TO:<"+tt.rcpt+">", tt.code)
		if !strings.HasPrefix(lines[0], tt.want) {
			t.Errorf("RCPT TO:<%s>: %q, want %q", tt.rcpt, lines, tt.want)
		}
	}
	tk.smtpCmd("DATA", 554) // no recipient was accepted, as Postfix answers
	tk.smtpCmd("RSET", 250)
	// Out of sequence, or unknown, as Postfix answers (test/conformance).
	tk.smtpCmd("RCPT TO:<alice@example.test>", 503)
	tk.smtpCmd("DATA", 503)
	tk.smtpCmd("XYZZY", 500)
	tk.smtpCmd("MAIL FROM:<carol@example.test>", 250)
	tk.smtpCmd("MAIL FROM:<carol@example.test>", 503)
	tk.smtpCmd("RCPT TO:<>", 501)
	// A name without a domain is a local user, as Postfix takes it.
	tk.smtpCmd("RCPT TO:<alice>", 250)
	tk.smtpCmd("RSET", 250)
	tk.smtpCmd(fmt.Sprintf("MAIL FROM:<carol@example.test> SIZE=%d", 26214401), 552)
	if n := len(inbox(t, s, "alice")); n != 0 {
		t.Fatalf("alice has %d messages", n)
	}
}

func TestSMTPLineTooLong(t *testing.T) {
	s := newSandbox(t, Options{})
	tk := dialMail(t, s, "smtp")
	smtpHello(tk)
	// As Postfix (test/conformance): the command is the line's start, the
	// rest is dropped, and the session goes on.
	tk.smtpCmd("NOOP "+strings.Repeat("x", 5000), 250)
	tk.smtpCmd("XYZZY "+strings.Repeat("x", 5000), 500)
	tk.smtpCmd("NOOP", 250)
	tk.smtpCmd("RSET x", 501)
	tk.smtpCmd("QUIT", 221)
}
