package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/netrunhq/netrun/engine"
)

// Console writes results for a person reading a terminal: one line per step
// as it finishes, the details of each failure, a line per scenario and a
// summary of the run.
//
// Call Step after each step, Scenario when a scenario ends, and Summary once
// at the end; Report replays a finished scenario. The methods are safe for
// concurrent use. Errors writing to W are ignored: the console is a view,
// not a record.
type Console struct {
	// W receives the output.
	W io.Writer
	// Color turns on ANSI colours. The CLI sets it on a terminal without
	// NO_COLOR.
	Color bool
	// Verbose adds each step's protocol transcript.
	Verbose bool
	// Redactor removes secrets from every text written; nil writes as is.
	Redactor *engine.Redactor

	mu   sync.Mutex
	last *engine.ScenarioResult
}

// ANSI styles.
const (
	bold   = "\x1b[1m"
	dim    = "\x1b[2m"
	red    = "\x1b[31m"
	green  = "\x1b[32m"
	yellow = "\x1b[33m"
	cyan   = "\x1b[36m"
	reset  = "\x1b[0m"
)

// Indents of the console layout.
const (
	stepIndent   = "  "
	detailIndent = "      "
)

// Step writes the line of one finished step of sc, and the details of its
// failure. The scenario's header comes first when sc is not the scenario of
// the previous line.
func (c *Console) Step(sc *engine.ScenarioResult, st *engine.StepResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	c.header(&b, sc)
	c.step(&b, sc, st)
	c.write(b.String())
}

// Scenario writes the end of sc: its failure outside any step, if any, and a
// line with its status, duration and, when it has points, its score.
func (c *Console) Scenario(sc *engine.ScenarioResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	c.header(&b, sc)
	c.scenarioEnd(&b, sc)
	c.write(b.String())
}

// Report writes a finished scenario as Step and Scenario would have.
func (c *Console) Report(sc *engine.ScenarioResult) {
	for i := range sc.Steps {
		c.Step(sc, &sc.Steps[i])
	}
	c.Scenario(sc)
}

// Summary writes the totals of a run: what failed, with where (the
// scenario, its file:line:col and step), scenarios and steps by outcome,
// the score when any scenario has points, and the time taken.
func (c *Console) Summary(results []*engine.ScenarioResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	scs, sts := tally(results)
	var b strings.Builder
	c.failures(&b, results)
	fmt.Fprintf(&b, "%s %s\n", c.paint(bold, "scenarios"), c.counts(scs))
	fmt.Fprintf(&b, "%s     %s\n", c.paint(bold, "steps"), c.counts(sts))
	if score, max, ok := totalScore(results); ok {
		fmt.Fprintf(&b, "%s     %s/%s\n", c.paint(bold, "score"), number(score), number(max))
	}
	fmt.Fprintf(&b, "%s      %s\n", c.paint(bold, "time"), human(wallTime(results)))
	c.write(b.String())
}

// failures writes the list of what did not pass, one line per failed
// step: "✗ NAME  FILE:LINE:COL  STEP". Scenarios that were not run
// because netrun was interrupted are counted, not listed.
func (c *Console) failures(b *strings.Builder, results []*engine.ScenarioResult) {
	var lines []string
	notRun := 0
	for _, sc := range results {
		if sc.Interrupted && !started(sc) {
			notRun++
			continue
		}
		for _, bl := range blames(sc) {
			lines = append(lines, c.mark(bl.status)+" "+c.text(oneLine(sc.Name))+"  "+c.paint(dim, c.text(bl.pos.String()))+"  "+c.text(oneLine(bl.step)))
		}
	}
	if notRun > 0 {
		lines = append(lines, c.mark(engine.Skipped)+" "+c.paint(yellow, fmt.Sprintf("%d not run: netrun was interrupted", notRun)))
	}
	if len(lines) == 0 {
		return
	}
	b.WriteString(c.paint(bold, "failed") + "\n")
	for _, l := range lines {
		b.WriteString(stepIndent + l + "\n")
	}
	b.WriteString("\n")
}

// started reports whether any step of sc ran.
func started(sc *engine.ScenarioResult) bool {
	for i := range sc.Steps {
		if sc.Steps[i].Status != engine.Skipped {
			return true
		}
	}
	return false
}

func (c *Console) write(s string) {
	if c.W != nil {
		_, _ = io.WriteString(c.W, s)
	}
}

func (c *Console) scrub() scrub { return scrub{c.Redactor} }

// text returns s redacted, with control characters other than line breaks
// and tabs shown as escapes, so that text from a peer cannot drive the
// terminal.
func (c *Console) text(s string) string { return visible(c.scrub().text(s)) }

// paint wraps s in an ANSI style when colour is on.
func (c *Console) paint(style, s string) string {
	if !c.Color || s == "" {
		return s
	}
	return style + s + reset
}

func (c *Console) header(b *strings.Builder, sc *engine.ScenarioResult) {
	if c.last == sc {
		return
	}
	c.last = sc
	b.WriteString(c.paint(bold, c.text(oneLine(sc.Name))))
	if sc.File != "" {
		b.WriteString(" " + c.paint(dim, "("+c.text(sc.File)+")"))
	}
	b.WriteString("\n")
}

