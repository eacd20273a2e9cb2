// Package report writes the results of scenario runs for people and for
// machines: a live console, JUnit XML, JSON and TAP version 14.
//
// Writers only read [engine.ScenarioResult] values. Every text they take from
// a result (names, messages, operands, received data, hints, transcripts,
// paths) passes through an [engine.Redactor] before it is written, so that no
// secret reaches any output.
package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/netrunhq/netrun/engine"
)

// scrub redacts text taken from results.
type scrub struct{ red *engine.Redactor }

// text returns s redacted (the Redactor also looks inside binary data
// rendered by engine.Quote).
func (c scrub) text(s string) string {
	if c.red == nil {
		return s
	}
	return c.red.Redact(s)
}

// counts tallies outcomes.
type counts struct {
	Total   int `json:"total"`
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Errored int `json:"error"`
	Skipped int `json:"skipped"`
}

func (c *counts) add(s engine.Status) {
	c.Total++
	switch s {
	case engine.Passed:
		c.Passed++
	case engine.Failed:
		c.Failed++
	case engine.Skipped:
		c.Skipped++
	default:
		c.Errored++
	}
}

// tally counts the scenarios and the steps of results.
func tally(results []*engine.ScenarioResult) (scenarios, steps counts) {
	for _, sc := range results {
		if sc == nil {
			continue
		}
		scenarios.add(sc.Status)
		for i := range sc.Steps {
			steps.add(sc.Steps[i].Status)
		}
	}
	return scenarios, steps
}

// hasPoints reports whether a step of sc carries grading points; only then
// is a score worth showing.
func hasPoints(sc *engine.ScenarioResult) bool {
	for i := range sc.Steps {
		if sc.Steps[i].MaxPoints != 0 {
			return true
		}
	}
	return false
}

// totalScore sums the scores of results; ok is false when no scenario has
// points.
func totalScore(results []*engine.ScenarioResult) (score, max float64, ok bool) {
	for _, sc := range results {
		if sc == nil {
			continue
		}
		ok = ok || hasPoints(sc)
		score += sc.Score
		max += sc.MaxScore
	}
	return score, max, ok
}

// wallTime is the time the results span: from the earliest start to the
// latest end when starts are known (scenarios may run in parallel), else
// the sum of their durations.
func wallTime(results []*engine.ScenarioResult) time.Duration {
	var first, last time.Time
	for _, sc := range results {
		if sc == nil {
			continue
		}
		if sc.Start.IsZero() {
			return sumOf(results)
		}
		if first.IsZero() || sc.Start.Before(first) {
			first = sc.Start
		}
		if end := sc.Start.Add(sc.Duration); end.After(last) {
			last = end
		}
	}
	return last.Sub(first)
}

func sumOf(results []*engine.ScenarioResult) time.Duration {
	var sum time.Duration
	for _, sc := range results {
		if sc != nil {
			sum += sc.Duration
		}
	}
	return sum
}

// stepFailure returns the failure of a step that failed or errored, making
// one up when the engine left it empty.
func stepFailure(st *engine.StepResult) *engine.Failure {
	if st.Status == engine.Passed && st.ExpectedFailure != "" {
		return &engine.Failure{Kind: engine.Passed, Message: expectedText(st)}
	}
	if st.Failure != nil || (st.Status != engine.Failed && st.Status != engine.Errored) {
		return st.Failure
	}
	return &engine.Failure{Kind: st.Status, Message: "step " + string(st.Status)}
}

// expectedText is what a step with fails: that passed shows: the failure
// it saw.
func expectedText(st *engine.StepResult) string {
	return "failed as expected: " + st.ExpectedFailure
}

// pseudoStep stands for the scenario itself in formats that need a test case
// to carry a result: when the scenario has no steps, or when it did not pass
// but none of its steps says why.
type pseudoStep struct {
	Name    string
	Status  engine.Status
	Failure *engine.Failure
}

