package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
	"github.com/netrunhq/netrun/internal/shard"
)

// shardFlags are --shard K/N and --shard-by REPORT, of netrun run and
// netrun grade, and the shard that was chosen.
type shardFlags struct {
	spec, by string
	// meta is what the JSON report records of the shard run.
	meta *report.JSONShard
}

func (s *shardFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&s.spec, "shard", "", "")
	fs.StringVar(&s.by, "shard-by", "", "")
}

// pick resolves the shard (flag, else environment), weighs the items and
// returns the indexes of this shard's items. It prints one line on stderr
// when the run is sharded.
func (s *shardFlags) pick(items []shard.Item, what string, stderr io.Writer) ([]int, error) {
	sh, src, err := shard.Resolve(s.spec, os.Getenv)
	if err != nil {
		return nil, err
	}
	if s.by != "" {
		past, err := shard.PastDurations(s.by)
		if err != nil {
			return nil, err
		}
		shard.Weigh(items, past)
	}
	if src == "" {
		all := make([]int, len(items))
		for i := range all {
			all[i] = i
		}
		return all, nil
	}
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = it.Key
	}
	s.meta = &report.JSONShard{Index: sh.K, Total: sh.N, Items: len(items), Set: report.SetDigest(keys)}
	part := shard.Split(items, sh)
	fmt.Fprintln(stderr, shard.Line(sh, src, len(part), len(items), what))
	return part, nil
}

// invalidMeta is the shard of a run whose files did not load, as far as
// it is known without them: K/N from --shard or the environment. It is
// nil when the run is not sharded or the shard is not valid.
func (s *shardFlags) invalidMeta() *report.JSONShard {
	sh, src, err := shard.Resolve(s.spec, os.Getenv)
	if err != nil || src == "" {
		return nil
	}
	return &report.JSONShard{Index: sh.K, Total: sh.N}
}

// scenarios keeps the scenarios of this shard, weighed by their steps.
func (s *shardFlags) scenarios(scs []*engine.Scenario, stderr io.Writer) ([]*engine.Scenario, error) {
	items := make([]shard.Item, len(scs))
	for i, sc := range scs {
		items[i] = shard.Item{Key: filepath.Clean(sc.File), Weight: float64(len(sc.Steps) + len(sc.Finally))}
	}
	part, err := s.pick(items, "scenarios", stderr)
	if err != nil {
		return nil, err
	}
	out := make([]*engine.Scenario, 0, len(part))
	for _, i := range part {
		out = append(out, scs[i])
	}
	return out, nil
}

// writeJSON writes the JSON report of netrun run, with the shard.
func (s *shardFlags) writeJSON(w io.Writer, results []*engine.ScenarioResult, red *engine.Redactor) error {
	return report.WriteJSONMeta(w, results, red, report.JSONMeta{Shard: s.meta})
}
