package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/netrunhq/netrun/engine"
)

// JUnit XML, in the shape CI systems read (Jenkins, GitLab, GitHub
// actions): testsuites > one testsuite per scenario > one testcase per step.
type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	Name    string   `xml:"name,attr"`
	junitCounts
	Suites []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name string `xml:"name,attr"`
	junitCounts
	Timestamp  string           `xml:"timestamp,attr,omitempty"`
	File       string           `xml:"file,attr,omitempty"`
	Properties *junitProperties `xml:"properties,omitempty"`
	Cases      []junitCase      `xml:"testcase"`
	SystemErr  *junitText       `xml:"system-err,omitempty"`
}

// junitCounts are the counts of test cases and the time of a testsuites
// or a testsuite element.
type junitCounts struct {
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Errors   int    `xml:"errors,attr"`
	Skipped  int    `xml:"skipped,attr"`
	Time     string `xml:"time,attr"`
}

// add adds the counts of o (not its time).
func (c *junitCounts) add(o junitCounts) {
	c.Tests += o.Tests
	c.Failures += o.Failures
	c.Errors += o.Errors
	c.Skipped += o.Skipped
}

// attrs returns the counts and the time as attributes, skipped only when
// skipped is true.
func (c *junitCounts) attrs(skipped bool) []xmlAttr {
	return []xmlAttr{attr("tests", strconv.Itoa(c.Tests)), attr("failures", strconv.Itoa(c.Failures)),
		attr("errors", strconv.Itoa(c.Errors)), {"skipped", strconv.Itoa(c.Skipped), skipped}, attr("time", c.Time)}
}

