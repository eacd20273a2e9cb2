package sandbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// pyFTPRun is what testdata/pyftp.py reports of one user session.
type pyFTPRun struct {
	Label  string `json:"label"`
	Listed bool   `json:"listed"`
	Same   bool   `json:"same"`
	Moved  bool   `json:"moved"`
	Gone   bool   `json:"gone"`
	// TLSVersion is the control connection's, with AUTH TLS.
	TLSVersion string `json:"tls_version"`
	// Large says, for each size (1 KiB, 1 MiB, 16 MiB), whether it went
	// up and came back whole, both answered 226.
	Large map[string]bool `json:"large"`
}

// pyFTP is the JSON that testdata/pyftp.py prints.
type pyFTP struct {
	Anonymous struct {
		Welcome      string   `json:"welcome"`
		Login        string   `json:"login"`
		Retr         string   `json:"retr"`
		ReadmeSHA256 string   `json:"readme_sha256"`
		ReadmeSize   int      `json:"readme_size"`
		NLST         []string `json:"nlst"`
		ListLines    int      `json:"list_lines"`
		Upload       string   `json:"upload"`
	} `json:"anonymous"`
	Plain         pyFTPRun `json:"plain"`
	Explicit      pyFTPRun `json:"explicit"`
	Implicit      pyFTPRun `json:"implicit"`
	WrongPassword string   `json:"wrong_password"`
}

// TestPythonFTP drives the sandbox's ftp and ftps with Python's ftplib:
// the anonymous download of the teaching exercise (FTP, passive, cd pub,
// RETR README in binary), and uploads and downloads as alice over plain
// FTP, FTP_TLS with AUTH TLS and PROT P, and implicit TLS, up to 16 MiB.
func TestPythonFTP(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3 is needed for the real-client test and CI is set: %v", err)
		}
		t.Skip("python3 not found: skipping the Python real-client test (it fails instead when CI is set)")
	}
	s := newSandbox(t, Options{})
	env := append(os.Environ(), "NETRUN_SANDBOX_CA="+address(t, s, "ca"),
		"NETRUN_SANDBOX_FTP="+address(t, s, "ftp"), "NETRUN_SANDBOX_FTPS="+address(t, s, "ftps"))
	// Not a timing assertion: only keeps a hung script from hanging the test.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "testdata/pyftp.py")
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pyftp.py: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	var r pyFTP
	dec := json.NewDecoder(strings.NewReader(stdout.String()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("pyftp.py output: %v\n%s", err, stdout.String())
	}
	t.Logf("python saw: %s", strings.TrimSpace(stdout.String()))
	sum := sha256.Sum256([]byte(ftpReadme))
	a := r.Anonymous
	if !strings.HasPrefix(a.Welcome, "220 ") || a.Login != "230" || a.Retr != "226" ||
		a.ReadmeSHA256 != hex.EncodeToString(sum[:]) || a.ReadmeSize != len(ftpReadme) {
		t.Errorf("anonymous cd pub, RETR README: python saw %+v", a)
	}
	if strings.Join(a.NLST, ",") != "README,bytes.bin,lines.txt" || a.ListLines != 3 || a.Upload != "550" {
		t.Errorf("anonymous NLST, LIST and STOR: python saw %+v", a)
	}
	for _, run := range []pyFTPRun{r.Plain, r.Explicit, r.Implicit} {
		if !run.Listed || !run.Same || !run.Moved || !run.Gone {
			t.Errorf("%s as alice: python saw %+v", run.Label, run)
		}
		for _, size := range []string{"1024", "1048576", "16777216"} {
			if !run.Large[size] {
				t.Errorf("%s as alice: %s bytes up and down: python saw %+v", run.Label, size, run.Large)
			}
		}
	}
	if !strings.HasPrefix(r.Explicit.TLSVersion, "TLSv1.") {
		t.Errorf("FTP_TLS: no TLS on the control connection: %+v", r.Explicit)
	}
	if r.WrongPassword != "530" {
		t.Errorf("wrong password: python saw %q, want 530", r.WrongPassword)
	}
}
