package sandbox

import (
	"strings"
	"testing"
)

// TestFullMailStore checks the answers to mail that the full store cannot
// take: 452 4.3.1 to SMTP (Postfix's, for a full queue disk) and NO
// [OVERQUOTA] to IMAP APPEND and COPY (Dovecot's quota), and that a
// deletion makes room again.
func TestFullMailStore(t *testing.T) {
	s := newSandbox(t, Options{})
	tk := dialMail(t, s, "smtp")
	smtpHello(tk)
	smtpSend(tk, "carol@example.test", []string{"alice@example.test"}, testMail("tok1"))
	s.mail.SetLimit(s.mail.Used()) // full
	tk.smtpCmd("MAIL FROM:<carol@example.test>", 250)
	tk.smtpCmd("RCPT TO:<alice@example.test>", 250)
	tk.smtpCmd("DATA", 354)
	tk.send("Subject: two")
	tk.send("")
	tk.send("no room")
	if lines := tk.smtpCmd(".", 452); !strings.Contains(lines[0], "4.3.1") {
		t.Fatalf("full store: %q", lines)
	}
	tk.smtpCmd("QUIT", 221)

	im := dialMail(t, s, "imap")
	imapLogin(im)
	im.imapOK("CREATE Archive")
	_, status := im.imap("APPEND Archive {3+}\r\nabc")
	if !strings.Contains(status, "NO [OVERQUOTA]") {
		t.Fatalf("APPEND to a full store: %q", status)
	}
	im.imapOK("SELECT INBOX")
	if _, status := im.imap("COPY 1 Archive"); !strings.Contains(status, "NO [OVERQUOTA]") {
		t.Fatalf("COPY in a full store: %q", status)
	}
	im.imapOK("STORE 1 +FLAGS (\\Deleted)")
	im.imapOK("EXPUNGE")
	im.imapOK("APPEND Archive {3+}\r\nabc")
}
