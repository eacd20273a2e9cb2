package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/netrunhq/netrun/engine"
)

func console(color, verbose bool) []byte {
	var b bytes.Buffer
	c := &Console{W: &b, Color: color, Verbose: verbose, Redactor: redactor()}
	results := fixtures()
	for _, sc := range results {
		c.Report(sc)
	}
	c.Summary(results)
	return b.Bytes()
}

func TestConsole(t *testing.T) {
	for _, tc := range []struct {
		name           string
		color, verbose bool
	}{{"console.golden", false, false}, {"console_verbose.golden", false, true}, {"console_color.golden", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			out := console(tc.color, tc.verbose)
			golden(t, tc.name, out)
			noSecrets(t, tc.name, out)
			if esc := bytes.Contains(out, []byte("\x1b[")); esc != tc.color {
				t.Errorf("ANSI escapes present = %v, want %v", esc, tc.color)
			}
		})
	}
}

func TestConsoleLive(t *testing.T) {
	// Steps arrive one by one; the header is written once, before the first.
	var b bytes.Buffer
	c := &Console{W: &b}
	sc := fixtures()[4]
	c.Step(sc, &sc.Steps[0])
	c.Step(sc, &sc.Steps[1])
	c.Scenario(sc)
	want := "Echo (scenarios/echo.yaml)\n" +
		"  ✓ send hello  1.5ms\n" +
		"  ✓ expect hello  19ms\n" +
		"✓ PASS Echo  21ms\n\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestConsoleOperandsAligned(t *testing.T) {
	out := string(console(false, false))
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if !strings.Contains(l, "assert result.reply.code == 250") {
			continue
		}
		col := strings.Index(l, "result")
		eq := -1
		for _, op := range lines[i+1 : i+4] {
			if len(op)-len(strings.TrimLeft(op, " ")) != col {
				t.Errorf("operand not under the expression: %q", op)
			}
			if e := strings.Index(op, " = "); eq != -1 && e != eq {
				t.Errorf("operand values not aligned: %q", op)
			} else {
				eq = e
			}
		}
		return
	}
	t.Fatal("assertion not found")
}

