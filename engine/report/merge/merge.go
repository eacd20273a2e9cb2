// Package merge merges the JSON reports of the shards of a run (netrun
// --shard K/N, netrun grade --shard K/N) into the reports one unsharded
// run writes: JSON, JUnit, TAP, Gradescope and scores.csv.
package merge

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
	"github.com/netrunhq/netrun/internal/atomicfile"
)

// Input is one JSON report and the path it was read from.
type Input struct {
	Path string
	Doc  *report.JSONDoc
}

// Read reads the JSON reports at paths.
func Read(paths []string) ([]Input, error) {
	var out []Input
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		doc, err := report.ReadJSON(f)
		_ = f.Close()
		if err != nil {
			return nil, fmt.Errorf("merge: %s: %w", p, err)
		}
		if len(doc.Invalid) > 0 {
			return nil, notStarted(p, doc)
		}
		out = append(out, Input{Path: p, Doc: doc})
	}
	return out, nil
}

// notStarted is the error of a report whose run did not start because
// files are invalid: it names the report, its shard, and the files with
// their first problem.
func notStarted(path string, doc *report.JSONDoc) error {
	what := path
	if sh := doc.Shard; sh != nil {
		what += fmt.Sprintf(" (shard %d/%d)", sh.Index, sh.Total)
	}
	var files []string
	for _, f := range doc.Invalid {
		switch {
		case f.File == "":
		case len(f.Errors) > 0:
			files = append(files, "\n  "+f.Errors[0].Error())
		default:
			files = append(files, "\n  "+f.File)
		}
	}
	return fmt.Errorf("merge: %s: the run did not start because files are invalid; fix them and run it again%s",
		what, strings.Join(files, ""))
}

// Merged is the results of all the inputs, in the order of an unsharded
// run: by student, then by file.
type Merged struct {
	Results  []*engine.ScenarioResult
	Students []*report.JSONStudent // nil unless the run graded students
	// Exercises are the exercises of a grading, in the run's order.
	Exercises []string
	Shards    int // N, or 0 when the inputs were not shards
}

// Merge checks that the inputs are the N shards of one run, each once, or
// reports that are not shards at all, and merges them. A missing,
// duplicated or foreign shard, or a scenario (student) in two reports, is
// an error that names them.
func Merge(in []Input) (*Merged, error) {
	if len(in) == 0 {
		return nil, errors.New("merge: no reports given")
	}
	n, err := checkShards(in)
	if err != nil {
		return nil, err
	}
	type entry struct {
		sc   *engine.ScenarioResult
		st   *report.JSONStudent
		from string
	}
	var all []entry
	seen := map[string]string{}
	graded := false
	for _, x := range in {
		for i, sc := range x.Doc.Results {
			var st *report.JSONStudent
			if i < len(x.Doc.Students) {
				st = x.Doc.Students[i]
			}
			key := sc.File
			if st != nil {
				graded = true
				key = st.ID + "\x00" + st.Exercise
			}
			if prev, dup := seen[key]; dup {
				return nil, fmt.Errorf("merge: %s is in both %s and %s", describe(sc, st), prev, x.Path)
			}
			seen[key] = x.Path
			all = append(all, entry{sc, st, x.Path})
		}
	}
	if n > 0 {
		if want := in[0].Doc.Shard.WantResults(); len(all) != want {
			return nil, fmt.Errorf("merge: the %d shards hold %d results, but the run had %d", n, len(all), want)
		}
	}
	exercises, err := sameExercises(in)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(all, func(a, b int) bool { return before(all[a].sc, all[a].st, all[b].sc, all[b].st, exercises) })
	m := &Merged{Shards: n, Exercises: exercises}
	for _, e := range all {
		if graded && e.st == nil {
			return nil, fmt.Errorf("merge: %s (%s) is not a graded result, but others are", e.sc.File, e.from)
		}
		m.Results = append(m.Results, e.sc)
		if graded {
			m.Students = append(m.Students, e.st)
		}
	}
	return m, nil
}

// sameExercises returns the exercises of the inputs, which must be the
// same, in the same order: another grading's reports are not merged.
func sameExercises(in []Input) ([]string, error) {
	exercises := in[0].Doc.Exercises
	for _, x := range in[1:] {
		if !slices.Equal(x.Doc.Exercises, exercises) {
			return nil, fmt.Errorf("merge: %s and %s grade different exercises (%s; %s)", in[0].Path, x.Path,
				strings.Join(exercises, ", "), strings.Join(x.Doc.Exercises, ", "))
		}
	}
	return exercises, nil
}

