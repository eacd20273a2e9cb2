package shard

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// pastReport is what --shard-by reads of a JSON report (engine/report,
// version 1): how long each scenario, or each student's grading, took.
type pastReport struct {
	Version   int `json:"version"`
	Scenarios []struct {
		File    string `json:"file"`
		Student *struct {
			ID string `json:"id"`
		} `json:"student"`
		DurationNS int64 `json:"duration_ns"`
	} `json:"scenarios"`
}

// PastDurations reads a JSON report and returns the seconds each scenario
// took, keyed by its file (cleaned) and, for a report of netrun grade, by
// student too.
func PastDurations(path string) (map[string]float64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--shard-by: %w", err)
	}
	var r pastReport
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("--shard-by %s: not a netrun JSON report: %w", path, err)
	}
	if r.Version != 1 {
		return nil, fmt.Errorf("--shard-by %s: not a netrun JSON report of version 1 (version %d)", path, r.Version)
	}
	out := map[string]float64{}
	for _, sc := range r.Scenarios {
		secs := float64(sc.DurationNS) / 1e9
		if sc.Student != nil && sc.Student.ID != "" {
			out["student:"+sc.Student.ID] += secs
		} else if sc.File != "" {
			out[filepath.Clean(sc.File)] += secs
		}
	}
	return out, nil
}

// Weigh sets the weight of every item whose key (a file, cleaned; or
// "student:ID") is in past to its past seconds, and of every other item to
// the median of those, so that a new scenario counts as a typical one. It
// returns how many items had a past duration.
func Weigh(items []Item, past map[string]float64) int {
	var known []float64
	for _, it := range items {
		if d, ok := past[it.Key]; ok {
			known = append(known, d)
		}
	}
	if len(known) == 0 {
		return 0
	}
	sort.Float64s(known)
	median := known[len(known)/2]
	if median <= 0 {
		median = 1e-3
	}
	for i := range items {
		if d, ok := past[items[i].Key]; ok && d > 0 {
			items[i].Weight = d
		} else {
			items[i].Weight = median
		}
	}
	return len(known)
}
