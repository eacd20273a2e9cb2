package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
)

// Caps on what one graded test shows, so that a results file stays far
// below the size that grading platforms accept (PrairieLearn: 1 MB).
const (
	maxTestOutput      = 8 << 10
	maxTranscriptShown = 30
)

// gradedTest is one test case of a grading report: a step that carries
// points or failed, or a scenario without points, worth 1.
type gradedTest struct {
	name        string // "Scenario: step"
	number      string // "1.2": scenario and step
	score, max  float64
	passed      bool
	hidden      bool     // its visibility is not visible
	visibility  string   // visible, hidden, after_due_date, after_published
	tags        []string // the scenario's
	message     string   // the failure message and the hint, for one line
	output      string   // the failure's details and the transcript's tail
	description string   // where the step is
	duration    time.Duration
}

// gradedTests lists the test cases of results. A scenario with points gives
// a test for each step that carries points or did not pass (a step that
// failed explains why the steps after it earned nothing), and one for a
// failure outside any step; a scenario without points gives one test worth
// 1 point. Every text is redacted.
func gradedTests(c scrub, results []*engine.ScenarioResult) []gradedTest {
	var out []gradedTest
	n := 0
	for _, sc := range results {
		if sc == nil {
			continue
		}
		n++
		if sc.Status == engine.Skipped {
			continue // not selected: nothing to grade
		}
		tests := scenarioTests(c, n, sc)
		for i := range tests {
			tests[i].tags = scrubTags(c, sc.Tags)
		}
		out = append(out, tests...)
	}
	return out
}

// scrubTags returns tags redacted, or nil.
func scrubTags(c scrub, tags []string) []string {
	var out []string
	for _, t := range tags {
		out = append(out, visible(c.text(t)))
	}
	return out
}

// scenarioTests lists the tests of the scenario numbered n.
func scenarioTests(c scrub, n int, sc *engine.ScenarioResult) []gradedTest {
	var out []gradedTest
	name := visible(c.text(sc.Name))
	if !hasPoints(sc) {
		t := gradedTest{name: name, number: strconv.Itoa(n), score: sc.Score, max: sc.MaxScore,
			passed: sc.Status == engine.Passed, visibility: "visible", duration: sc.Duration,
			description: c.text(sc.File)}
		if !t.passed {
			t.message, t.output = scenarioFailure(c, sc)
			t.message, t.output = visible(t.message), visible(t.output)
		}
		return append(out, t)
	}
	for i := range sc.Steps {
		st := &sc.Steps[i]
		if st.MaxPoints == 0 && (st.Status == engine.Passed || st.Status == engine.Skipped) {
			continue
		}
		out = append(out, stepTest(c, name, fmt.Sprintf("%d.%d", n, st.Index), sc, st))
	}
	if p := scenarioStep(sc); p != nil && p.Status != engine.Passed {
		msg := visible(failureLine(c, p.Failure, ""))
		out = append(out, gradedTest{name: name + ": " + p.Name, number: fmt.Sprintf("%d.0", n),
			visibility: "visible", message: msg, output: msg, description: c.text(sc.File)})
	}
	return out
}

// stepTest is the test case of one step.
func stepTest(c scrub, scenario, number string, sc *engine.ScenarioResult, st *engine.StepResult) gradedTest {
	t := gradedTest{name: scenario + ": " + visible(c.text(st.Name)), number: number, score: st.Points, max: st.MaxPoints,
		passed: st.Status == engine.Passed, visibility: st.Visibility, duration: st.Duration,
		description: c.text(position(st.Pos, sc.File))}
	if t.visibility == "" {
		t.visibility = "visible"
	}
	t.hidden = t.visibility != "visible"
	if t.passed {
		if st.ExpectedFailure != "" {
			t.output = visible(c.text(expectedText(st)))
		}
		return t
	}
	f := stepFailure(st)
	if f == nil {
		f = &engine.Failure{Kind: st.Status, Message: "step " + string(st.Status)}
	}
	t.message = visible(failureLine(c, f, st.Hint))
	t.output = visible(capText(detailText(details(c, "", f, st.Hint)) + transcriptTail(c, st.Transcript)))
	return t
}

