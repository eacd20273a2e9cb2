// Package integration runs the example scenarios against real servers
// (Postfix and Dovecot) that test/realservers starts. CI starts them and
// sets NETRUN_REALSERVERS_UP; these tests then fail, never skip, when a
// scenario does not pass.
package integration

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/ftp"
	"github.com/netrunhq/netrun/steps/imap"
	"github.com/netrunhq/netrun/steps/nntp"
	"github.com/netrunhq/netrun/steps/pop3"
	"github.com/netrunhq/netrun/steps/smtp"
	"github.com/netrunhq/netrun/steps/tcp"
	"github.com/netrunhq/netrun/steps/udp"
)

// requireServers skips when the real servers of kind are not up, unless CI
// is set: then their absence is a failure.
func requireServers(t *testing.T, kind string) {
	t.Helper()
	up := os.Getenv("NETRUN_REALSERVERS_UP")
	for _, k := range strings.Split(up, ",") {
		if k == kind {
			return
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but the real %s servers are not up: run test/realservers/%s-up.sh and export what it prints", kind, kind)
	}
	t.Skipf("real %s servers not started (test/realservers/%s-up.sh); CI runs this test", kind, kind)
}

// registry serves every protocol of this build, as the CLI does.
func registry(t *testing.T) *engine.Registry {
	t.Helper()
	return steptest.New(t, tcp.Plugin{}, udp.Plugin{}, smtp.Plugin{}, pop3.Plugin{}, imap.Plugin{}, ftp.Plugin{}, nntp.Plugin{}).Registry()
}

// TestMailScenariosAgainstRealServers runs every mail scenario, unchanged,
// against Postfix and Dovecot through the NETRUN_* variables.
func TestMailScenariosAgainstRealServers(t *testing.T) {
	requireServers(t, "mail")
	files := []string{"mail_roundtrip.yaml", "smtp_dialogue.yaml", "mail_html_attachment.yaml", "pop3_latest.yaml", "imap_search.yaml"}
	reg := registry(t)
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			sc, err := engine.LoadFile(filepath.Join("..", "..", "scenarios", f), reg, engine.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			res := engine.Run(context.Background(), sc, engine.RunOptions{})
			for _, st := range res.Steps {
				t.Logf("%s %s %s", st.Status, st.Name, st.Duration)
				if st.Failure != nil && st.Status != engine.Skipped {
					t.Logf("  %s", st.Failure.Message)
				}
			}
			if res.Status != engine.Passed {
				t.Fatalf("%s against the real servers: %s", f, res.Status)
			}
		})
	}
}

// TestWrongPasswordAgainstPostfix checks that a real server's 535 is shown
// with the password redacted.
func TestWrongPasswordAgainstPostfix(t *testing.T) {
	requireServers(t, "mail")
	src := `name: wrong password
secrets: { pw: Wr0ng-Canary-pw }
steps:
  - connect: smtp://{{ env("NETRUN_SMTP") }}
    tls_mode: '{{ env("NETRUN_SMTP_TLS") }}'
    tls: { ca: '{{ env("NETRUN_CA") }}' }
    auth: { user: '{{ env("NETRUN_MAIL_USER") }}', password: '{{ pw }}' }
`
	sc, err := engine.LoadBytes("wrong.yaml", []byte(src), registry(t), engine.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res := engine.Run(context.Background(), sc, engine.RunOptions{})
	st := res.Steps[0]
	if st.Status == engine.Passed || st.Failure == nil {
		t.Fatalf("login with a wrong password passed: %+v", st)
	}
	if !strings.Contains(st.Failure.Message, "535") {
		t.Errorf("failure %q does not show the server's 535", st.Failure.Message)
	}
	for _, l := range st.Transcript {
		if strings.Contains(l.Text, "Wr0ng-Canary-pw") {
			t.Errorf("password in transcript: %q", l.Text)
		}
	}
}
