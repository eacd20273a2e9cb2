// Package merge merges the JSON reports of the shards of a run (netrun
// --shard K/N, netrun grade --shard K/N) into the reports one unsharded
// run writes: JSON, JUnit, TAP, Gradescope and scores.csv.
package merge

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
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
		out = append(out, Input{Path: p, Doc: doc})
	}
	return out, nil
}

// Merged is the results of all the inputs, in the order of an unsharded
// run: by student, then by file.
type Merged struct {
	Results  []*engine.ScenarioResult
	Students []*report.JSONStudent // nil unless the run graded students
	Shards   int                   // N, or 0 when the inputs were not shards
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
		if want := in[0].Doc.Shard.Items; len(all) != want {
			return nil, fmt.Errorf("merge: the %d shards hold %d results, but the run had %d", n, len(all), want)
		}
	}
	sort.SliceStable(all, func(a, b int) bool {
		ka, kb := keyOf(all[a].sc, all[a].st), keyOf(all[b].sc, all[b].st)
		return ka < kb
	})
	m := &Merged{Shards: n}
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

func keyOf(sc *engine.ScenarioResult, st *report.JSONStudent) string {
	if st != nil {
		return st.ID + "\x00" + st.Exercise + "\x00" + sc.File
	}
	return sc.File
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
		case s.Set != first.Doc.Shard.Set || s.Items != first.Doc.Shard.Items:
			return 0, fmt.Errorf("merge: %s and %s are shards of different runs (%d items, %s; %d items, %s)", first.Path, x.Path, first.Doc.Shard.Items, first.Doc.Shard.Set, s.Items, s.Set)
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
// FileGradescope and FileScores. The inputs were redacted when they were
// written; red redacts again (it may be empty).
func (m *Merged) Write(dir string, red *engine.Redactor) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	writers := []struct {
		name  string
		write func(io.Writer) error
	}{
		{FileJSON, func(w io.Writer) error {
			return report.WriteJSONMeta(w, m.Results, red, report.JSONMeta{Students: m.Students})
		}},
		{FileJUnit, func(w io.Writer) error { return report.WriteJUnit(w, m.Results, red) }},
		{FileTAP, func(w io.Writer) error { return report.WriteTAP(w, m.Results, red) }},
		{FileGradescope, func(w io.Writer) error { return report.WriteGradescope(w, m.Results, red) }},
		{FileScores, m.writeScores},
	}
	var errs []error
	for _, w := range writers {
		var buf bytes.Buffer
		if err := w.write(&buf); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", w.name, err))
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, w.name), buf.Bytes(), 0o644); err != nil {
			errs = append(errs, fmt.Errorf("merge: %w", err))
		}
	}
	return errors.Join(errs...)
}

// writeScores writes scores.csv: for a grading, as netrun grade does
// (student,exercise,score,max_score,status, by student); otherwise one
// scenario a line (file,scenario,score,max_score,status).
func (m *Merged) writeScores(w io.Writer) error {
	cw := csv.NewWriter(w)
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	if m.Students != nil {
		_ = cw.Write([]string{"student", "exercise", "score", "max_score", "status"})
		for i, sc := range m.Results {
			st := m.Students[i]
			_ = cw.Write([]string{st.ID, st.Exercise, num(sc.Score), num(sc.MaxScore), st.Status})
		}
	} else {
		_ = cw.Write([]string{"file", "scenario", "score", "max_score", "status"})
		for _, sc := range m.Results {
			_ = cw.Write([]string{sc.File, sc.Name, num(sc.Score), num(sc.MaxScore), string(sc.Status)})
		}
	}
	cw.Flush()
	return cw.Error()
}
