package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/engine"
)

// blame is where and why a scenario that did not pass went wrong: a
// failed or errored step, or the scenario itself.
type blame struct {
	status engine.Status
	pos    engine.Pos
	step   string
	msg    string
	// f and hint give the whole explanation.
	f    *engine.Failure
	hint string
}

// blames returns the failures of sc, one per failed or errored step, or
// one for the scenario when no step says why; none when sc passed or was
// skipped.
func blames(sc *engine.ScenarioResult) []blame {
	var out []blame
	for i := range sc.Steps {
		st := &sc.Steps[i]
		if st.Status != engine.Failed && st.Status != engine.Errored {
			continue
		}
		p := st.Pos
		if p.File == "" {
			p.File = sc.File
		}
		f := stepFailure(st)
		out = append(out, blame{st.Status, p, st.Name, f.Message, f, st.Hint})
	}
	if p := scenarioStep(sc); p != nil && p.Failure != nil && (p.Status == engine.Failed || p.Status == engine.Errored) {
		out = append(out, blame{p.Status, engine.Pos{File: sc.File}, p.Name, p.Failure.Message, p.Failure, ""})
	}
	return out
}

// WhereFailed returns where sc first went wrong, as FILE:LINE:COL, and
// the name of the step (redacted with red: a name may show a value);
// "" when it passed or was skipped.
func WhereFailed(sc *engine.ScenarioResult, red *engine.Redactor) (where, step string) {
	bl := blames(sc)
	if len(bl) == 0 {
		return "", ""
	}
	s := scrub{red}
	return visible(s.text(bl[0].pos.String())), visible(s.text(oneLine(bl[0].step)))
}

// GitHubAnnotations writes a GitHub Actions workflow command
// (::error file=F,line=L,col=C,title=T::message) for each failed or
// errored step of sc, redacted with red, so that the failure shows on
// the file in the pull request. The message is the console's
// explanation: the assertion and its operands, the message, what was
// received, exceptions and the hint.
func GitHubAnnotations(w io.Writer, sc *engine.ScenarioResult, red *engine.Redactor) {
	s := scrub{red}
	for _, b := range blames(sc) {
		props := []string{}
		if b.pos.File != "" {
			props = append(props, "file="+ghProperty(visible(s.text(b.pos.File))))
		}
		if b.pos.Line > 0 {
			props = append(props, "line="+strconv.Itoa(b.pos.Line))
		}
		if b.pos.Col > 0 {
			props = append(props, "col="+strconv.Itoa(b.pos.Col))
		}
		props = append(props, "title="+ghProperty(visible(s.text(sc.Name+": "+b.step))))
		_, _ = fmt.Fprintf(w, "::error %s::%s\n", strings.Join(props, ","), ghData(visible(detailText(details(s, "", b.f, b.hint)))))
	}
}

// ghData escapes the message of a workflow command: % CR LF.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a property of a workflow command: as the message,
// and also , and :.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// GitHubSummary writes the run as Markdown for $GITHUB_STEP_SUMMARY: the
// totals, then a table of the scenarios that did not pass with where
// and why, redacted with red.
func GitHubSummary(w io.Writer, results []*engine.ScenarioResult, red *engine.Redactor) error {
	s := scrub{red}
	scs, sts := tally(results)
	var b strings.Builder
	b.WriteString("### netrun\n\n")
	c := &Console{}
	fmt.Fprintf(&b, "**scenarios** %s · **steps** %s", c.counts(scs), c.counts(sts))
	if score, max, ok := totalScore(results); ok {
		fmt.Fprintf(&b, " · **score** %s/%s", number(score), number(max))
	}
	fmt.Fprintf(&b, " · **time** %s\n\n", human(wallTime(results)))
	var rows []string
	for _, sc := range results {
		for _, bl := range blames(sc) {
			status := string(sc.Status)
			if sc.Interrupted {
				status += " (interrupted)"
			}
			rows = append(rows, "| "+mdCell(s.text(sc.Name))+" | "+status+" | `"+mdCode(s.text(bl.pos.String()))+"` | "+mdCell(s.text(bl.step))+": "+mdCell(s.text(bl.msg))+" |")
		}
	}
	if len(rows) > 0 {
		b.WriteString("| scenario | status | where | failure |\n| --- | --- | --- | --- |\n")
		b.WriteString(strings.Join(rows, "\n") + "\n\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell makes s safe in a Markdown table cell: one line, pipes and
// markup escaped, HTML neutralised.
func mdCell(s string) string {
	s = visible(oneLine(s))
	return strings.NewReplacer("\\", "\\\\", "|", "\\|", "<", "&lt;", ">", "&gt;", "&", "&amp;", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]").Replace(s)
}

// mdCode makes s safe inside a Markdown code span.
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", "\\|").Replace(visible(oneLine(s)))
}
