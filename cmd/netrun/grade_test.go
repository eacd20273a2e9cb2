package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestGradeSubmissions grades 20 generated submissions of the bench's
// udp_server exercise, good ones and broken ones (crashes, a wrong port,
// TERM ignored with a child, endless output, no program, not executable),
// and checks every score and that no process is left behind.
func TestGradeSubmissions(t *testing.T) {
	for _, tool := range []string{"bash", "python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is required under CI", tool)
			}
			t.Skipf("%s not found", tool)
		}
	}
	// Put the interpreter itself first in PATH: a version manager's shim
	// (pyenv) costs a shell and more for each of the 20 starts.
	if exe, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output(); err == nil {
		t.Setenv("PATH", filepath.Dir(strings.TrimSpace(string(exe)))+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	work := t.TempDir()
	subs := filepath.Join(work, "subs")
	gen := exec.Command("bash", "../../test/bench/gen_submissions.sh", subs, "20")
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("gen_submissions: %v\n%s", err, out)
	}
	var stdout, stderr bytes.Buffer
	status := netrun([]string{"grade", "../../test/bench/testdata/udp_server.yaml", "--submissions", subs,
		"--out", filepath.Join(work, "out"), "-j", "10", "--var", "ready_timeout=6s"}, &stdout, &stderr)
	if status != exitOK {
		t.Fatalf("exit status %d\n%s\n%s", status, stdout.String(), stderr.String())
	}
	f, err := os.Open(filepath.Join(work, "out", "scores.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 21 || strings.Join(rows[0], ",") != "student,exercise,score,max_score,status" {
		t.Fatalf("scores.csv has %d rows, header %v", len(rows), rows[0])
	}
	// kind → score/max status; "once" has exited, or is exiting, when the
	// second datagram comes: refused (error) or unanswered (failed).
	want := map[string]string{
		"good": "4/4 passed", "once": "2/4 (error|failed)", "crash": "0/4 error", "nobind": "0/4 error",
		"stubborn": "4/4 passed", "missing": "0/4 missing", "noexec": "0/4 error", "flood": "2/4 failed",
	}
	for _, r := range rows[1:] {
		kind := r[0][strings.LastIndexByte(r[0], '_')+1:]
		got := r[2] + "/" + r[3] + " " + r[4]
		if !regexp.MustCompile("^"+want[kind]+"$").MatchString(got) || r[1] != "udp_server" {
			report, _ := os.ReadFile(filepath.Join(work, "out", r[0], "netrun-report.txt"))
			t.Errorf("%s: %s %s, want %s\n%s", r[0], r[1], got, want[kind], report)
		}
	}
	report, err := os.ReadFile(filepath.Join(work, "out", "student003_crash", "netrun-report.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"exited with status 1", "AttributeError", "hint: Bind a UDP socket"} {
		if !bytes.Contains(report, []byte(w)) {
			t.Errorf("the crash report does not say %q:\n%s", w, report)
		}
	}
	if left := processesMentioning(subs); len(left) > 0 {
		t.Errorf("processes left behind: %s", strings.Join(left, "; "))
	}
}

// processesMentioning lists the processes whose command line contains s,
// as pgrep -f does.
func processesMentioning(s string) []string {
	var out []string
	procs, _ := os.ReadDir("/proc")
	for _, d := range procs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmd, err := os.ReadFile(filepath.Join("/proc", d.Name(), "cmdline"))
		if err == nil && bytes.Contains(cmd, []byte(s)) {
			out = append(out, d.Name()+": "+strings.ReplaceAll(string(cmd), "\x00", " "))
		}
	}
	return out
}