type junitProperties struct {
	List []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

// junitText is element text, written escaped by xmlText, so that line
// breaks stay line breaks in the file.
type junitText struct {
	Text string `xml:",chardata"`
}

func newJUnitText(s string) *junitText {
	if s == "" {
		return nil
	}
	return &junitText{s}
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

// junitTimestamp is the JUnit schema's timestamp: ISO 8601 without a zone,
// which we write in UTC.
const junitTimestamp = "2006-01-02T15:04:05"

// JUnitFlavor is the dialect of JUnit XML a report is written in, as
// pytest's junit_family chooses one.
type JUnitFlavor string

// The flavours. JUnitXunit2, the default, is valid against the schema that
// Jenkins' xunit plugin validates JUnit files with (junit-10.xsd, which
// pytest's default output also follows): the place of a step is in its
// failure's text, not in attributes the schema does not have. JUnitGitHub
// adds the file and line attributes of each testcase, which the GitHub
// reporters (mikepenz/action-junit-report,
// EnricoMi/publish-unit-test-result-action) use to annotate the line, and
// the skipped count of testsuites.
const (
	JUnitXunit2 JUnitFlavor = "xunit2"
	JUnitGitHub JUnitFlavor = "github"
)

// ParseJUnitFlavor returns the flavour named s.
func ParseJUnitFlavor(s string) (JUnitFlavor, error) {
	switch f := JUnitFlavor(s); f {
	case JUnitXunit2, JUnitGitHub:
		return f, nil
	}
	return "", fmt.Errorf("unknown JUnit flavour %q: xunit2 (the default, Jenkins' junit-10.xsd) or github (file and line on each testcase)", s)
}

// WriteJUnit writes results as JUnit XML of the default flavour,
// JUnitXunit2; see [JUnitFlavor.Write].
func WriteJUnit(w io.Writer, results []*engine.ScenarioResult, red *engine.Redactor) error {
	return JUnitXunit2.Write(w, results, red)
}

// Write writes results as JUnit XML of flavour fl: a testsuite per
// scenario and a testcase per step. A check that did not hold is a
// <failure>, an error of the network, the peer or the environment an
// <error>, a skipped step <skipped>; the message is both in the message
// attribute and in the body, which starts with the step's place
// (file:line:col) and adds the assertion's operands, the tail of what was
// received and the hint. A step's transcript is its <system-out>. A
// scenario that failed outside its steps gets a testcase of its own
// ("scenario setup" when it has no steps), so that every suite has a
// testcase and its counts show the failure. Text is redacted with red,
// characters that XML 1.0 does not allow are removed, and quotes are
// written as they are in text and as &quot; in attributes.
func (fl JUnitFlavor) Write(w io.Writer, results []*engine.ScenarioResult, red *engine.Redactor) error {
	c := scrub{red}
	doc := junitSuites{Name: "netrun", junitCounts: junitCounts{Time: seconds(wallTime(results))}}
	suiteNames := uniqueNames{}
	for _, sc := range results {
		if sc == nil {
			continue
		}
		s := junitSuiteOf(c, sc)
		if unique := suiteNames.get(s.Name); unique != s.Name {
			// Two scenarios of one name: the second suite and its cases'
			// classname become "name (2)", so that every classname and
			// name pair is unique.
			s.Name = unique
			for i := range s.Cases {
				s.Cases[i].Classname = unique
			}
		}
		doc.add(s.junitCounts)
		doc.Suites = append(doc.Suites, s)
	}
	return writeJUnitDoc(w, &doc, fl)
}

// writeJUnitDoc writes doc as JUnit XML of flavour fl. Texts in doc are
// plain (not escaped); the writer escapes them.
func writeJUnitDoc(w io.Writer, doc *junitSuites, fl JUnitFlavor) error {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	doc.elem(fl == JUnitGitHub).write(&b, 0)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	return nil
}

// elem is the document; github adds the attributes that junit-10.xsd does
// not have.
func (d *junitSuites) elem(github bool) *xmlElem {
	root := &xmlElem{name: "testsuites", attrs: append([]xmlAttr{attr("name", d.Name)}, d.attrs(github)...)}
	for i := range d.Suites {
		root.add(d.Suites[i].elem(github))
	}
	return root
}

func (s *junitSuite) elem(github bool) *xmlElem {
	attrs := append([]xmlAttr{attr("name", s.Name)}, s.attrs(true)...)
	e := &xmlElem{name: "testsuite", attrs: append(attrs, optAttr("timestamp", s.Timestamp), optAttr("file", s.File))}
	if s.Properties != nil {
		props := &xmlElem{name: "properties"}
		for _, p := range s.Properties.List {
			props.add(&xmlElem{name: "property", attrs: []xmlAttr{attr("name", p.Name), attr("value", p.Value)}})
		}
		e.add(props)
	}
	for i := range s.Cases {
		e.add(s.Cases[i].elem(github))
	}
	return e.add(s.SystemErr.elem("system-err"))
}

func (tc *junitCase) elem(github bool) *xmlElem {
	line := ""
	if tc.Line > 0 {
		line = strconv.Itoa(tc.Line)
	}
	e := &xmlElem{name: "testcase", attrs: []xmlAttr{attr("name", tc.Name), attr("classname", tc.Classname),
		{"file", tc.File, github && tc.File != ""}, {"line", line, github && line != ""}, attr("time", tc.Time)}}
	if tc.Skipped != nil {
		e.add(&xmlElem{name: "skipped", attrs: []xmlAttr{optAttr("message", tc.Skipped.Message)}})
	}
	e.add(tc.Failure.elem("failure")).add(tc.Error.elem("error"))
	return e.add(tc.SystemOut.elem("system-out"))
}

func (p *junitProblem) elem(name string) *xmlElem {
	if p == nil {
		return nil
	}
	return &xmlElem{name: name, attrs: []xmlAttr{attr("message", p.Message), attr("type", p.Type)}, text: p.Body}
}

func (t *junitText) elem(name string) *xmlElem {
	if t == nil {
		return nil
	}
	return &xmlElem{name: name, text: t.Text}
}

func junitSuiteOf(c scrub, sc *engine.ScenarioResult) junitSuite {
	x := func(s string) string { return xmlClean(c.text(s)) }
	name := x(sc.Name)
	s := junitSuite{Name: name, junitCounts: junitCounts{Time: seconds(sc.Duration)}, File: x(sc.File)}
	if !sc.Start.IsZero() {
		s.Timestamp = sc.Start.UTC().Format(junitTimestamp)
	}
	s.Properties = junitPropertiesOf(sc, x)
	names := uniqueNames{}
	for i := range sc.Steps {
		st := &sc.Steps[i]
		pos := st.Pos
		if pos.File == "" {
			pos.File = sc.File
		}
		tc := junitCase{
			Name:      names.get(x(oneLine(st.Name))),
			Classname: name,
			File:      x(pos.File),
			Line:      pos.Line,
			Time:      seconds(st.Duration),
			SystemOut: newJUnitText(x(junitOut(c, st))),
		}
		junitOutcome(c, &tc, st.Status, stepFailure(st), position(st.Pos, sc.File), st.Hint)
		s.Cases = append(s.Cases, tc)
	}
	if p := scenarioStep(sc); p != nil {
		tc := junitCase{Name: names.get(p.Name), Classname: name, File: s.File, Time: seconds(0)}
		if len(sc.Steps) == 0 {
			tc.Time = s.Time
		}
		junitOutcome(c, &tc, p.Status, p.Failure, sc.File, "")
		s.Cases = append(s.Cases, tc)
	} else if sc.Failure != nil {
		s.SystemErr = newJUnitText(x(detailText(details(c, sc.File, sc.Failure, ""))))
	}
	for _, tc := range s.Cases {
		s.Tests++
		switch {
		case tc.Failure != nil:
			s.Failures++
		case tc.Error != nil:
			s.Errors++
		case tc.Skipped != nil:
			s.Skipped++
		}
	}
	return s
}

// junitPropertiesOf returns the properties of a scenario's testsuite
// (description, tags, score and max_score, interrupted), texts cleaned
// with x; nil for none.
func junitPropertiesOf(sc *engine.ScenarioResult, x func(string) string) *junitProperties {
	var props []junitProperty
	if sc.Description != "" {
		props = append(props, junitProperty{"description", x(sc.Description)})
	}
	if len(sc.Tags) > 0 {
		props = append(props, junitProperty{"tags", x(strings.Join(sc.Tags, ","))})
	}
	if hasPoints(sc) {
		props = append(props, junitProperty{"score", number(sc.Score)}, junitProperty{"max_score", number(sc.MaxScore)})
	}
	if sc.Interrupted {
		props = append(props, junitProperty{"interrupted", "true"})
	}
	if len(props) == 0 {
		return nil
	}
	return &junitProperties{props}
}

// junitOutcome sets the failure, error or skipped element of tc.
func junitOutcome(c scrub, tc *junitCase, status engine.Status, f *engine.Failure, at, hint string) {
	switch status {
	case engine.Passed:
		return
	case engine.Skipped:
		tc.Skipped = &junitSkipped{}
		if f != nil {
			tc.Skipped.Message = xmlClean(c.text(f.Message))
		}
		return
	}
	if f == nil {
		f = &engine.Failure{Kind: status, Message: "step " + string(status)}
	}
	p := &junitProblem{
		Message: xmlClean(c.text(f.Message)),
		Type:    "error",
		Body:    xmlClean(detailText(details(c, at, f, hint))),
	}
	if status == engine.Failed {
		p.Type = "mismatch"
		if f.Expr != "" {
			p.Type = "assertion"
		}
		tc.Failure = p
		return
	}
	tc.Error = p
}

// transcriptText renders a transcript one entry a line: "> sent".
func transcriptText(c scrub, t []engine.TranscriptLine) string {
	var b strings.Builder
	for _, l := range t {
		b.WriteString(l.Dir + " " + c.text(l.Text) + "\n")
	}
	return b.String()
}

// xmlClean removes the characters XML 1.0 does not allow, and bytes that are
// not UTF-8.
func xmlClean(s string) string {
	keep := func(i int, r rune) bool {
		if r == utf8.RuneError {
			// A U+FFFD written as such is fine; a byte that is not UTF-8 is not.
			return strings.HasPrefix(s[i:], "\uFFFD")
		}
		return r == 0x9 || r == 0xA || r == 0xD ||
			(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
	}
	clean := true
	for i, r := range s {
		if !keep(i, r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if keep(i, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// junitOut is a step's <system-out>: its transcript, after the failure a
// step with fails: saw when the transcript does not show it.
func junitOut(c scrub, st *engine.StepResult) string {
	out := transcriptText(c, st.Transcript)
	if st.Status == engine.Passed && st.ExpectedFailure != "" {
		if e := c.text(expectedText(st)); !strings.Contains(out, e) {
			out = e + "\n" + out
		}
	}
	return out
}