// scenarioFailure explains why a scenario without points did not pass:
// its first failed step, or its own failure. A step that is not visible to
// students is named, without its details.
func scenarioFailure(c scrub, sc *engine.ScenarioResult) (message, output string) {
	for i := range sc.Steps {
		st := &sc.Steps[i]
		if st.Status != engine.Failed && st.Status != engine.Errored {
			continue
		}
		if st.Visibility != "" && st.Visibility != "visible" {
			// The scenario's test is visible; this step's details are not.
			msg := c.text(st.Name) + ": " + hiddenDetails
			return msg, msg
		}
		f := stepFailure(st)
		at := c.text(st.Name) + " (" + position(st.Pos, sc.File) + ")"
		return c.text(st.Name) + ": " + failureLine(c, f, st.Hint),
			capText("step " + at + "\n" + detailText(details(c, "", f, st.Hint)) + transcriptTail(c, st.Transcript))
	}
	if p := scenarioStep(sc); p != nil && p.Failure != nil {
		msg := failureLine(c, p.Failure, "")
		return msg, msg
	}
	return "scenario " + string(sc.Status), "scenario " + string(sc.Status)
}

// failureLine is a failure's message, its first line only, with the line
// that names the first exception a program printed, and the hint.
func failureLine(c scrub, f *engine.Failure, hint string) string {
	msg := ""
	if f != nil {
		msg, _, _ = strings.Cut(c.text(f.Message), "\n")
		if e := exceptionLine(c, f.Exceptions); e != "" {
			msg += " (" + e + ")"
		}
	}
	if hint != "" {
		msg += " (hint: " + c.text(hint) + ")"
	}
	return msg
}

// transcriptTail shows the last lines of a transcript, where the output of
// a program under test and what the peer sent last are.
func transcriptTail(c scrub, lines []engine.TranscriptLine) string {
	if len(lines) == 0 {
		return ""
	}
	var b strings.Builder
	shown := lines
	if len(shown) > maxTranscriptShown {
		shown = shown[len(shown)-maxTranscriptShown:]
		fmt.Fprintf(&b, "\n\ntranscript (the last %d of %d lines):", len(shown), len(lines))
	} else {
		b.WriteString("\n\ntranscript:")
	}
	for _, l := range shown {
		b.WriteString("\n  " + l.Dir + " " + c.text(l.Text))
	}
	return b.String()
}

// capText cuts s to maxTestOutput bytes, keeping its beginning, where the
// failure is explained.
func capText(s string) string {
	if len(s) <= maxTestOutput {
		return s
	}
	cut := maxTestOutput
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + fmt.Sprintf("\n… (%d more bytes)", len(s)-cut)
}

// summaryText is a few lines about the whole run: the score and each
// scenario's outcome.
func summaryText(c scrub, results []*engine.ScenarioResult) string {
	score, max := 0.0, 0.0
	var lines []string
	for _, sc := range results {
		if sc == nil {
			continue
		}
		score += sc.Score
		max += sc.MaxScore
		line := fmt.Sprintf("%s %s: %s/%s", markOf(sc.Status), visible(c.text(sc.Name)), number(sc.Score), number(sc.MaxScore))
		if sc.Interrupted {
			line += " (interrupted)"
		}
		lines = append(lines, line)
	}
	return "score " + number(score) + "/" + number(max) + "\n" + strings.Join(lines, "\n")
}

// markOf is a plain-text mark for a status.
func markOf(s engine.Status) string {
	switch s {
	case engine.Passed:
		return "passed"
	case engine.Skipped:
		return "skipped"
	case engine.Failed:
		return "FAILED"
	}
	return "ERROR"
}

// writeRedactedJSON marshals doc, redacts every string in it, indents it
// and writes it to w.
func writeRedactedJSON(w io.Writer, doc any, red *engine.Redactor, what string) error {
	raw, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	raw, err = redactJSON(raw, scrub{red}.text)
	if err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	out.WriteByte('\n')
	if _, err := w.Write(out.Bytes()); err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	return nil
}
