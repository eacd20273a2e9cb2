package report

import (
	"sort"

	"github.com/netrunhq/netrun/engine"
)

// Class is a class's grading, for WriteClassReport: every student's
// result on every exercise.
type Class struct {
	// Title heads the page ("netrun grade: udp_server").
	Title string
	// Exercises are the exercises' names, in the order of each student's
	// Entries.
	Exercises []string
	Students  []ClassStudent
}

// ClassStudent is one student's grading.
type ClassStudent struct {
	ID string
	// Report is the path of the student's own report, relative to the
	// class report's folder, with / between folders; "" for none.
	Report string
	// Entries are the results, one per exercise of Class.Exercises.
	Entries []ClassEntry
}

// ClassEntry is one student's result on one exercise.
type ClassEntry struct {
	Result *engine.ScenarioResult
	// Status is the status scores.csv gives: passed, failed, error,
	// missing (no program) or interrupted.
	Status string
}

// StatusMissing is the status of an entry without a program.
const StatusMissing = "missing"

// exerciseStats are the statistics of one exercise across the class.
type exerciseStats struct {
	Name              string
	Students, Missing int
	Max               float64
	Mean, Median      float64
	Full, Zero        int
	Steps             []stepStats
	MeanPercent       float64
	MeanWidth         float64 // of the bar that shows the mean
}

// stepStats is how the class did on one step of an exercise.
type stepStats struct {
	Index          int
	Name           string
	Points         float64
	Passed, Ran    int
	Rate           float64 // percent of the students with a program who passed it
	Width          float64 // of the bar that shows Rate
	Hidden         bool
	Failed, Errors int
	NotRun         int // skipped
}

// hintCount is a hint and how many students a step that has it failed.
type hintCount struct {
	Exercise, Step, Hint string
	Students             int
}

// exerciseStatsOf computes the statistics of exercise i.
func exerciseStatsOf(c scrub, cl *Class, i int) exerciseStats {
	st := exerciseStats{Name: visible(c.text(cl.Exercises[i]))}
	var scores []float64
	steps := map[int]*stepStats{}
	for _, s := range cl.Students {
		if i >= len(s.Entries) || s.Entries[i].Result == nil {
			continue
		}
		e := s.Entries[i]
		r := e.Result
		st.Students++
		st.Max = max(st.Max, r.MaxScore)
		scores = append(scores, r.Score)
		if r.MaxScore > 0 && r.Score >= r.MaxScore {
			st.Full++
		}
		if r.Score == 0 {
			st.Zero++
		}
		if e.Status == StatusMissing {
			st.Missing++
			continue
		}
		countSteps(c, steps, r)
	}
	st.Mean, st.Median = meanMedian(scores)
	if st.Max > 0 {
		st.MeanPercent = 100 * st.Mean / st.Max
	}
	st.MeanWidth = barWidths(st.MeanPercent)
	for _, ss := range steps {
		if ss.Ran > 0 {
			ss.Rate = 100 * float64(ss.Passed) / float64(ss.Ran)
		}
		ss.Width = barWidths(ss.Rate)
		st.Steps = append(st.Steps, *ss)
	}
	sort.Slice(st.Steps, func(a, b int) bool { return st.Steps[a].Index < st.Steps[b].Index })
	return st
}

// countSteps adds the steps of r to steps, by index.
func countSteps(c scrub, steps map[int]*stepStats, r *engine.ScenarioResult) {
	for j := range r.Steps {
		sr := &r.Steps[j]
		ss := steps[sr.Index]
		if ss == nil {
			ss = &stepStats{Index: sr.Index, Name: visible(c.text(stepLabel(sr))), Points: sr.MaxPoints,
				Hidden: sr.Visibility != "" && sr.Visibility != "visible"}
			steps[sr.Index] = ss
		}
		ss.Ran++
		switch sr.Status {
		case engine.Passed:
			ss.Passed++
		case engine.Failed:
			ss.Failed++
		case engine.Errored:
			ss.Errors++
		default:
			ss.NotRun++
		}
	}
}

// stepLabel is a step's name as written, the same for every student,
// rather than with the values of its {{ }} parts.
func stepLabel(sr *engine.StepResult) string {
	if sr.NameTemplate != "" {
		return sr.NameTemplate
	}
	return sr.Name
}

// barWidths is the width, out of barWidth, of a bar at percent.
func barWidths(percent float64) float64 {
	return barWidth * min(100, max(0, percent)) / 100
}

// barWidth is the width of the bars of rates and means, in SVG units.
const barWidth = 200

// meanMedian returns the mean and the median of xs (which it sorts), or
// zeros when xs is empty.
func meanMedian(xs []float64) (mean, mid float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs)), median(xs)
}

// median returns the median of xs, which it sorts.
func median(xs []float64) float64 {
	sort.Float64s(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// topHints counts, for each hint of a failed step, the students whose
// step failed, most frequent first, at most n.
func topHints(c scrub, cl *Class, n int) []hintCount {
	type key struct{ ex, step, hint string }
	counts := map[key]int{}
	for _, s := range cl.Students {
		for i, e := range s.Entries {
			if e.Result == nil || e.Status == StatusMissing || i >= len(cl.Exercises) {
				continue
			}
			seen := map[key]bool{}
			for j := range e.Result.Steps {
				sr := &e.Result.Steps[j]
				if sr.Hint == "" || (sr.Status != engine.Failed && sr.Status != engine.Errored) {
					continue
				}
				k := key{visible(c.text(cl.Exercises[i])), visible(c.text(stepLabel(sr))), visible(c.text(sr.Hint))}
				if !seen[k] {
					seen[k] = true
					counts[k]++
				}
			}
		}
	}
	var out []hintCount
	for k, v := range counts {
		out = append(out, hintCount{k.ex, k.step, k.hint, v})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Students != out[b].Students {
			return out[a].Students > out[b].Students
		}
		if out[a].Exercise != out[b].Exercise {
			return out[a].Exercise < out[b].Exercise
		}
		return out[a].Hint < out[b].Hint
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
