// Package canary runs the real netrun CLI with a canary secret in every
// place a secret goes (the AUTH of every protocol, headers, bodies, data
// that comes back encoded) and checks that no stream and no report holds
// the canary in any form: plain, base64 at each alignment, hex, URL, JSON
// (Go's and Python's), HTML, quoted-printable (split at soft breaks) or as
// SASL sends it.
package canary

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// canary is the secret: every character that an encoding changes
// (" \ < > & = % /) and non-ASCII of two and three bytes.
const canary = "Cq7\"b\\x<t>&r=9%kéZ密/w"

// pin is a secret that is a number (web.yaml), sent in JSON: the JSON
// report holds it as a number.
const pin = "7391528406"

// mailbox is a secret that an address takes (transfers.yaml): the local
// part of a sandbox user's address, a recipient of a pipelined mail.
const mailbox = "Qz8kw7mx4"

// netrunBin is the CLI, built once for the package.
var netrunBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "netrun-canary")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	netrunBin = filepath.Join(dir, "netrun")
	build := exec.Command("go", "build", "-o", netrunBin, "github.com/netrunhq/netrun/cmd/netrun")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	code := 1
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build netrun:", err)
	} else {
		code = m.Run()
	}
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// trackSources reads the size and time of every Go file of the module, so
// that go test's cache, which records the files a test looks at, runs
// this package again when the CLI's code changes: the test does not
// import it, it builds it.
func trackSources(t *testing.T) {
	t.Helper()
	err := filepath.WalkDir(filepath.Join("..", ".."), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != filepath.Join("..", "..") {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".go") || p == filepath.Join("..", "..", "go.sum")) {
			_, err = os.Stat(p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// outputs are what one netrun run wrote: its streams and its reports.
type outputs map[string][]byte

// runNetrun runs the CLI on files with -v and every report (the console on
// stdout, or TAP on stdout and the console on stderr), env added to the
// environment, and returns every output and the JSON report.
func runNetrun(t *testing.T, tap bool, env []string, args ...string) (outputs, *jsonReport) {
	t.Helper()
	trackSources(t)
	dir := t.TempDir()
	reports := map[string]string{
		"junit": filepath.Join(dir, "junit.xml"), "json": filepath.Join(dir, "report.json"),
		"gradescope": filepath.Join(dir, "gradescope.json"), "prairielearn": filepath.Join(dir, "pl.json"),
	}
	full := []string{"-v", "--junit", reports["junit"], "--json", reports["json"],
		"--gradescope", reports["gradescope"], "--prairielearn", reports["prairielearn"]}
	if tap {
		full = append(full, "--tap", "-")
	}
	cmd := exec.Command(netrunBin, append(full, args...)...)
	cmd.Env = append(environ(slices.Contains(env, "CANARY_REAL=1")), append(env, "NO_COLOR=1", "NETRUN_CANARY="+canary)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("run netrun: %v", err)
	}
	out := outputs{"stdout": []byte(stdout.String()), "stderr": []byte(stderr.String())}
	for name, p := range reports {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("report %s: %v\nstderr: %s", name, err, stderr.String())
		}
		out[name] = b
	}
	var rep jsonReport
	if err := json.Unmarshal(out["json"], &rep); err != nil {
		t.Fatalf("JSON report: %v", err)
	}
	return out, &rep
}

// environ is this process's environment, without the NETRUN_ variables
// that point scenarios at real servers unless real is set: the sandbox
// runs must reach the sandbox even where CI has exported them.
func environ(real bool) []string {
	var out []string
	for _, kv := range os.Environ() {
		if real || !strings.HasPrefix(kv, "NETRUN_") {
			out = append(out, kv)
		}
	}
	return out
}

// jsonReport is the part of the JSON report the test reads.
type jsonReport struct {
	Scenarios []struct {
		Name   string `json:"name"`
		Status string `json:"status"`
		Steps  []struct {
			Name       string `json:"name"`
			Status     string `json:"status"`
			Transcript []struct {
				Dir  string `json:"dir"`
				Text string `json:"text"`
			} `json:"transcript"`
		} `json:"steps"`
		Failure *struct {
			Message string `json:"message"`
		} `json:"failure"`
	} `json:"scenarios"`
}

// status returns the status of the scenario named name, and of its step
// named step when step is not "".
func (r *jsonReport) status(name, step string) string {
	for _, sc := range r.Scenarios {
		if sc.Name != name {
			continue
		}
		if step == "" {
			return sc.Status
		}
		for _, st := range sc.Steps {
			if st.Name == step {
				return st.Status
			}
		}
	}
	return "missing"
}

// noLeak fails the test for each output that holds a form of a secret.
// It returns how many (output, form) pairs leaked.
func noLeak(t *testing.T, what string, out outputs, f *finder) int {
	t.Helper()
	n := 0
	for name, data := range out {
		for _, l := range f.leaks(data) {
			t.Errorf("%s: %s shows the secret: %s", what, name, l)
			n++
		}
	}
	return n
}

// sandboxUsers makes the canary alice's password; bob's is another, so
// that logging in as bob with the canary fails; the mailbox secret is a
// third user, a recipient.
var sandboxUsers = []string{"--sandbox-user", "alice:" + canary, "--sandbox-user", "bob:bob-password-1",
	"--sandbox-user", mailbox + ":mailbox-password-1"}

// attachment writes a file with the canary inside, for a mail attachment
// (base64 wrapped at 76 columns, the canary at each alignment).
func attachment(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "canary.bin")
	text := strings.Repeat("a "+canary+" ab "+canary+" abc "+canary+"\n", 3)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCanarySandbox runs every scenario against the sandbox twice: logging
// in as alice (every login and check passes) and as bob (every login
// fails, and checks fail showing the data that holds the canary), once
// with the console on stdout and once with TAP.
func TestCanarySandbox(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Fatal("python3 is needed (it is a real peer that prints the canary in its own encodings)")
	}
	f := newFinder(slices.Concat(forms(canary), forms(pin), forms(mailbox)))
	files := []string{"testdata/mail.yaml", "testdata/web.yaml", "testdata/files.yaml", "testdata/python.yaml",
		"testdata/cram.yaml", "testdata/roles.yaml", "testdata/refusals.yaml", "testdata/transfers.yaml"}
	cram := startCRAMServer(t)
	leaks := 0
	for _, run := range []struct {
		name, want string
		env, extra []string
	}{
		{"passing", "passed", []string{"CANARY_AUTH_USER=alice"}, nil},
		{"failing", "failed", []string{"CANARY_AUTH_USER=bob", "CANARY_FAIL=1"}, []string{"testdata/evalfail.yaml"}},
	} {
		for _, tap := range []bool{false, true} {
			name := fmt.Sprintf("%s tap=%v", run.name, tap)
			env := append([]string{"CANARY_ATTACHMENT=" + attachment(t), "CANARY_CRAM=" + cram.addr,
				"CANARY_MAILBOX=" + mailbox, "CANARY_DOWNLOAD=" + filepath.Join(t.TempDir(), "download.bin")}, run.env...)
			scenarios := append(append([]string{}, files...), run.extra...)
			out, rep := runNetrun(t, tap, env, append(append([]string{}, sandboxUsers...), scenarios...)...)
			leaks += noLeak(t, name, out, f)
			leaks += noLeak(t, name+" (CRAM-MD5 response)", out, newFinder(cram.responseForms()))
			checkStatuses(t, name, rep, run.want, len(scenarios))
			if !cram.used() {
				t.Errorf("%s: the CRAM-MD5 server saw no AUTH", name)
			}
		}
	}
	t.Logf("leaks found: %d", leaks)
}

// checkStatuses checks that each of the n scenarios ended as want (the
// failing secret with an error), and so did each login step: the canary
// was taken as alice's password, and refused as bob's.
func checkStatuses(t *testing.T, name string, rep *jsonReport, want string, n int) {
	t.Helper()
	if len(rep.Scenarios) != n {
		t.Errorf("%s: %d scenarios in the JSON report, want %d", name, len(rep.Scenarios), n)
	}
	for _, sc := range rep.Scenarios {
		w := want
		if sc.Name == "canary secret that fails" {
			w = "error"
		}
		if sc.Status != w {
			t.Errorf("%s: scenario %q %s, want %s", name, sc.Name, sc.Status, w)
			for _, st := range sc.Steps {
				t.Logf("  %s %s", st.Status, st.Name)
			}
		}
	}
	for _, st := range []struct{ scenario, step string }{
		{"canary mail", "SMTP AUTH PLAIN"}, {"canary mail", "SMTP AUTH LOGIN"},
		{"canary mail", "POP3 USER and PASS"}, {"canary mail", "IMAP LOGIN"},
		{"canary mail", "IMAP AUTHENTICATE PLAIN"}, {"canary files and news", "FTP USER and PASS"},
		{"canary files and news", "NNTP AUTHINFO"}, {"canary cram-md5", "SMTP AUTH CRAM-MD5"},
		{"canary cram-md5", "SMTP AUTH XOAUTH2"}, {"canary web", "HTTP basic auth"},
		{"canary web", "HTTP bearer header"}, {"canary web", "WebSocket headers"},
		{"canary http refusals", "a request with no Host header is refused"},
		{"canary http refusals", "a kept-alive request written while the first is answered"},
		{"canary transfers", "FTP download to a file, spliced and not hashed"},
		{"canary transfers", "FTP download into memory"},
	} {
		w := want
		if strings.HasPrefix(st.step, "HTTP") || strings.HasPrefix(st.step, "WebSocket") {
			w = "passed" // the sandbox's web servers take any credentials
		}
		if got := rep.status(st.scenario, st.step); got != w {
			t.Errorf("%s: %s: step %q %s, want %s", name, st.scenario, st.step, got, w)
		}
	}
}