// before orders results as netrun grade lists them: by student, then in
// the order of exercises (by name for an exercise not listed, as in a
// report older than the list); otherwise, and then, by file.
func before(a *engine.ScenarioResult, sa *report.JSONStudent, b *engine.ScenarioResult, sb *report.JSONStudent, exercises []string) bool {
	if sa != nil && sb != nil {
		if sa.ID != sb.ID {
			return sa.ID < sb.ID
		}
		oa, ob := slices.Index(exercises, sa.Exercise), slices.Index(exercises, sb.Exercise)
		if oa != ob {
			return oa < ob
		}
		if sa.Exercise != sb.Exercise {
			return sa.Exercise < sb.Exercise
		}
	}
	return a.File < b.File
}

func describe(sc *engine.ScenarioResult, st *report.JSONStudent) string {
	if st != nil {
		return fmt.Sprintf("student %s (exercise %s)", st.ID, st.Exercise)
	}
	return "scenario " + sc.File
}

// checkShards returns N when every input is a shard of one run of N
// shards and all N are there once, and 0 when no input is a shard.
func checkShards(in []Input) (int, error) {
	first := in[0]
	for _, x := range in {
		if (x.Doc.Shard == nil) != (first.Doc.Shard == nil) {
			a, b := first, x
			if a.Doc.Shard == nil {
				a, b = b, a
			}
			return 0, fmt.Errorf("merge: %s is shard %d/%d but %s is not a shard report", a.Path, a.Doc.Shard.Index, a.Doc.Shard.Total, b.Path)
		}
	}
	if first.Doc.Shard == nil {
		return 0, nil
	}
	n := first.Doc.Shard.Total
	at := make([]string, n+1)
	for _, x := range in {
		s := x.Doc.Shard
		switch {
		case s.Total != n:
			return 0, fmt.Errorf("merge: %s is shard %d/%d but %s is shard %d/%d: not the same split", first.Path, first.Doc.Shard.Index, n, x.Path, s.Index, s.Total)
		case s.Set != first.Doc.Shard.Set || s.Items != first.Doc.Shard.Items || s.WantResults() != first.Doc.Shard.WantResults():
			f := first.Doc.Shard
			return 0, fmt.Errorf("merge: %s and %s are shards of different runs (%d items, %d results, %s; %d items, %d results, %s)",
				first.Path, x.Path, f.Items, f.WantResults(), f.Set, s.Items, s.WantResults(), s.Set)
		case s.Index < 1 || s.Index > n:
			return 0, fmt.Errorf("merge: %s: shard %d/%d is out of range", x.Path, s.Index, n)
		case at[s.Index] != "":
			return 0, fmt.Errorf("merge: shard %d/%d is given twice: %s and %s", s.Index, n, at[s.Index], x.Path)
		}
		at[s.Index] = x.Path
	}
	var missing []string
	for k := 1; k <= n; k++ {
		if at[k] == "" {
			missing = append(missing, strconv.Itoa(k)+"/"+strconv.Itoa(n))
		}
	}
	if len(missing) > 0 {
		return 0, fmt.Errorf("merge: shard %s missing: %d of the %d shards given", strings.Join(missing, ", "), n-len(missing), n)
	}
	return n, nil
}

// The files Write writes in its folder.
const (
	FileJSON       = "report.json"
	FileJUnit      = "junit.xml"
	FileTAP        = "report.tap"
	FileGradescope = "gradescope.json"
	FileScores     = "scores.csv"
)

// Write writes the merged reports into dir: FileJSON, FileJUnit, FileTAP,
// FileGradescope and FileScores, each whole or not at all
// (internal/atomicfile). The inputs were redacted when they were written;
// red redacts again (it may be empty).
func (m *Merged) Write(dir string, red *engine.Redactor) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	writers := []struct {
		name  string
		write func(io.Writer) error
	}{
		{FileJSON, func(w io.Writer) error {
			return report.WriteJSONMeta(w, m.Results, red, report.JSONMeta{Students: m.Students, Exercises: m.Exercises})
		}},
		{FileJUnit, func(w io.Writer) error { return report.WriteJUnit(w, m.Results, red) }},
		{FileTAP, func(w io.Writer) error { return report.WriteTAP(w, m.Results, red) }},
		{FileGradescope, func(w io.Writer) error { return report.WriteGradescope(w, m.Results, red) }},
		{FileScores, func(w io.Writer) error { return report.WriteScores(w, m.Results, m.Students) }},
	}
	var errs []error
	for _, w := range writers {
		if err := atomicfile.Write(filepath.Join(dir, w.name), w.write); err != nil {
			errs = append(errs, fmt.Errorf("merge: %w", err))
		}
	}
	return errors.Join(errs...)
}
