package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
	"github.com/netrunhq/netrun/internal/atomicfile"
)

// markFor is the console mark of a submission's outcome.
func markFor(sub *submission) string {
	switch {
	case sub.program == "":
		return "?"
	case sub.result.Status == engine.Passed:
		return "✓"
	case sub.result.Status == engine.Failed:
		return "✗"
	}
	return "!"
}

// statusOf is a submission's status in scores.csv: passed, failed, error,
// missing (no program) or interrupted.
func statusOf(sub *submission) string {
	switch {
	case sub.program == "":
		return report.StatusMissing
	case sub.result.Interrupted:
		return "interrupted"
	}
	return string(sub.result.Status)
}

// writeGrades writes each student's reports, scores.csv and the class
// report. A submission whose grading did not finish stands as not run,
// with why. A student's reports hold every exercise: a scenario each.
func writeGrades(f *gradeFlags, exercises []*exercise, students []*student, red *engine.Redactor, why string) error {
	var errs []error
	type writer struct {
		name  string
		write func(io.Writer, []*engine.ScenarioResult, *engine.Redactor) error
	}
	writers := []writer{{gradeGradescope, report.WriteGradescope}, {gradeJUnit, f.junitFlavor.Write}, {gradeJSON, report.WriteJSON}}
	if f.prairielearn {
		writers = append(writers, writer{gradePrairieLearn, report.WritePrairieLearn})
	}
	for _, st := range students {
		var results []*engine.ScenarioResult
		var text []byte
		for _, sub := range st.subs {
			if sub.result == nil {
				sub.result = engine.NotRun(sub.ex.sc, why)
				sub.result.Interrupted = true
			}
			results = append(results, sub.result)
			console := sub.console
			if len(console) == 0 {
				var b bytes.Buffer
				(&report.Console{W: &b, Verbose: true, Redactor: red}).Report(sub.result)
				console = b.Bytes()
			}
			text = append(text, console...)
		}
		dir := filepath.Join(f.out, st.id)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			errs = append(errs, err)
			continue
		}
		for _, w := range writers {
			if err := writeFileWith(filepath.Join(dir, w.name), func(out io.Writer) error { return w.write(out, results, red) }); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", st.id, err))
			}
		}
		if err := atomicfile.WriteBytes(filepath.Join(dir, gradeText), text); err != nil {
			errs = append(errs, err)
		}
	}
	if err := writeScores(filepath.Join(f.out, scoresFile), students); err != nil {
		errs = append(errs, err)
	}
	if err := writeFileWith(filepath.Join(f.out, classReportFile), func(w io.Writer) error {
		return report.WriteClassReport(w, classOf(exercises, students), red)
	}); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// classOf is the class's grading for the class report; each student links
// to their text report, which sits in OUT/STUDENT/ next to it.
func classOf(exercises []*exercise, students []*student) *report.Class {
	cl := &report.Class{}
	for _, ex := range exercises {
		cl.Exercises = append(cl.Exercises, ex.name)
	}
	cl.Title = "netrun grade: " + strings.Join(cl.Exercises, ", ")
	for _, st := range students {
		cs := report.ClassStudent{ID: st.id, Report: st.id + "/" + gradeText}
		for _, sub := range st.subs {
			cs.Entries = append(cs.Entries, report.ClassEntry{Result: sub.result, Status: statusOf(sub)})
		}
		cl.Students = append(cl.Students, cs)
	}
	return cl
}

// writeScores writes scores.csv (report.WriteScores, which netrun merge
// writes too): student,exercise,score,max_score,status, one student and
// exercise a line, sorted by student, then in the exercises' order.
func writeScores(path string, students []*student) error {
	results, who := classResults(students)
	return writeFileWith(path, func(w io.Writer) error { return report.WriteScores(w, results, who) })
}

// gradeSummary says how the grading went: a student has full marks when
// they have them in every exercise, and lacks a program when they lack
// one for any.
func gradeSummary(students []*student, took time.Duration, scores, class string) string {
	full, missing := 0, 0
	for _, st := range students {
		all, none := true, false
		for _, sub := range st.subs {
			if sub.program == "" {
				none = true
			}
			if sub.result.MaxScore == 0 || sub.result.Score < sub.result.MaxScore {
				all = false
			}
		}
		if none {
			missing++
		} else if all {
			full++
		}
	}
	return fmt.Sprintf("graded %s in %s: %d with full marks, %d without a program; scores in %s, class report in %s",
		plural(len(students), "student"), took.Round(time.Millisecond), full, missing, scores, class)
}

// gradeFailures lists, for the end of netrun grade, the submissions that
// ran and lost points, with where in the exercise they first went wrong:
// at most max lines, then how many more (scores.csv has them all).
func gradeFailures(students []*student, several bool, red *engine.Redactor, max int) string {
	var lines []string
	for _, st := range students {
		for _, sub := range st.subs {
			r := sub.result
			if r == nil || sub.program == "" || r.Interrupted || r.Status == engine.Passed || r.Status == engine.Skipped {
				continue
			}
			who := st.id
			if several {
				who += " " + sub.ex.name
			}
			where, step := report.WhereFailed(r, red)
			lines = append(lines, fmt.Sprintf("  %s %s  %s/%s  %s  %s\n", markFor(sub), who, num(r.Score), num(r.MaxScore), where, step))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	more := ""
	if len(lines) > max {
		more = fmt.Sprintf("  … and %d more (see scores.csv)\n", len(lines)-max)
		lines = lines[:max]
	}
	return "failed\n" + strings.Join(lines, "") + more + "\n"
}

// num formats a score without needless decimals.
func num(f float64) string { return fmt.Sprint(f) }
