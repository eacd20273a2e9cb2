package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
	"github.com/netrunhq/netrun/internal/shard"
)

// students keeps the students of this shard (netrun grade --shard K/N),
// each weighing 1, or their past seconds with --shard-by.
func (s *shardFlags) students(all []*student, stderr io.Writer) ([]*student, error) {
	items := make([]shard.Item, len(all))
	for i, st := range all {
		items[i] = shard.Item{Key: "student:" + st.id, Weight: 1}
	}
	part, err := s.pick(items, "students", stderr)
	if err != nil {
		return nil, err
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

// writeGradeJSON writes the class's JSON report (gradeJSONName): a
// result per student and exercise, in the order of scores.csv.
func writeGradeJSON(f *gradeFlags, students []*student, red *engine.Redactor) error {
	var results []*engine.ScenarioResult
	meta := report.JSONMeta{Shard: f.sh.meta}
	for _, st := range students {
		for _, sub := range st.subs {
			results = append(results, sub.result)
			meta.Students = append(meta.Students, &report.JSONStudent{ID: st.id, Exercise: sub.ex.name, Status: statusOf(sub)})
		}
	}
	var buf bytes.Buffer
	if err := report.WriteJSONMeta(&buf, results, red, meta); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(f.out, f.sh.gradeJSONName()), buf.Bytes(), 0o644)
}
