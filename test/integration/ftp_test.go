package integration

import (
	"os"
	"testing"
)

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
	wrongPassword(t, src, "Wr0ng-Canary-ftp", "530")
}