// junitDoc is what a CI system reads back.
type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name    string `xml:"name,attr"`
			Class   string `xml:"classname,attr"`
			Time    string `xml:"time,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Body    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
				Body    string `xml:",chardata"`
			} `xml:"error"`
			Skipped *struct{} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnit(t *testing.T) {
	for _, fl := range []JUnitFlavor{JUnitXunit2, JUnitGitHub} {
		t.Run(string(fl), func(t *testing.T) { testJUnit(t, fl) })
	}
}

func testJUnit(t *testing.T, fl JUnitFlavor) {
	var b bytes.Buffer
	if err := fl.Write(&b, fixtures(), redactor()); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	if fl == JUnitXunit2 {
		golden(t, "junit.golden.xml", out)
	} else {
		golden(t, "junit_github.golden.xml", out)
	}
	noSecrets(t, "junit", out)
	for i, r := range string(out) {
		legal := r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) ||
			(r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000
		if !legal || (r == utf8.RuneError && !strings.HasPrefix(string(out[i:]), "\ufffd")) {
			t.Errorf("character illegal in XML at %d: %U", i, r)
		}
	}
	var doc junitDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	var tests, failures, errors, skipped int
	for _, s := range doc.Suites {
		if len(s.Cases) == 0 {
			t.Errorf("suite %q has no testcase", s.Name)
		}
		seen := map[string]bool{}
		var f, e, k int
		for _, c := range s.Cases {
			if seen[c.Name] {
				t.Errorf("suite %q: testcase name %q twice", s.Name, c.Name)
			}
			seen[c.Name] = true
			if c.Class != s.Name {
				t.Errorf("classname %q, want %q", c.Class, s.Name)
			}
			if !regexp.MustCompile(`^\d+\.\d{3}$`).MatchString(c.Time) {
				t.Errorf("time %q is not seconds with a decimal point", c.Time)
			}
			switch {
			case c.Failure != nil:
				f++
				if !strings.Contains(c.Failure.Body, c.Failure.Message) {
					t.Errorf("failure body lacks the message %q", c.Failure.Message)
				}
			case c.Error != nil:
				e++
				if !strings.Contains(c.Error.Body, c.Error.Message) {
					t.Errorf("error body lacks the message %q", c.Error.Message)
				}
			case c.Skipped != nil:
				k++
			}
		}
		if s.Tests != len(s.Cases) || s.Failures != f || s.Errors != e || s.Skipped != k {
			t.Errorf("suite %q counts %d/%d/%d/%d, want %d/%d/%d/%d", s.Name,
				s.Tests, s.Failures, s.Errors, s.Skipped, len(s.Cases), f, e, k)
		}
		tests, failures, errors, skipped = tests+s.Tests, failures+s.Failures, errors+s.Errors, skipped+s.Skipped
	}
	if fl == JUnitXunit2 {
		skipped = 0 // junit-10.xsd has no skipped count on testsuites
	}
	if len(doc.Suites) != 6 || doc.Tests != tests || doc.Failures != failures || doc.Errors != errors || doc.Skipped != skipped {
		t.Errorf("testsuites: %d suites, counts %d/%d/%d/%d, want 6 and %d/%d/%d/%d", len(doc.Suites),
			doc.Tests, doc.Failures, doc.Errors, doc.Skipped, tests, failures, errors, skipped)
	}
	// The mail scenario: 6 steps, 1 failure, 1 error, 2 skipped, and the
	// second "close" renamed.
	mail := doc.Suites[0]
	if mail.Tests != 6 || mail.Failures != 1 || mail.Errors != 1 || mail.Skipped != 2 || mail.Cases[5].Name != "close (2)" {
		t.Errorf("mail suite: %+v", mail)
	}
	if c := doc.Suites[1].Cases; len(c) != 1 || c[0].Name != "scenario setup" || c[0].Error == nil {
		t.Errorf("scenario without steps: %+v", c)
	}
	if c := doc.Suites[3].Cases; len(c) != 2 || c[1].Name != "scenario" || c[1].Error == nil {
		t.Errorf("scenario failed outside its steps: %+v", c)
	}
	if m := doc.Suites[2].Cases[0].Failure.Message; !strings.Contains(m, "]]>") || strings.ContainsRune(m, 0) {
		t.Errorf("message with ]]> and NUL: %q", m)
	}
}

func TestJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, fixtures(), redactor()); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	golden(t, "results.golden.json", out)
	noSecrets(t, "json", out)

	// It reads back into the engine's own types.
	var doc struct {
		Version   int                      `json:"version"`
		Scenarios []*engine.ScenarioResult `json:"scenarios"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	in := fixtures()
	if doc.Version != 1 || len(doc.Scenarios) != len(in) {
		t.Fatalf("version %d, %d scenarios", doc.Version, len(doc.Scenarios))
	}
	for i, got := range doc.Scenarios {
		want := in[i]
		if got.Name != want.Name || got.Status != want.Status || got.Duration != want.Duration ||
			!got.Start.Equal(want.Start) || len(got.Steps) != len(want.Steps) || got.Score != want.Score {
			t.Errorf("scenario %d: got %+v, want %+v", i, got, want)
		}
		for j := range got.Steps {
			g, w := got.Steps[j], want.Steps[j]
			if g.Name != w.Name || g.Pos != w.Pos || g.Status != w.Status || g.Duration != w.Duration ||
				(g.Failure == nil) != (w.Failure == nil) || len(g.Transcript) != len(w.Transcript) {
				t.Errorf("scenario %d step %d: got %+v, want %+v", i, j, g, w)
			}
		}
	}
	// A second round gives the same document.
	var again bytes.Buffer
	if err := WriteJSON(&again, doc.Scenarios, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), out) {
		t.Errorf("JSON does not round-trip:\n%s", again.Bytes())
	}
}

