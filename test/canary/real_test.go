package canary

import (
	"os"
	"strings"
	"testing"
)

// requireServers skips when the real servers of each kind are not up,
// unless CI is set: then their absence is a failure.
func requireServers(t *testing.T, kinds ...string) {
	t.Helper()
	up := "," + os.Getenv("NETRUN_REALSERVERS_UP") + ","
	for _, k := range kinds {
		if strings.Contains(up, ","+k+",") {
			continue
		}
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but the real %s servers are not up: run test/realservers/%s-up.sh and export what it prints", k, k)
		}
		t.Skipf("real %s servers not started (test/realservers/%s-up.sh); CI runs this test", k, k)
	}
}

// TestCanaryRealServers logs in to Postfix, Dovecot (POP3 and IMAP, USER
// and PASS, LOGIN and AUTH PLAIN), vsftpd and INN with the canary as the
// password, which they refuse, and sends the canary in a mail and an
// article with the real password, read back from Dovecot and INN: no
// output may hold the canary, nor the real password.
func TestCanaryRealServers(t *testing.T) {
	requireServers(t, "mail", "ftp", "nntp")
	mailPW, ftpPW, nntpPW := os.Getenv("NETRUN_MAIL_PASSWORD"), os.Getenv("NETRUN_FTP_PASSWORD"), os.Getenv("NETRUN_NNTP_PASSWORD")
	if mailPW == "" || mailPW != ftpPW || mailPW != nntpPW {
		t.Fatalf("the real servers must share one password (test/realservers): mail %d, ftp %d, nntp %d bytes", len(mailPW), len(ftpPW), len(nntpPW))
	}
	fs := append(forms(canary), forms(mailPW)...)
	f := newFinder(fs)
	for _, tap := range []bool{false, true} {
		env := []string{"CANARY_REAL=1", "CANARY_AUTH_USER=" + os.Getenv("NETRUN_MAIL_USER"),
			"CANARY_DATA_USER=" + os.Getenv("NETRUN_MAIL_USER"), "CANARY_DATA_PASSWORD=" + mailPW,
			"CANARY_ATTACHMENT=" + attachment(t)}
		out, rep := runNetrun(t, tap, env, "testdata/mail.yaml", "testdata/files.yaml")
		noLeak(t, "real servers", out, f)
		for _, want := range []struct{ scenario, step, status string }{
			{"canary mail", "SMTP AUTH PLAIN", "failed"},
			{"canary mail", "SMTP AUTH LOGIN", "failed"},
			{"canary mail", "POP3 USER and PASS", "failed"},
			{"canary mail", "POP3 AUTH PLAIN", "failed"},
			{"canary mail", "IMAP LOGIN", "failed"},
			{"canary mail", "IMAP AUTHENTICATE PLAIN", "failed"},
			{"canary mail", "IMAP reads the mail", "passed"},
			{"canary mail", "POP3 reads the mail", "passed"},
			{"canary files and news", "FTP USER and PASS", "failed"},
			{"canary files and news", "NNTP AUTHINFO", "failed"},
			{"canary files and news", "NNTP post with the canary", "passed"},
		} {
			if got := rep.status(want.scenario, want.step); got != want.status {
				t.Errorf("tap=%v: %s: step %q %s, want %s", tap, want.scenario, want.step, got, want.status)
			}
		}
	}
}