// marks of the outcomes, and their colours.
func (c *Console) mark(s engine.Status) string {
	switch s {
	case engine.Passed:
		return c.paint(green, "✓")
	case engine.Failed:
		return c.paint(red, "✗")
	case engine.Errored:
		return c.paint(red, "!")
	case engine.Skipped:
		return c.paint(dim, "–")
	}
	return c.paint(yellow, "?")
}

func (c *Console) step(b *strings.Builder, sc *engine.ScenarioResult, st *engine.StepResult) {
	b.WriteString(stepIndent + c.mark(st.Status) + " " + c.text(oneLine(st.Name)))
	switch {
	case st.Status == engine.Skipped && st.Failure != nil && st.Failure.Message != "":
		b.WriteString("  " + c.paint(dim, "skipped: "+c.text(oneLine(st.Failure.Message))))
	case st.Status == engine.Skipped:
		b.WriteString("  " + c.paint(dim, "skipped"))
	default:
		b.WriteString("  " + c.paint(dim, human(st.Duration)))
	}
	if st.Attempts > 1 {
		b.WriteString(c.paint(dim, fmt.Sprintf(", %d attempts", st.Attempts)))
	}
	b.WriteString("\n")
	if c.Verbose {
		for _, l := range st.Transcript {
			c.lines(b, "", c.paint(dim, visible(l.Dir))+" ", c.scrub().text(l.Text))
		}
	}
	if st.Status == engine.Failed || st.Status == engine.Errored {
		c.details(b, details(c.scrub(), position(st.Pos, sc.File), stepFailure(st), st.Hint))
	}
	// With -v, the transcript's note already says it.
	if st.Status == engine.Passed && st.ExpectedFailure != "" && !c.Verbose {
		c.lines(b, dim, "", c.scrub().text(expectedText(st)))
	}
}

func (c *Console) scenarioEnd(b *strings.Builder, sc *engine.ScenarioResult) {
	s := c.scrub()
	p := scenarioStep(sc)
	switch {
	case p != nil && p.Failure != nil:
		b.WriteString(stepIndent + c.mark(p.Status) + " " + p.Name + "\n")
		c.details(b, details(s, "", p.Failure, ""))
	case sc.Failure != nil:
		b.WriteString(stepIndent + c.mark(sc.Failure.Kind) + " scenario\n")
		c.details(b, details(s, "", sc.Failure, ""))
	}
	var word string
	switch sc.Status {
	case engine.Passed:
		word = c.paint(green+bold, "PASS")
	case engine.Failed:
		word = c.paint(red+bold, "FAIL")
	case engine.Skipped:
		word = c.paint(dim, "SKIP")
	default:
		word = c.paint(red+bold, "ERROR")
	}
	line := c.mark(sc.Status) + " " + word + " " + c.paint(bold, c.text(oneLine(sc.Name)))
	if sc.Status != engine.Skipped {
		line += "  " + human(sc.Duration)
	}
	if hasPoints(sc) {
		line += "  score " + number(sc.Score) + "/" + number(sc.MaxScore)
	}
	if sc.Interrupted {
		line += "  " + c.paint(yellow, "interrupted")
	}
	b.WriteString(line + "\n\n")
}

// details writes the explanation of a failure, indented under its step.
func (c *Console) details(b *strings.Builder, ds []detail) {
	for _, d := range ds {
		switch d.kind {
		case detailAt, detailReceived:
			c.lines(b, dim, "", d.text)
		case detailMessage:
			c.lines(b, red, "", d.text)
		case detailHint:
			c.lines(b, cyan, "", d.text)
		case detailExceptions:
			c.lines(b, yellow, "", d.text)
		default:
			c.lines(b, "", "", d.text)
		}
	}
}

// lines writes text at the detail indent, each line in style and made
// visible; the first line starts with prefix.
func (c *Console) lines(b *strings.Builder, style, prefix, text string) {
	for i, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		l = visible(strings.TrimSuffix(l, "\r"))
		if style != "" {
			l = c.paint(style, l)
		}
		if i == 0 {
			l = prefix + l
		}
		b.WriteString(detailIndent + l + "\n")
	}
}

// counts formats outcome counts: "5 passed, 1 failed, 6 total".
func (c *Console) counts(n counts) string {
	var parts []string
	add := func(k int, word, style string) {
		if k > 0 {
			parts = append(parts, c.paint(style, fmt.Sprintf("%d %s", k, word)))
		}
	}
	add(n.Passed, "passed", green)
	add(n.Failed, "failed", red)
	if n.Errored == 1 {
		add(n.Errored, "error", red)
	} else {
		add(n.Errored, "errors", red)
	}
	add(n.Skipped, "skipped", dim)
	parts = append(parts, fmt.Sprintf("%d total", n.Total))
	return strings.Join(parts, ", ")
}

// human formats a duration for a person: 850µs, 12ms, 1.25s, 2m5s.
func human(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < 10*time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}
