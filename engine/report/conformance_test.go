package report

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
)

// junitXSD is Jenkins' xunit plugin's junit-10.xsd, vendored.
var junitXSD = filepath.Join("..", "..", "test", "schemas", "junit-10.xsd")

// needTool returns the path of a consumer's program, skipping the test
// when it is missing, unless CI is true: CI must run it.
func needTool(t *testing.T, name, debian string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing and CI=true: apt-get install -y %s (.ci/run does)", name, debian)
		}
		t.Skipf("%s is missing (apt-get install -y %s); CI runs this test", name, debian)
	}
	return p
}

// quoted is a scenario whose names and texts have both kinds of quotes,
// markup and line breaks, as a student folder or a step name may.
func quoted() *engine.ScenarioResult {
	return &engine.ScenarioResult{
		Name: `say "hi" & <bye>`, File: `scenarios/it's "here".yaml`, Status: engine.Failed,
		Start: t0, Duration: time.Millisecond, Tags: []string{`a"b`},
		Steps: []engine.StepResult{{
			Index: 1, Name: `expect "hello"`, Status: engine.Failed, Pos: engine.Pos{Line: 3, Col: 5},
			Failure: &engine.Failure{Kind: engine.Failed, Message: "got \"bonjour\"\tand 'ciao'\nthen <eof>"},
		}, {
			Index: 2, Name: `send 'x'`, Status: engine.Skipped, Pos: engine.Pos{Line: 4, Col: 5},
		}},
	}
}

func writeJUnitFile(t *testing.T, fl JUnitFlavor) string {
	t.Helper()
	var b bytes.Buffer
	if err := fl.Write(&b, append(fixtures(), quoted()), redactor()); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte("&#34;")) || bytes.Contains(b.Bytes(), []byte("&#39;")) {
		t.Errorf("%s: quotes written as numeric references:\n%s", fl, b.Bytes())
	}
	p := filepath.Join(t.TempDir(), string(fl)+".xml")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestJUnitSchema validates the default flavour against junit-10.xsd with
// xmllint, as Jenkins' xunit plugin does, and checks that the github
// flavour is the one with testcase/@file and @line.
func TestJUnitSchema(t *testing.T) {
	xmllint := needTool(t, "xmllint", "libxml2-utils")
	out, err := exec.Command(xmllint, "--noout", "--schema", junitXSD, writeJUnitFile(t, JUnitXunit2)).CombinedOutput()
	if err != nil {
		t.Errorf("xunit2 flavour is not valid against junit-10.xsd: %v\n%s", err, out)
	}
	out, err = exec.Command(xmllint, "--noout", "--schema", junitXSD, writeJUnitFile(t, JUnitGitHub)).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "'file' is not allowed") {
		t.Errorf("github flavour: want testcase/@file refused by junit-10.xsd, got %v\n%s", err, out)
	}
}

// etreeScript prints, as JSON, the testsuite names, the testcase names,
// files and lines and the failure messages that Python's xml.etree reads.
const etreeScript = `
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
out = {"skipped": root.get("skipped"), "suites": [s.get("name") for s in root.iter("testsuite")],
       "cases": [[c.get("name"), c.get("file"), c.get("line")] for c in root.iter("testcase")],
       "messages": [f.get("message") for f in root.iter("failure")]}
print(json.dumps(out))
`

// TestJUnitReadByPython reads both flavours with Python's xml.etree (the
// parser of pytest's tooling and of EnricoMi/publish-unit-test-result-action)
// and checks that names with quotes come back as they were.
func TestJUnitReadByPython(t *testing.T) {
	python := needTool(t, "python3", "python3")
	for _, fl := range []JUnitFlavor{JUnitXunit2, JUnitGitHub} {
		out, err := exec.Command(python, "-c", etreeScript, writeJUnitFile(t, fl)).Output()
		if err != nil {
			t.Fatalf("%s: %v", fl, err)
		}
		var got struct {
			Skipped  *string
			Suites   []string
			Cases    [][]*string
			Messages []string
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%s: %v: %s", fl, err, out)
		}
		last := got.Cases[len(got.Cases)-2]
		if got.Suites[len(got.Suites)-1] != `say "hi" & <bye>` || *last[0] != `expect "hello"` ||
			got.Messages[len(got.Messages)-1] != "got \"bonjour\"\tand 'ciao'\nthen <eof>" {
			t.Errorf("%s: python read %s", fl, out)
		}
		switch fl {
		case JUnitGitHub:
			if last[1] == nil || *last[1] != `scenarios/it's "here".yaml` || last[2] == nil || *last[2] != "3" || got.Skipped == nil {
				t.Errorf("github: file, line or skipped missing: %s", out)
			}
		default:
			if last[1] != nil || last[2] != nil || got.Skipped != nil {
				t.Errorf("xunit2: attributes junit-10.xsd lacks: %s", out)
			}
		}
	}
}

// TestTAPReadByPerl reads the TAP report with Perl's TAP::Parser, the
// parser of prove: no parse error, no line it does not understand, at
// the top level and in each subtest, and the counts of the results.
func TestTAPReadByPerl(t *testing.T) {
	perl := needTool(t, "perl", "perl")
	var b bytes.Buffer
	results := append(fixtures(), quoted())
	if err := WriteTAP(&b, results, redactor()); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(perl, filepath.Join("testdata", "tapcheck.pl"))
	cmd.Stdin = &b
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 1+len(results) {
		t.Errorf("TAP::Parser read %d documents, want the top level and %d subtests:\n%s", len(lines), len(results), out)
	}
	for _, l := range lines {
		if !strings.HasSuffix(l, " unknown=0 errors=") {
			t.Errorf("TAP::Parser: %s", l)
		}
	}
	if want := "top\tplan=1..7 run=7 passed=2 failed=5 skipped=1 yaml=5"; !strings.HasPrefix(lines[0], want) {
		t.Errorf("TAP::Parser read %q, want %q", lines[0], want)
	}
}

// TestInvalidJUnitSchema validates the report of a run that did not start
// (invalid files) against junit-10.xsd, as TestJUnitSchema does a run's.
func TestInvalidJUnitSchema(t *testing.T) {
	xmllint := needTool(t, "xmllint", "libxml2-utils")
	var b bytes.Buffer
	if err := WriteInvalidJUnit(&b, invalidFixture(), JUnitXunit2); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "invalid.xml")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(xmllint, "--noout", "--schema", junitXSD, p).CombinedOutput(); err != nil {
		t.Errorf("the invalid-scenario report is not valid against junit-10.xsd: %v\n%s", err, out)
	}
}
