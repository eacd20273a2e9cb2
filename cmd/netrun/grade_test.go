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

	"github.com/santhosh-tekuri/jsonschema/v6"
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
		"--out", filepath.Join(work, "out"), "-j", "10", "--var", "ready_timeout=6s", "--prairielearn"}, &stdout, &stderr)
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
	checkGradingFiles(t, filepath.Join(work, "out"), rows[1:])
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

// checkGradingFiles validates each student's Gradescope and PrairieLearn
// files against the formats' schemas (engine/report/testdata): gradable
// unless the program is missing. The class report lists every student.
func checkGradingFiles(t *testing.T, out string, rows [][]string) {
	t.Helper()
	gs, pl := schemaOf(t, "gradescope.schema.json"), schemaOf(t, "prairielearn.schema.json")
	for _, r := range rows {
		for _, c := range []struct {
			file string
			sch  *jsonschema.Schema
		}{{gradeGradescope, gs}, {gradePrairieLearn, pl}} {
			b, err := os.ReadFile(filepath.Join(out, r[0], c.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s/%s: %v", r[0], c.file, err)
			}
			if err := c.sch.Validate(doc); err != nil {
				t.Errorf("%s/%s does not validate: %v", r[0], c.file, err)
			}
			if c.file == gradePrairieLearn {
				gradable := doc.(map[string]any)["gradable"]
				if want := r[4] != "missing"; gradable != want {
					t.Errorf("%s: %s gradable %v, want %v", r[0], r[4], gradable, want)
				}
			}
		}
	}
	page, err := os.ReadFile(filepath.Join(out, classReportFile))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(page, []byte(`/netrun-report.txt">`)); n != len(rows) {
		t.Errorf("the class report links %d students, want %d", n, len(rows))
	}
}

// schemaOf compiles a grading format's schema of engine/report/testdata.
func schemaOf(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "engine", "report", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	if err := c.AddResource(name, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(name)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}
