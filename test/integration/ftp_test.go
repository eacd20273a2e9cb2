package integration

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
)

// TestFTPScenariosAgainstRealServers runs the FTP scenarios, unchanged,
// against vsftpd through the NETRUN_FTP* variables (ftp-up.sh: explicit
// TLS, with the TLS session reused on data connections as vsftpd
// requires), then once more in plain text, and against the vsftpd with
// implicit TLS (NETRUN_FTPS_IMPLICIT).
func TestFTPScenariosAgainstRealServers(t *testing.T) {
	requireServers(t, "ftp")
	for _, m := range []struct{ mode, addr string }{
		{os.Getenv("NETRUN_FTP_TLS"), os.Getenv("NETRUN_FTP")}, {"none", os.Getenv("NETRUN_FTP")}, {"implicit", ""},
	} {
		t.Run("tls="+m.mode, func(t *testing.T) {
			if m.addr == "" {
				m.addr = implicitFTPS(t)
			}
			t.Setenv("NETRUN_FTP_TLS", m.mode)
			t.Setenv("NETRUN_FTP", m.addr)
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

// implicitFTPS is the address of ftp-up.sh's vsftpd with implicit TLS,
// NETRUN_FTPS_IMPLICIT. Unset, the test is skipped, or fails when CI is
// set.
func implicitFTPS(t *testing.T) string {
	t.Helper()
	addr := os.Getenv("NETRUN_FTPS_IMPLICIT")
	if addr == "" {
		msg := "NETRUN_FTPS_IMPLICIT is not set: ftp-up.sh starts a vsftpd with implicit FTPS too; run it again and export what it prints"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return addr
}

// ftpsSizes are the sizes of TestFTPSTransfersAgainstVsftpd: vsftpd
// answered netrun's FTPS uploads of 128 KiB and more with "426 Failure
// reading network stream" when the data connection ended without a TLS
// close_notify.
var ftpsSizes = []int{1 << 10, 1 << 20, 16 << 20}

// ftpsRounds is how many times each size goes up and down: every one must
// pass, every time.
const ftpsRounds = 4

// TestFTPSTransfersAgainstVsftpd uploads files of 1 KiB, 1 MiB and 16 MiB
// to vsftpd over explicit FTPS (AUTH TLS, NETRUN_FTP) and implicit FTPS
// (NETRUN_FTPS_IMPLICIT), downloads each back into a file and, up to
// 1 MiB, into memory, and compares the SHA-256 and the size, several
// rounds over.
func TestFTPSTransfersAgainstVsftpd(t *testing.T) {
	requireServers(t, "ftp")
	implicit := implicitFTPS(t)
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	files := make([]string, len(ftpsSizes))
	for i, n := range ftpsSizes {
		b := make([]byte, n)
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		files[i] = filepath.Join(dir, fmt.Sprintf("up-%d.bin", n))
		if err := os.WriteFile(files[i], b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// none: the same in plain text, where a download nothing hashes goes
	// from the socket to the file in the kernel (splice).
	for _, m := range []struct{ mode, addr string }{{"starttls", os.Getenv("NETRUN_FTP")}, {"implicit", implicit}, {"none", os.Getenv("NETRUN_FTP")}} {
		t.Run(m.mode, func(t *testing.T) {
			src := ftpsScenario(m.addr, m.mode, dir, files)
			for round := 1; round <= ftpsRounds; round++ {
				if res := run(t, "ftps.yaml", []byte(src)); res.Status != engine.Passed {
					t.Fatalf("round %d of %d over %s FTPS: %s", round, ftpsRounds, m.mode, res.Status)
				}
			}
		})
	}
}

// ftpsScenario is a scenario that logs in to addr as NETRUN_FTP_USER with
// tls_mode mode, and uploads each of files, downloads it back (into a
// file hashed, into a file not hashed, into memory) and checks it, then
// deletes it.
func ftpsScenario(addr, mode, dir string, files []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `name: FTPS %s transfers
vars: { dir: 'netrun-{{ uuid() }}' }
secrets: { pw: '{{ env("NETRUN_FTP_PASSWORD") }}' }
steps:
  - connect: ftp://%s
    tls_mode: %s
    tls: { ca: '{{ env("NETRUN_CA") }}' }
    auth: { user: '{{ env("NETRUN_FTP_USER") }}', password: '{{ pw }}' }
    assert: result.tls %s nil
  - send: { mkdir: '{{ dir }}' }
`, mode, addr, mode, map[bool]string{true: "==", false: "!="}[mode == "none"])
	for i, f := range files {
		fi, _ := os.Stat(f)
		fmt.Fprintf(&b, `  - send: { upload: { file: %q, to: '{{ dir }}/f%d' } }
    id: up%d
    assert: [result.reply.code == 226, result.size == %d, result.sha256 == sha256(file(%q))]
  - fetch: { path: '{{ dir }}/f%d', to: %q }
    assert: [result.reply.code == 226, result.size == %d, result.sha256 == steps.up%d.sha256]
  - fetch: { path: '{{ dir }}/f%d', to: %q }
    assert: [result.reply.code == 226, result.size == %d, sha256(file(result.to)) == steps.up%d.sha256]
`, f, i, i, fi.Size(), f, i, filepath.Join(dir, fmt.Sprintf("down-%d.bin", i)), fi.Size(), i,
			i, filepath.Join(dir, fmt.Sprintf("raw-%d.bin", i)), fi.Size(), i)
		if fi.Size() <= 1<<20 {
			fmt.Fprintf(&b, `  - fetch: '{{ dir }}/f%d'
    assert: [result.reply.code == 226, result.size == %d, sha256(result.text) == steps.up%d.sha256]
`, i, fi.Size(), i)
		}
		fmt.Fprintf(&b, "  - send: { delete: '{{ dir }}/f%d' }\n", i)
	}
	b.WriteString("  - send: { rmdir: '{{ dir }}' }\nfinally:\n")
	for i := range files {
		fmt.Fprintf(&b, "  - send: { command: 'DELE {{ dir }}/f%d' }\n", i)
	}
	b.WriteString("  - send: { command: 'RMD {{ dir }}' }\n")
	return b.String()
}
