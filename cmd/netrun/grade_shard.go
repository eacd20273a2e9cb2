package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
	"github.com/netrunhq/netrun/internal/shard"
)

// students keeps the students of this shard (netrun grade --shard K/N),
// each weighing 1, or their past seconds with --shard-by. The shard's
// report records that the run holds a result per student and exercise,
// and the exercises, so that shards of gradings of other exercises are
// not merged.
func (s *shardFlags) students(all []*student, exercises []*exercise, stderr io.Writer) ([]*student, error) {
	items := make([]shard.Item, len(all))
	for i, st := range all {
		items[i] = shard.Item{Key: "student:" + st.id, Weight: 1}
	}
	part, err := s.pick(items, "students", stderr)
	if err != nil {
		return nil, err
	}
	if s.meta != nil {
		set := make([]string, 0, len(items)+len(exercises))
		for _, it := range items {
			set = append(set, it.Key)
		}
		for _, ex := range exercises {
			set = append(set, "exercise:"+ex.name)
		}
		s.meta.Set = report.SetDigest(set)
		s.meta.Results = len(all) * len(exercises)
	}
	out := make([]*student, 0, len(part))
	for _, i := range part {
		out = append(out, all[i])
	}
	return out, nil
}

// gradeJSONName is the class's JSON report in OUT: every student's result
// with who they are, which netrun merge reads. A shard's is named after
// it, so that shards writing to one folder keep theirs apart.
func (s *shardFlags) gradeJSONName() string {
	if s.meta == nil {
		return "netrun-grade.json"
	}
	return fmt.Sprintf("netrun-grade.%d-of-%d.json", s.meta.Index, s.meta.Total)
}

// classResults are the class's results, a result per student and
// exercise, by student then in the exercises' order, and who each grades:
// the rows of scores.csv and of the class's JSON report.
func classResults(students []*student) ([]*engine.ScenarioResult, []*report.JSONStudent) {
	results := []*engine.ScenarioResult{}
	who := []*report.JSONStudent{}
	for _, st := range students {
		for _, sub := range st.subs {
			results = append(results, sub.result)
			who = append(who, &report.JSONStudent{ID: st.id, Exercise: sub.ex.name, Status: statusOf(sub)})
		}
	}
	return results, who
}

// writeGradeJSON writes the class's JSON report (gradeJSONName): a
// result per student and exercise, in the order of scores.csv, with the
// exercises' order, which netrun merge keeps.
func writeGradeJSON(f *gradeFlags, exercises []*exercise, students []*student, red *engine.Redactor) error {
	results, who := classResults(students)
	meta := report.JSONMeta{Shard: f.sh.meta, Students: who}
	for _, ex := range exercises {
		meta.Exercises = append(meta.Exercises, ex.name)
	}
	return writeFileWith(filepath.Join(f.out, f.sh.gradeJSONName()), func(w io.Writer) error {
		return report.WriteJSONMeta(w, results, red, meta)
	})
}
