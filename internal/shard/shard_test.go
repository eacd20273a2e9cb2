package shard

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/all"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Shard
		err  string
	}{
		{"1/4", Shard{1, 4}, ""},
		{" 4/4 ", Shard{4, 4}, ""},
		{"1/1", Shard{1, 1}, ""},
		{"0/4", Shard{}, "index must be from 1 to 4"},
		{"5/4", Shard{}, "index must be from 1 to 4"},
		{"1/0", Shard{}, "must be 1 or more"},
		{"3", Shard{}, "want K/N"},
		{"a/b", Shard{}, "whole numbers"},
	} {
		got, err := Parse(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Parse(%q) = %v, %v; want error with %q", c.in, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestFromEnv(t *testing.T) {
	for _, c := range []struct {
		name string
		env  map[string]string
		want Shard
		src  Source
		ok   bool
		err  string
	}{
		{"none", nil, Shard{}, "", false, ""},
		{"github matrix", map[string]string{"NETRUN_SHARD": "2/3"}, Shard{2, 3}, "NETRUN_SHARD", true, ""},
		{"gitlab parallel", map[string]string{"CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "5"}, Shard{1, 5}, "CI_NODE_INDEX/CI_NODE_TOTAL", true, ""},
		{"gitlab last", map[string]string{"CI_NODE_INDEX": "5", "CI_NODE_TOTAL": "5"}, Shard{5, 5}, "CI_NODE_INDEX/CI_NODE_TOTAL", true, ""},
		{"gitlab index 0", map[string]string{"CI_NODE_INDEX": "0", "CI_NODE_TOTAL": "5"}, Shard{}, "", false, "from 1 to 5"},
		{"gitlab half", map[string]string{"CI_NODE_TOTAL": "5"}, Shard{}, "", false, "must be set together"},
		{"k8s first", map[string]string{"JOB_COMPLETION_INDEX": "0", "NETRUN_SHARDS": "4"}, Shard{1, 4}, "JOB_COMPLETION_INDEX (from 0) and NETRUN_SHARDS", true, ""},
		{"k8s last", map[string]string{"JOB_COMPLETION_INDEX": "3", "NETRUN_SHARDS": "4"}, Shard{4, 4}, "JOB_COMPLETION_INDEX (from 0) and NETRUN_SHARDS", true, ""},
		{"k8s completions", map[string]string{"JOB_COMPLETION_INDEX": "1", "JOB_COMPLETIONS": "2"}, Shard{2, 2}, "JOB_COMPLETION_INDEX (from 0) and JOB_COMPLETIONS", true, ""},
		{"k8s out of range", map[string]string{"JOB_COMPLETION_INDEX": "4", "NETRUN_SHARDS": "4"}, Shard{}, "", false, "from 0 to 3"},
		{"k8s no total", map[string]string{"JOB_COMPLETION_INDEX": "0"}, Shard{}, "", false, "set NETRUN_SHARDS"},
		{"explicit wins", map[string]string{"NETRUN_SHARD": "1/2", "CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "2"}, Shard{1, 2}, "NETRUN_SHARD", true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, src, ok, err := FromEnv(func(k string) string { return c.env[k] })
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || ok != c.ok || got != c.want || src != c.src {
				t.Fatalf("FromEnv = %v %q %v %v; want %v %q %v", got, src, ok, err, c.want, c.src, c.ok)
			}
		})
	}
}

func TestResolveFlagWins(t *testing.T) {
	s, src, err := Resolve("3/3", func(string) string { return "1/2" })
	if err != nil || s != (Shard{3, 3}) || src != "--shard" {
		t.Fatalf("Resolve = %v %q %v", s, src, err)
	}
	s, _, err = Resolve("", func(string) string { return "" })
	if err != nil || !s.Whole() {
		t.Fatalf("Resolve without anything = %v %v, want the whole run", s, err)
	}
}

// shipped lists the example suite and the teaching pack with their step
// counts, as netrun weighs them.
func shipped(t *testing.T) []Item {
	t.Helper()
	var files []string
	for _, dir := range []string{"../../scenarios", "../../scenarios/teaching"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("only %d shipped scenarios found", len(files))
	}
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	scs, errs := engine.LoadFiles(files, reg, engine.LoadOptions{})
	var items []Item
	for i, sc := range scs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		items = append(items, Item{Key: sc.File, Weight: float64(len(sc.Steps) + len(sc.Finally))})
	}
	return items
}

// TestSplitShipped: for N = 1…7, the shards of the shipped scenarios are
// disjoint, their union is the whole, and the split does not depend on
// the order the files came in.
func TestSplitShipped(t *testing.T) {
	items := shipped(t)
	for n := 1; n <= 7; n++ {
		seen := map[string]int{}
		var total float64
		loads := make([]float64, n)
		for k := 1; k <= n; k++ {
			part := Split(items, Shard{k, n})
			if !sort.SliceIsSorted(part, func(a, b int) bool { return items[part[a]].Key < items[part[b]].Key }) {
				t.Errorf("N=%d K=%d: not in key order", n, k)
			}
			for _, i := range part {
				if prev, dup := seen[items[i].Key]; dup {
					t.Errorf("N=%d: %s in shards %d and %d", n, items[i].Key, prev, k)
				}
				seen[items[i].Key] = k
				loads[k-1] += items[i].Weight
			}
		}
		for _, it := range items {
			total += it.Weight
			if _, ok := seen[it.Key]; !ok {
				t.Errorf("N=%d: %s in no shard", n, it.Key)
			}
		}
		// LPT: the longest shard is within 4/3 of the best, which is at
		// least total/n and the heaviest item.
		heaviest := 0.0
		for _, it := range items {
			heaviest = max(heaviest, it.Weight)
		}
		if lb := max(total/float64(n), heaviest); slices.Max(loads) > lb*4/3+1e-9 {
			t.Errorf("N=%d: loads %v, lower bound %.1f", n, loads, lb)
		}
		// The same keys in another order give the same split.
		shuffled := slices.Clone(items)
		rand.New(rand.NewPCG(uint64(n), 7)).Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		for k := 1; k <= n; k++ {
			if a, b := keys(items, Split(items, Shard{k, n})), keys(shuffled, Split(shuffled, Shard{k, n})); !slices.Equal(a, b) {
				t.Errorf("N=%d K=%d: %v in file order, %v shuffled", n, k, a, b)
			}
		}
	}
}

func keys(items []Item, idx []int) []string {
	var out []string
	for _, i := range idx {
		out = append(out, items[i].Key)
	}
	return out
}

func TestSplitMoreShardsThanItems(t *testing.T) {
	items := []Item{{Key: "a"}, {Key: "b"}}
	var got [][]string
	for k := 1; k <= 3; k++ {
		got = append(got, keys(items, Split(items, Shard{k, 3})))
	}
	if !slices.Equal(got[0], []string{"a"}) || !slices.Equal(got[1], []string{"b"}) || len(got[2]) != 0 {
		t.Fatalf("split of 2 in 3: %v", got)
	}
}

func TestWeighFromReport(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.json")
	doc := `{"version":1,"scenarios":[
	 {"file":"./s/a.yaml","duration_ns":9000000000},
	 {"file":"s/b.yaml","duration_ns":1000000000},
	 {"file":"s/c.yaml","duration_ns":2000000000}]}`
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	past, err := PastDurations(p)
	if err != nil {
		t.Fatal(err)
	}
	items := []Item{{Key: "s/a.yaml"}, {Key: "s/b.yaml"}, {Key: "s/c.yaml"}, {Key: "s/new.yaml"}}
	if n := Weigh(items, past); n != 3 {
		t.Fatalf("Weigh found %d past durations, want 3", n)
	}
	if items[0].Weight != 9 || items[3].Weight != 2 {
		t.Fatalf("weights %v: want a=9 and the new one at the median 2", items)
	}
	// a alone is as heavy as the rest together: it gets a shard of its own.
	if got := keys(items, Split(items, Shard{1, 2})); !slices.Equal(got, []string{"s/a.yaml"}) {
		t.Fatalf("shard 1/2 = %v, want a alone", got)
	}
	// A report of netrun grade: the time of each student.
	grade := `{"version":1,"scenarios":[
	 {"file":"ex.yaml","duration_ns":3000000000,"student":{"id":"ann","exercise":"ex","status":"passed"}},
	 {"file":"ex.yaml","duration_ns":1000000000,"student":{"id":"bob","exercise":"ex","status":"failed"}}]}`
	if err := os.WriteFile(p, []byte(grade), 0o644); err != nil {
		t.Fatal(err)
	}
	if past, err = PastDurations(p); err != nil || past["student:ann"] != 3 || past["student:bob"] != 1 || len(past) != 2 {
		t.Fatalf("grade report: %v %v", past, err)
	}
	if err := os.WriteFile(p, []byte(`{"version":2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := PastDurations(p); err == nil || !strings.Contains(err.Error(), "version 1") {
		t.Fatalf("version 2: %v", err)
	}
}
