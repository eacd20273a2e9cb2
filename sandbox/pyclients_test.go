package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// pyFetch is what testdata/pyclients.py reports of an IMAP search and fetch.
type pyFetch struct {
	Found    int    `json:"found"`
	Subject  string `json:"subject"`
	Token    string `json:"token"`
	Received bool   `json:"received"`
	Body     string `json:"body"`
	Seen     bool   `json:"seen"`
}

// pyReport is the JSON that testdata/pyclients.py prints.
type pyReport struct {
	Tokens       []string `json:"tokens"`
	SMTPStartTLS struct {
		StartTLSOffered bool     `json:"starttls_offered"`
		Auth            string   `json:"auth"`
		Login           int      `json:"login"`
		TLS             bool     `json:"tls"`
		Refused         []string `json:"refused"`
	} `json:"smtp_starttls"`
	SMTPSSL struct {
		Login   int      `json:"login"`
		Refused []string `json:"refused"`
	} `json:"smtp_ssl"`
	SMTPFailures struct {
		BadLogin    int `json:"bad_login"`
		UnknownRcpt int `json:"unknown_rcpt"`
	} `json:"smtp_failures"`
	IMAPStartTLS struct {
		pyFetch
		StartTLSOffered bool   `json:"starttls_offered"`
		UnseenUIDs      int    `json:"unseen_uids"`
		BadLogin        string `json:"bad_login"`
	} `json:"imap_starttls"`
	IMAPSSL struct {
		pyFetch
		Create string `json:"create"`
	} `json:"imap_ssl"`
	POP3STLS struct {
		Caps  []string `json:"caps"`
		Count int      `json:"count"`
		Found *struct {
			Number  int    `json:"number"`
			Subject string `json:"subject"`
			Body    string `json:"body"`
		} `json:"found"`
	} `json:"pop3_stls"`
	POP3SSL struct {
		Count    int      `json:"count"`
		Listed   int      `json:"listed"`
		UIDL     int      `json:"uidl"`
		Subjects []string `json:"subjects"`
	} `json:"pop3_ssl"`
	IMAPAfter struct {
		Left int `json:"left"`
	} `json:"imap_after"`
}

// TestPythonClients drives the sandbox with Python's smtplib, imaplib and
// poplib, in STARTTLS and implicit TLS, verified against the sandbox CA: a
// real client must be able to use the sandbox as it would a real server.
func TestPythonClients(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3 is needed for the real-client test and CI is set: %v", err)
		}
		t.Skip("python3 not found: skipping the Python real-client test (it fails instead when CI is set)")
	}
	s := newSandbox(t, Options{})
	env := append(os.Environ(), "NETRUN_SANDBOX_CA="+address(t, s, "ca"))
	for _, name := range []string{"smtp", "smtps", "imap", "imaps", "pop3", "pop3s"} {
		env = append(env, "NETRUN_SANDBOX_"+strings.ToUpper(name)+"="+address(t, s, name))
	}
	// Not a timing assertion: only keeps a hung script from hanging the test.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "testdata/pyclients.py")
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pyclients.py: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	out := stdout.String()
	var r pyReport
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("pyclients.py output: %v\n%s", err, out)
	}
	t.Logf("python saw: %s", strings.TrimSpace(out))
	t1, t2 := r.Tokens[0], r.Tokens[1]

	check := func(what string, ok bool, saw any) {
		t.Helper()
		if !ok {
			t.Errorf("%s: python saw %+v", what, saw)
		}
	}
	// Python keeps the CRLF line ends of the message in the body.
	dotLine := func(body string) bool {
		return strings.Contains(strings.ReplaceAll(body, "\r\n", "\n"), "\n.a line that starts with a dot\n")
	}
	check("smtplib STARTTLS and login", r.SMTPStartTLS.StartTLSOffered && r.SMTPStartTLS.TLS &&
		strings.Contains(r.SMTPStartTLS.Auth, "PLAIN") && r.SMTPStartTLS.Login == 235 && len(r.SMTPStartTLS.Refused) == 0,
		r.SMTPStartTLS)
	check("smtplib SMTP_SSL with AUTH LOGIN", r.SMTPSSL.Login == 235 && len(r.SMTPSSL.Refused) == 0, r.SMTPSSL)
	check("smtplib wrong password is 535", r.SMTPFailures.BadLogin == 535, r.SMTPFailures)
	check("smtplib unknown recipient is 550", r.SMTPFailures.UnknownRcpt == 550, r.SMTPFailures)

	im := r.IMAPStartTLS
	check("imaplib STARTTLS, search and BODY.PEEK[]", im.StartTLSOffered && im.Found == 1 &&
		im.Subject == "Grüße "+t1 && im.Token == t1 && im.Received && !im.Seen && dotLine(im.Body), im)
	check("imaplib UID SEARCH UNSEEN SINCE FROM", im.UnseenUIDs == 2, im)
	check("imaplib wrong password", strings.Contains(im.BadLogin, "AUTHENTICATIONFAILED"), im)
	is := r.IMAPSSL
	check("imaplib IMAP4_SSL HEADER search and CREATE", is.Found == 1 && is.Subject == "Plain "+t2 &&
		is.Token == t2 && !is.Seen && is.Create == "OK" && dotLine(is.Body), is)

	p := r.POP3STLS
	check("poplib STLS and RETR", slices.Contains(p.Caps, "STLS") && p.Count == 2 && p.Found != nil &&
		p.Found.Subject == "Grüße "+t1 && dotLine(p.Found.Body), p.Found)
	check("poplib POP3_SSL after DELE and QUIT", r.POP3SSL.Count == 1 && r.POP3SSL.Listed == 1 &&
		r.POP3SSL.UIDL == 1 && slices.Equal(r.POP3SSL.Subjects, []string{"Plain " + t2}), r.POP3SSL)
	check("IMAP after POP3 deleted everything", r.IMAPAfter.Left == 0, r.IMAPAfter)
}