func TestRedactJSONKeepsStructure(t *testing.T) {
	in := `{"a":[1,2.5e3,true,null,{"k":"v1234"}],"1234":{},"e":[]}`
	out, err := redactJSON([]byte(in), func(s string) string { return strings.ReplaceAll(s, "1234", "***") })
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"a":[1,2.5e3,true,null,{"k":"v***"}],"***":{},"e":[]}`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
}

func TestTAP(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTAP(&b, fixtures(), redactor()); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	golden(t, "tap.golden.tap", out)
	noSecrets(t, "tap", out)
	checkTAP(t, string(out))
}

// checkTAP checks the structure of a TAP 14 document with one level of
// subtests: plans match the test points, points are numbered in order, a
// named subtest ends with a matching point, and YAML blocks are closed.
func checkTAP(t *testing.T, doc string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(doc, "\n"), "\n")
	if lines[0] != "TAP version 14" {
		t.Fatalf("first line %q", lines[0])
	}
	point := regexp.MustCompile(`^(not )?ok (\d+) - (.*?)(?: # SKIP.*)?$`)
	plan := func(l string) int {
		n, err := strconv.Atoi(strings.TrimPrefix(l, "1.."))
		if !strings.HasPrefix(l, "1..") || err != nil {
			t.Fatalf("want a plan, got %q", l)
		}
		return n
	}
	top := plan(lines[1])
	var (
		n, childPlan, child int
		subtest             string
		inYAML              bool
	)
	for _, l := range lines[2:] {
		indent := "  "
		if strings.HasPrefix(l, "    ") {
			indent = "      "
		}
		switch {
		case inYAML:
			if !strings.HasPrefix(l, indent) {
				t.Fatalf("YAML line not indented: %q", l)
			}
			inYAML = strings.TrimSpace(l) != "..."
		case strings.TrimSpace(l) == "---":
			inYAML = true
		case strings.HasPrefix(l, "# Subtest: "):
			subtest, child, childPlan = strings.TrimPrefix(l, "# Subtest: "), 0, -1
		case strings.HasPrefix(l, "    1.."):
			childPlan = plan(l[4:])
		case strings.HasPrefix(l, "    "):
			m := point.FindStringSubmatch(l[4:])
			if child++; m == nil || m[2] != strconv.Itoa(child) {
				t.Fatalf("want subtest point %d, got %q", child, l)
			}
		default:
			m := point.FindStringSubmatch(l)
			if n++; m == nil || m[2] != strconv.Itoa(n) {
				t.Fatalf("want point %d, got %q", n, l)
			}
			desc := strings.NewReplacer(`\\`, `\`, `\#`, "#").Replace(m[3])
			if desc != subtest || childPlan != child || child == 0 {
				t.Errorf("point %q ends subtest %q with plan %d and %d points", l, subtest, childPlan, child)
			}
		}
	}
	if inYAML || n != top {
		t.Errorf("plan 1..%d, %d points, YAML open %v", top, n, inYAML)
	}
}

func TestScrubHex(t *testing.T) {
	data := append([]byte{0, 0xfe}, canary...)
	q := engine.Quote(data, 512)
	got := scrub{redactor()}.text("received: " + q)
	noSecrets(t, "hex", []byte(got))
	if !strings.HasPrefix(got, "received: hex: 00 fe 2a 2a 2a") {
		t.Errorf("got %q", got)
	}
	if s := (scrub{redactor()}).text("hex: 00 01"); s != "hex: 00 01" {
		t.Errorf("clean hex changed: %q", s)
	}
}

func TestNilRedactorAndEmpty(t *testing.T) {
	for name, write := range map[string]func(*bytes.Buffer) error{
		"junit": func(b *bytes.Buffer) error { return WriteJUnit(b, nil, nil) },
		"json":  func(b *bytes.Buffer) error { return WriteJSON(b, nil, nil) },
		"tap":   func(b *bytes.Buffer) error { return WriteTAP(b, nil, nil) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil || b.Len() == 0 {
			t.Errorf("%s: %v, %q", name, err, b.String())
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

func TestWriteErrors(t *testing.T) {
	for name, err := range map[string]error{
		"junit": WriteJUnit(failWriter{}, fixtures(), nil),
		"json":  WriteJSON(failWriter{}, fixtures(), nil),
		"tap":   WriteTAP(failWriter{}, fixtures(), nil),
	} {
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestJUnitSameScenarioNames checks that two scenarios of one name give
// suites and classnames that differ, so that CI tools keying tests on
// classname and name see no duplicates.
func TestJUnitSameScenarioNames(t *testing.T) {
	one := fixtures()[4]
	two := *one
	var b bytes.Buffer
	if err := WriteJUnit(&b, []*engine.ScenarioResult{one, &two}, nil); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Classname != s.Name {
				t.Errorf("case %q of suite %q has classname %q", c.Name, s.Name, c.Classname)
			}
			key := c.Classname + "\x00" + c.Name
			if seen[key] {
				t.Errorf("duplicate testcase %q / %q", c.Classname, c.Name)
			}
			seen[key] = true
		}
	}
	if len(doc.Suites) != 2 || doc.Suites[1].Name != doc.Suites[0].Name+" (2)" {
		t.Errorf("suites %q", []string{doc.Suites[0].Name, doc.Suites[1].Name})
	}
}
