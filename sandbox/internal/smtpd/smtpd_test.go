package smtpd

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/sandbox/internal/mailstore"
)

// dialogue runs a session over a pipe: each element of writes is sent in
// one write, then every reply line is read until as many final lines (a
// space after the code) as want has entries. It returns the store and the
// codes of the final lines.
func dialogue(t *testing.T, writes []string, finals int) (*mailstore.Store, []string) {
	t.Helper()
	return dialogueWith(t, Config{}, writes, finals)
}

// dialogueWith is dialogue with a server configured by cfg, whose Store
// it sets.
func dialogueWith(t *testing.T, cfg Config, writes []string, finals int) (*mailstore.Store, []string) {
	t.Helper()
	store := mailstore.New(map[string]string{"alice": "secret"})
	cfg.Store = store
	client, server := net.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		NewServer(cfg).ServeConn(server)
	}()
	defer func() { client.Close(); <-done }()
	// Not a timing assertion: only keeps a broken server from hanging the test.
	client.SetDeadline(time.Now().Add(30 * time.Second))
	go func() {
		for _, w := range writes {
			if _, err := client.Write([]byte(w)); err != nil {
				return
			}
		}
	}()
	r := bufio.NewReader(client)
	var codes []string
	for len(codes) < finals {
		l, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("after %q: %v", codes, err)
		}
		if len(l) > 3 && l[3] == ' ' {
			codes = append(codes, l[:3])
		}
	}
	return store, codes
}

// TestPipeliningAndData sends a whole transaction in one write (RFC 2920
// lets a client send DATA's content only after 354, so it is a second
// write) with a line longer than MaxLine that starts with a dot, and a
// dot that ends a piece of that long line.
func TestPipeliningAndData(t *testing.T) {
	long := "." + strings.Repeat("x", MaxLine*2-2) + "." // its last piece on the wire is ".\r\n"
	store, codes := dialogue(t, []string{
		"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<alice@example.test>\r\nRCPT TO:<nobody@example.test>\r\nDATA\r\n",
		"Subject: s\r\n\r\n..dot\r\n" + "." + long + "\r\n.\r\nQUIT\r\n",
	}, 7)
	if got := strings.Join(codes, " "); got != "220 250 250 250 550 354 250" {
		t.Fatalf("codes %s", got)
	}
	box, _ := store.User("alice").Mailbox(mailstore.Inbox)
	msgs := box.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	raw := string(msgs[0].Raw)
	if !strings.HasSuffix(raw, "\r\nSubject: s\r\n\r\n.dot\r\n"+long+"\r\n") {
		t.Errorf("message not unstuffed as sent: ...%q", raw[max(0, len(raw)-80):])
	}
}

// TestSequence checks the replies of commands out of order, as Postfix
// gives them.
func TestSequence(t *testing.T) {
	_, codes := dialogue(t, []string{"RCPT TO:<alice@example.test>\r\n", "DATA\r\n", "XYZZY\r\n", "\r\n",
		"MAIL FROM:bare@example.test\r\n", "MAIL FROM:<a@b>\r\n", "DATA x\r\n", "DATA\r\n",
		"AUTH PLAIN !!!\r\n", "EHLO c\r\n", "RSET\r\n", "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n", "AUTH PLAIN\r\n",
		"MAIL FROM:<a@b> SIZE=99999999999\r\n", "MAIL FROM:<a@b> FOO=1\r\n", "QUIT\r\n"}, 17)
	want := "220 503 503 500 500 250 503 501 554 503 250 250 235 503 552 555 221"
	if got := strings.Join(codes, " "); got != want {
		t.Fatalf("codes %s\nwant  %s", got, want)
	}
}

// TestAuthNeedsTLS checks AuthNeedsTLS on a plain connection against what
// Postfix 3.7 with smtpd_tls_auth_only = yes answered the same commands:
// no AUTH in EHLO, and every AUTH, before EHLO, bare or in a transaction,
// is 503 "authentication not enabled"; mail is still taken. (The TLS side
// is TestSubmissionPython in package sandbox.)
func TestAuthNeedsTLS(t *testing.T) {
	cfg := Config{AuthNeedsTLS: true}
	_, codes := dialogueWith(t, cfg, []string{"AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n", "EHLO c\r\n", "AUTH\r\n",
		"AUTH LOGIN\r\n", "MAIL FROM:<a@b>\r\n", "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n", "QUIT\r\n"}, 8)
	if got, want := strings.Join(codes, " "), "220 503 250 503 503 250 503 221"; got != want {
		t.Fatalf("codes %s\nwant  %s", got, want)
	}
	client, server := net.Pipe()
	go NewServer(Config{Store: mailstore.New(nil), AuthNeedsTLS: true}).ServeConn(server)
	defer client.Close()
	// Not a timing assertion: only keeps a broken server from hanging the test.
	client.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(client)
	var text []string
	go client.Write([]byte("EHLO c\r\nAUTH PLAIN AGFsaWNlAHNlY3JldA==\r\nQUIT\r\n"))
	for {
		l, err := r.ReadString('\n')
		if err != nil {
			break
		}
		text = append(text, strings.TrimRight(l, "\r\n"))
	}
	all := strings.Join(text, "\n")
	if strings.Contains(all, "250-AUTH") || strings.Contains(all, "250 AUTH") {
		t.Errorf("EHLO offers AUTH before TLS:\n%s", all)
	}
	if !strings.Contains(all, "503 5.5.1 Error: authentication not enabled") {
		t.Errorf("AUTH not refused in Postfix's words:\n%s", all)
	}
}
