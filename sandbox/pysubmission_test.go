package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/netrunhq/netrun/sandbox/internal/mailstore"
)

// pySubmission is what testdata/pysubmission.py prints.
type pySubmission struct {
	Submission struct {
		PlainFeatures []string `json:"plain_features"`
		PlainAuth     []any    `json:"plain_auth"`
		PlainLogin    string   `json:"plain_login"`
		TLSFeatures   []string `json:"tls_features"`
		TLSLogin      int      `json:"tls_login"`
		Refused       []string `json:"refused"`
		VerifyError   string   `json:"verify_error"`
	} `json:"submission"`
	SMTPS struct {
		Cipher      bool     `json:"cipher"`
		Login       int      `json:"login"`
		Refused     []string `json:"refused"`
		VerifyError string   `json:"verify_error"`
	} `json:"smtps"`
}

// runPySubmission runs testdata/pysubmission.py against the submission
// and smtps services of s with SSL_CERT_FILE set to caFile, and decodes
// its report.
func runPySubmission(t *testing.T, s *Sandbox, caFile string) pySubmission {
	t.Helper()
	return runPySubmissionAt(t, address(t, s, "submission"), address(t, s, "smtps"), caFile)
}

// runPySubmissionAt runs testdata/pysubmission.py against a submission
// and an smtps server, with SSL_CERT_FILE set to caFile.
func runPySubmissionAt(t *testing.T, submission, smtps, caFile string) pySubmission {
	t.Helper()
	python := lookPython(t)
	env := append(os.Environ(), "SSL_CERT_FILE="+caFile, "SSL_CERT_DIR="+t.TempDir(),
		"NETRUN_SANDBOX_SUBMISSION="+submission, "NETRUN_SANDBOX_SMTPS="+smtps)
	// Not a timing assertion: only keeps a hung script from hanging the test.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "testdata/pysubmission.py")
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pysubmission.py: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	var r pySubmission
	dec := json.NewDecoder(&stdout)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("pysubmission.py output: %v\n%s", err, stdout.String())
	}
	return r
}

// lookPython returns python3's path; without it the test skips, or fails
// under CI.
func lookPython(t *testing.T) string {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3 is needed for the real-client test and CI is set: %v", err)
		}
		t.Skip("python3 not found: skipping the Python real-client test (it fails instead when CI is set)")
	}
	return python
}

// TestSubmissionPython drives submission and smtps with smtplib and
// ssl.create_default_context(), verified through SSL_CERT_FILE alone, as a
// student's program is graded: submission takes AUTH only after STARTTLS,
// in Postfix's words (the script answered the same against Postfix 3.7
// with smtpd_tls_auth_only = yes), and both deliver.
func TestSubmissionPython(t *testing.T) {
	s := newSandbox(t, Options{})
	r := runPySubmission(t, s, address(t, s, "ca"))
	t.Logf("python saw: %+v", r)
	sub := r.Submission
	if sub.VerifyError != "" || r.SMTPS.VerifyError != "" {
		t.Fatalf("the default context did not verify the sandbox with SSL_CERT_FILE: %+v", r)
	}
	if slices.Contains(sub.PlainFeatures, "auth") || !slices.Contains(sub.PlainFeatures, "starttls") {
		t.Errorf("EHLO before STARTTLS offers %v: want STARTTLS and no AUTH", sub.PlainFeatures)
	}
	if len(sub.PlainAuth) != 2 || sub.PlainAuth[0] != 503.0 || sub.PlainAuth[1] != "5.5.1 Error: authentication not enabled" {
		t.Errorf("AUTH before STARTTLS: %v, want Postfix's 503 5.5.1 Error: authentication not enabled", sub.PlainAuth)
	}
	if sub.PlainLogin != "SMTPNotSupportedError" {
		t.Errorf("smtplib login() before STARTTLS: %q, want SMTPNotSupportedError", sub.PlainLogin)
	}
	if !slices.Contains(sub.TLSFeatures, "auth") || sub.TLSLogin != 235 || len(sub.Refused) != 0 {
		t.Errorf("after STARTTLS: features %v, login %d, refused %v", sub.TLSFeatures, sub.TLSLogin, sub.Refused)
	}
	if !r.SMTPS.Cipher || r.SMTPS.Login != 235 || len(r.SMTPS.Refused) != 0 {
		t.Errorf("SMTP_SSL: %+v", r.SMTPS)
	}
	box, err := s.mail.User("alice").Mailbox(mailstore.Inbox)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(box.Messages()); n != 2 {
		t.Errorf("INBOX holds %d messages, want the 2 sent", n)
	}
}

// TestSubmissionPythonOtherCA checks that the default context does verify:
// with SSL_CERT_FILE naming another CA, both services fail verification.
func TestSubmissionPythonOtherCA(t *testing.T) {
	s := newSandbox(t, Options{})
	other := newSandbox(t, Options{})
	r := runPySubmission(t, s, address(t, other, "ca"))
	if r.Submission.VerifyError == "" || r.SMTPS.VerifyError == "" {
		t.Fatalf("verified against another CA: %+v", r)
	}
}

// TestSubmissionLikePostfix runs the same script against Postfix's
// submission port (smtpd_tls_auth_only = yes) and smtps port, started by
// test/realservers/mail-up.sh, and against the sandbox, and compares what
// a client sees: AUTH offered or not, the reply to AUTH before STARTTLS,
// smtplib's error, the logins and the delivery.
func TestSubmissionLikePostfix(t *testing.T) {
	submission, smtps, ca := os.Getenv("NETRUN_SMTP_SUBMISSION"), os.Getenv("NETRUN_SMTPS"), os.Getenv("NETRUN_CA")
	if submission == "" || smtps == "" || ca == "" {
		// CI sets them: test/realservers/mail-up.sh prints them. A shell
		// whose environment predates the submission port lacks the first.
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but NETRUN_SMTP_SUBMISSION, NETRUN_SMTPS or NETRUN_CA is not: source the output of test/realservers/mail-up.sh")
		}
		t.Skip("NETRUN_SMTP_SUBMISSION, NETRUN_SMTPS and NETRUN_CA give Postfix's submission and smtps ports (source test/realservers/mail-up.sh's output)")
	}
	real := runPySubmissionAt(t, submission, smtps, ca)
	s := newSandbox(t, Options{})
	ours := runPySubmission(t, s, address(t, s, "ca"))
	t.Logf("Postfix: %+v\nsandbox: %+v", real, ours)
	type seen struct {
		PlainAuth, PlainStartTLS, TLSAuth bool
		AuthReply                         string
		PlainLogin                        string
		TLSLogin, SMTPSLogin              int
		Refused                           int
		VerifyErrors                      string
	}
	view := func(r pySubmission) seen {
		sub := r.Submission
		return seen{
			PlainAuth: slices.Contains(sub.PlainFeatures, "auth"), PlainStartTLS: slices.Contains(sub.PlainFeatures, "starttls"),
			TLSAuth: slices.Contains(sub.TLSFeatures, "auth"), AuthReply: fmt.Sprint(sub.PlainAuth), PlainLogin: sub.PlainLogin,
			TLSLogin: sub.TLSLogin, SMTPSLogin: r.SMTPS.Login, Refused: len(sub.Refused) + len(r.SMTPS.Refused),
			VerifyErrors: sub.VerifyError + r.SMTPS.VerifyError,
		}
	}
	if got, want := view(ours), view(real); got != want {
		t.Errorf("the sandbox differs from Postfix:\nsandbox %+v\nPostfix %+v", got, want)
	}
}
