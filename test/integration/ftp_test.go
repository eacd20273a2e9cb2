package integration

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
)

// runScenario runs a scenario file of scenarios/ unchanged and fails the
// test unless it passes.
func runScenario(t *testing.T, file string) *engine.ScenarioResult {
	t.Helper()
	sc, err := engine.LoadFile(filepath.Join("..", "..", "scenarios", file), registry(t), engine.LoadOptions{})
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
		t.Fatalf("%s against the real server: %s", file, res.Status)
	}
	return res
}

// TestFTPScenariosAgainstRealServers runs the FTP scenarios, unchanged,
// against vsftpd through the NETRUN_FTP* variables (ftp-up.sh: explicit
// TLS, with the TLS session reused on data connections as vsftpd
// requires), then once more in plain text.
func TestFTPScenariosAgainstRealServers(t *testing.T) {
	requireServers(t, "ftp")
	for _, mode := range []string{os.Getenv("NETRUN_FTP_TLS"), "none"} {
		t.Run("tls="+mode, func(t *testing.T) {
			t.Setenv("NETRUN_FTP_TLS", mode)
			for _, f := range []string{"ftp_roundtrip.yaml", "ftp_anonymous.yaml"} {
				t.Run(f, func(t *testing.T) { runScenario(t, f) })
			}
		})
	}
}

// TestWrongPasswordAgainstVsftpd checks that vsftpd's 530 is shown with the
// password redacted.
func TestWrongPasswordAgainstVsftpd(t *testing.T) {
	requireServers(t, "ftp")
	src := `name: wrong password
secrets: { pw: Wr0ng-Canary-ftp }
steps:
  - connect: ftp://{{ env("NETRUN_FTP") }}
    tls_mode: '{{ env("NETRUN_FTP_TLS") }}'
    tls: { ca: '{{ env("NETRUN_CA") }}' }
    auth: { user: '{{ env("NETRUN_FTP_USER") }}', password: '{{ pw }}' }
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
	if !strings.Contains(st.Failure.Message, "530") {
		t.Errorf("failure %q does not show the server's 530", st.Failure.Message)
	}
	for _, l := range st.Transcript {
		if strings.Contains(l.Text, "Wr0ng-Canary-ftp") {
			t.Errorf("password in transcript: %q", l.Text)
		}
	}
}
