package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// consumer returns the path of a report consumer's program; missing, the
// test is skipped, unless CI is true: CI installs it (.ci/run).
func consumer(t *testing.T, name, debian string) string {
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

// hostileScenario fails on output with quotes, markup, CDATA's end and a
// control character, in a scenario and steps whose names have quotes.
const hostileScenario = `name: 'say "hi" & <bye>'
steps:
  - connect: tcp://{{ sandbox("echo-tcp") }}
    name: connect to "echo"
  - send: "it's \"quoted\" ]]> <tag> \u0007 & more\n"
  - expect: { line: true, equals: 'something "else"' }
    name: expect 'else'
    hint: Answer with "else" & nothing more.
`

// TestJUnitOfARunValidates runs netrun on a failing scenario full of
// markup and checks its JUnit file with xmllint against Jenkins' xunit
// junit-10.xsd, and the github flavour with Python's xml.etree.
func TestJUnitOfARunValidates(t *testing.T) {
	xmllint := consumer(t, "xmllint", "libxml2-utils")
	python := consumer(t, "python3", "python3")
	dir := t.TempDir()
	sc := filepath.Join(dir, "hostile.yaml")
	if err := os.WriteFile(sc, []byte(hostileScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	xunit, github := filepath.Join(dir, "r", "xunit.xml"), filepath.Join(dir, "r", "github.xml")
	var out, errb bytes.Buffer
	if st := netrun([]string{"--junit", xunit, sc}, &out, &errb); st != exitFailed {
		t.Fatalf("exit status %d, want 1\n%s%s", st, out.String(), errb.String())
	}
	if st := netrun([]string{"--junit", github, "--junit-flavor", "github", sc}, &out, &errb); st != exitFailed {
		t.Fatalf("exit status %d, want 1\n%s", st, errb.String())
	}
	xsd := filepath.Join("..", "..", "test", "schemas", "junit-10.xsd")
	if b, err := exec.Command(xmllint, "--noout", "--schema", xsd, xunit).CombinedOutput(); err != nil {
		t.Errorf("xmllint: %v\n%s", err, b)
	}
	for _, p := range []string{xunit, github} {
		if b, _ := os.ReadFile(p); bytes.Contains(b, []byte("&#34;")) {
			t.Errorf("%s has &#34;:\n%s", p, b)
		}
	}
	script := `import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
s = r.find("testsuite"); c = s.findall("testcase")
f = c[2].find("failure")
print(s.get("name")); print(c[0].get("name")); print(c[2].get("file"), c[2].get("line")); print("else" in f.get("message"), 'Answer with "else" & nothing more.' in f.text)`
	b, err := exec.Command(python, "-c", script, github).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "say \"hi\" & <bye>\nconnect to \"echo\"\n" + sc + " 6\nTrue True\n"
	if string(b) != want {
		t.Errorf("python read:\n%s\nwant:\n%s", b, want)
	}
}

// TestTAPOnStdoutReadByPerl runs netrun with --tap - and reads stdout with
// Perl's TAP::Parser.
func TestTAPOnStdoutReadByPerl(t *testing.T) {
	perl := consumer(t, "perl", "perl")
	dir := t.TempDir()
	sc := filepath.Join(dir, "hostile.yaml")
	if err := os.WriteFile(sc, []byte(hostileScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if st := netrun([]string{"--tap", "-", sc}, &out, &errb); st != exitFailed {
		t.Fatalf("exit status %d\n%s", st, errb.String())
	}
	if !strings.Contains(errb.String(), "FAIL") {
		t.Errorf("the console is not on stderr: %q", errb.String())
	}
	cmd := exec.Command(perl, filepath.Join("..", "..", "engine", "report", "testdata", "tapcheck.pl"))
	cmd.Stdin = &out
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "top\tplan=1..1 run=1 passed=0 failed=1") ||
		!strings.HasPrefix(lines[1], "say \"hi\" & <bye>\tplan=1..3 run=3 passed=2 failed=1") {
		t.Errorf("TAP::Parser read:\n%s", b)
	}
	for _, l := range lines {
		if !strings.HasSuffix(l, " unknown=0 errors=") {
			t.Errorf("TAP::Parser: %s", l)
		}
	}
}
