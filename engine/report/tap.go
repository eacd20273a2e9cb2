package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/netrunhq/netrun/engine"
)

// WriteTAP writes results as TAP version 14: a plan with one test point per
// scenario, each preceded by a subtest ("# Subtest: NAME", indented 4
// spaces) with a test point per step. Skipped steps are "ok ... # SKIP";
// failed and errored ones are "not ok" with a YAML diagnostic block holding
// message, severity (fail or error), at (file:line:col), the assertion and
// its operands, what was received and the hint. Text is redacted with red.
func WriteTAP(w io.Writer, results []*engine.ScenarioResult, red *engine.Redactor) error {
	t := &tapWriter{c: scrub{red}}
	t.line("", "TAP version 14")
	n := 0
	for _, sc := range results {
		if sc != nil {
			n++
		}
	}
	t.line("", fmt.Sprintf("1..%d", n))
	i := 0
	for _, sc := range results {
		if sc == nil {
			continue
		}
		i++
		t.scenario(i, sc)
	}
	if _, err := io.WriteString(w, t.b.String()); err != nil {
		return fmt.Errorf("write tap: %w", err)
	}
	return nil
}

type tapWriter struct {
	c scrub
	b strings.Builder
}

const tapChild = "    "

func (t *tapWriter) line(indent, s string) {
	t.b.WriteString(indent + s + "\n")
}

func (t *tapWriter) scenario(i int, sc *engine.ScenarioResult) {
	name := t.line1(sc.Name)
	t.line("", "# Subtest: "+name)
	p := scenarioStep(sc)
	n := len(sc.Steps)
	if p != nil {
		n++
	}
	t.line(tapChild, fmt.Sprintf("1..%d", n))
	names := uniqueNames{}
	for j := range sc.Steps {
		st := &sc.Steps[j]
		t.point(tapChild, j+1, names.get(t.line1(st.Name)), st.Status,
			stepFailure(st), position(st.Pos, sc.File), st.Hint)
	}
	if p != nil {
		t.point(tapChild, n, names.get(p.Name), p.Status, p.Failure, sc.File, "")
	}

	// The scenario's own test point closes the subtest.
	var y []string
	if sc.Status != engine.Passed && sc.Status != engine.Skipped {
		msg := "scenario " + string(sc.Status)
		if sc.Failure != nil {
			msg = sc.Failure.Message
		} else if _, steps := tally([]*engine.ScenarioResult{sc}); steps.Failed+steps.Errored > 0 {
			msg = fmt.Sprintf("%d of %d steps did not pass", steps.Failed+steps.Errored, steps.Total)
		}
		y = append(y, "message: "+t.yaml(msg), "severity: "+severity(sc.Status))
		if sc.File != "" {
			y = append(y, "at: "+t.yaml(sc.File))
		}
	}
	if sc.Interrupted {
		y = append(y, "interrupted: true")
	}
	if hasPoints(sc) {
		y = append(y, "score: "+number(sc.Score), "max_score: "+number(sc.MaxScore))
	}
	t.testPoint("", i, name, sc.Status, "", y)
}

// point writes the test point of a step, with a YAML block for a failure.
func (t *tapWriter) point(indent string, i int, name string, status engine.Status, f *engine.Failure, at, hint string) {
	var y []string
	reason := ""
	switch status {
	case engine.Failed, engine.Errored:
		if f == nil {
			f = &engine.Failure{Kind: status, Message: "step " + string(status)}
		}
		y = append(y, "message: "+t.yaml(f.Message), "severity: "+severity(status))
		if at != "" {
			y = append(y, "at: "+t.yaml(at))
		}
		if f.Expr != "" {
			y = append(y, "expr: "+t.yaml(f.Expr))
		}
		if len(f.Operands) > 0 {
			y = append(y, "operands:")
			for _, op := range f.Operands {
				y = append(y, "  - expr: "+t.yaml(op.Expr), "    value: "+t.yaml(op.Value))
			}
		}
		if f.Received != "" {
			y = append(y, "received: "+t.yaml(f.Received))
		}
		if len(f.Exceptions) > 0 {
			y = append(y, "exceptions: "+t.yaml(exceptionText(t.c, f.Exceptions)))
		}
		if hint != "" {
			y = append(y, "hint: "+t.yaml(hint))
		}
	case engine.Skipped:
		if f != nil {
			reason = f.Message
		}
	case engine.Passed:
		if f != nil && f.Message != "" { // a step with fails: that passed
			y = append(y, "message: "+t.yaml(f.Message))
		}
	}
	t.testPoint(indent, i, name, status, reason, y)
}

// testPoint writes "ok N - name", "# SKIP reason" and a YAML block.
func (t *tapWriter) testPoint(indent string, i int, name string, status engine.Status, reason string, y []string) {
	s := "ok"
	if status == engine.Failed || status == engine.Errored {
		s = "not ok"
	}
	s = fmt.Sprintf("%s %d - %s", s, i, tapEscape(name))
	if status == engine.Skipped {
		s += " # SKIP"
		if reason = t.line1(reason); reason != "" {
			s += " " + tapEscape(reason)
		}
	}
	t.line(indent, s)
	if len(y) == 0 {
		return
	}
	t.line(indent, "  ---")
	for _, l := range y {
		t.line(indent, "  "+l)
	}
	t.line(indent, "  ...")
}

// line1 returns s redacted, on one line, with control characters escaped:
// the form of names and reasons on TAP lines.
func (t *tapWriter) line1(s string) string { return visible(oneLine(t.c.text(s))) }

// severity names a failure in YAML diagnostics.
func severity(s engine.Status) string {
	if s == engine.Failed {
		return "fail"
	}
	return "error"
}

// yaml returns s redacted as a YAML scalar: single-quoted when it is one
// line of printable text, else double-quoted with escapes.
func (t *tapWriter) yaml(s string) string {
	s = t.c.text(s)
	plain := utf8.ValidString(s)
	for _, r := range s {
		if !unicode.IsPrint(r) || r == '\uFEFF' {
			plain = false
			break
		}
	}
	if plain {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0):
			fmt.Fprintf(&b, `\x%02x`, r)
		case r == 0xFEFF || (r >= 0xD800 && r <= 0xDFFF) || r == 0xFFFE || r == 0xFFFF:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r) // U+FFFD stands for bytes that were not UTF-8
		}
	}
	b.WriteByte('"')
	return b.String()
}

// tapEscape escapes a test point's description: "\" and "#" are the only
// characters TAP 14 lets one escape, and the ones that need it.
func tapEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "#", `\#`).Replace(s)
}