// scenarioStep returns the pseudo step for sc, or nil when its steps tell the
// whole story.
func scenarioStep(sc *engine.ScenarioResult) *pseudoStep {
	broken := false
	for i := range sc.Steps {
		if s := sc.Steps[i].Status; s == engine.Failed || s == engine.Errored {
			broken = true
		}
	}
	ok := sc.Status == engine.Passed || sc.Status == engine.Skipped
	if len(sc.Steps) > 0 && (ok || broken) {
		return nil
	}
	p := &pseudoStep{Name: "scenario", Status: sc.Status, Failure: sc.Failure}
	if ok && p.Failure == nil {
		return p
	}
	if len(sc.Steps) == 0 {
		p.Name = "scenario setup"
	}
	if p.Failure == nil {
		msg := "scenario " + string(sc.Status)
		if sc.Interrupted {
			msg = "scenario interrupted"
		}
		p.Failure = &engine.Failure{Kind: sc.Status, Message: msg}
	}
	switch p.Failure.Kind {
	case engine.Failed, engine.Errored:
		p.Status = p.Failure.Kind
	default:
		p.Status = engine.Errored
	}
	return p
}

// uniqueNames hands out names that are unique within one list (the steps of
// a scenario, or the suites of a report): a name
// seen before gets a suffix " (2)", " (3)" and so on.
type uniqueNames map[string]bool

func (u uniqueNames) get(name string) string {
	if name == "" {
		name = "step"
	}
	n := name
	for i := 2; u[n]; i++ {
		n = name + " (" + strconv.Itoa(i) + ")"
	}
	u[n] = true
	return n
}

// seconds formats d as seconds with a decimal point: "0.012".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}

// number formats a score without needless decimals: 3, 2.5.
func number(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// position formats where a step is, falling back to the scenario's file.
func position(p engine.Pos, file string) string {
	if p.File == "" {
		p.File = file
	}
	return p.String()
}

// oneLine folds line breaks into spaces, for formats that are line based.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)
}

// Kinds of detail lines.
const (
	detailAt       = 'a'
	detailExpr     = 'e'
	detailOperand  = 'o'
	detailMessage  = 'm'
	detailReceived = 'r'
	detailHint     = 'h'
)

// detail is one line (or a few, for multi-line text) that explains a failure.
type detail struct {
	kind byte
	text string
}

// details explains a failure for a person: where, the assertion with the
// value of each operand aligned under it, the message, the tail of what was
// received, the exceptions the programs under test printed, and the hint. Every text is redacted.
func details(c scrub, at string, f *engine.Failure, hint string) []detail {
	var out []detail
	if at != "" {
		out = append(out, detail{detailAt, "at " + c.text(at)})
	}
	if f != nil && f.Expr != "" {
		const lead = "assert "
		out = append(out, detail{detailExpr, lead + c.text(f.Expr)})
		width := 0
		exprs := make([]string, len(f.Operands))
		for i, op := range f.Operands {
			exprs[i] = c.text(op.Expr)
			width = max(width, utf8.RuneCountInString(exprs[i]))
		}
		for i, op := range f.Operands {
			pad := strings.Repeat(" ", width-utf8.RuneCountInString(exprs[i]))
			cont := "\n" + strings.Repeat(" ", len(lead)+width+3)
			value := strings.ReplaceAll(c.text(op.Value), "\n", cont)
			out = append(out, detail{detailOperand, strings.Repeat(" ", len(lead)) + exprs[i] + pad + " = " + value})
		}
	}
	if f != nil && f.Message != "" {
		out = append(out, detail{detailMessage, c.text(f.Message)})
	}
	if f != nil && f.Received != "" {
		out = append(out, detail{detailReceived, "received: " + c.text(f.Received)})
	}
	if f != nil && len(f.Exceptions) > 0 {
		out = append(out, detail{detailExceptions, exceptionText(c, f.Exceptions)})
	}
	if hint != "" {
		out = append(out, detail{detailHint, "hint: " + c.text(hint)})
	}
	return out
}

// detailText joins details into plain text, one per line.
func detailText(ds []detail) string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.text
	}
	return strings.Join(lines, "\n")
}

// visible shows control characters other than tab and line feed, bidi
// overrides and bytes that are not UTF-8 as Go escapes (\x1b, \r,
// \u202e, \xff), so that text from a peer cannot drive a terminal or
// disguise itself.
func visible(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, hidden) < 0 {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "\\x%02x", s[0])
		case hidden(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}

func hidden(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case unicode.IsControl(r), r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0xFFFE, r == 0xFFFF:
		return true
	}
	return false
}
