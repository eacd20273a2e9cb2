package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
)

// markFor is the console mark of a student's outcome.
func markFor(st *student) string {
	switch {
	case st.program == "":
		return "?"
	case st.result.Status == engine.Passed:
		return "✓"
	case st.result.Status == engine.Failed:
		return "✗"
	}
	return "!"
}

// statusOf is a student's status in scores.csv: passed, failed, error,
// missing (no program) or interrupted.
func statusOf(st *student) string {
	switch {
	case st.program == "":
		return "missing"
	case st.result.Interrupted:
		return "interrupted"
	}
	return string(st.result.Status)
}

// writeGrades writes each student's reports and scores.csv. A student
// whose grading did not finish stands as not run, with why.
func writeGrades(f *gradeFlags, sc *engine.Scenario, students []*student, red *engine.Redactor, why string) error {
	var errs []error
	for _, st := range students {
		r := st.result
		if r == nil {
			r = engine.NotRun(sc, why)
			r.Interrupted = true
			st.result = r
		}
		dir := filepath.Join(f.out, st.id)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			errs = append(errs, err)
			continue
		}
		results := []*engine.ScenarioResult{r}
		for _, w := range []struct {
			name  string
			write func(io.Writer, []*engine.ScenarioResult, *engine.Redactor) error
		}{{gradeGradescope, report.WriteGradescope}, {gradeJUnit, report.WriteJUnit}, {gradeJSON, report.WriteJSON}} {
			var buf bytes.Buffer
			if err := w.write(&buf, results, red); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", st.id, err))
				continue
			}
			if err := os.WriteFile(filepath.Join(dir, w.name), buf.Bytes(), 0o644); err != nil {
				errs = append(errs, err)
			}
		}
		text := st.console
		if len(text) == 0 {
			var b bytes.Buffer
			(&report.Console{W: &b, Verbose: true, Redactor: red}).Report(r)
			text = b.Bytes()
		}
		if err := os.WriteFile(filepath.Join(dir, gradeText), text, 0o644); err != nil {
			errs = append(errs, err)
		}
	}
	if err := writeScores(filepath.Join(f.out, scoresFile), exerciseName(f.exercise), students); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// writeScores writes student,exercise,score,max_score,status, one student
// a line, sorted by student.
func writeScores(path, exercise string, students []*student) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"student", "exercise", "score", "max_score", "status"})
	for _, st := range students {
		_ = w.Write([]string{st.id, exercise, num(st.result.Score), num(st.result.MaxScore), statusOf(st)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("scores: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("scores: %w", err)
	}
	return nil
}

// gradeSummary says how the grading went.
func gradeSummary(students []*student, took time.Duration, scores string) string {
	full, missing := 0, 0
	for _, st := range students {
		if st.program == "" {
			missing++
		} else if st.result.MaxScore > 0 && st.result.Score == st.result.MaxScore {
			full++
		}
	}
	return fmt.Sprintf("graded %d students in %s: %d with full marks, %d without a program; scores in %s",
		len(students), took.Round(time.Millisecond), full, missing, scores)
}

// num formats a score without needless decimals.
func num(f float64) string { return fmt.Sprint(f) }
