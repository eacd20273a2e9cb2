package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestScaleOut simulates the engines that run netrun's shards: each
// script in testdata/scale runs the shards as separate netrun processes
// with the environment variables a GitHub Actions matrix, GitLab
// parallel: or a Kubernetes Indexed Job sets, merges their reports and
// compares them with one unsharded run (samereports).
func TestScaleOut(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/scale",
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			env.Setenv("ROOT", root)
			// The shipped scenarios run on the sandbox, not on the real
			// servers CI points them at.
			kept := env.Vars[:0]
			for _, kv := range env.Vars {
				if !strings.HasPrefix(kv, "NETRUN_") {
					kept = append(kept, kv)
				}
			}
			env.Vars = kept
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"samereports": sameReports,
		},
	})
}

// sameReports A.json B.json: the two JSON reports hold the same
// scenarios with the same outcome, score and steps, apart from times,
// the order of scenarios, and what changes from run to run (ports in
// step names and results).
func sameReports(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: samereports A.json B.json")
	}
	a, b := outcomes(ts, args[0]), outcomes(ts, args[1])
	same := reflect.DeepEqual(a, b)
	if same == neg {
		ts.Fatalf("%s and %s: same=%v\n%s\n%s", args[0], args[1], same, a, b)
	}
}

// outcomes is the run-independent part of a JSON report, keyed by file
// (and student).
func outcomes(ts *testscript.TestScript, path string) map[string]string {
	var doc struct {
		Summary struct {
			Scenarios, Steps json.RawMessage
			Score            *float64
			MaxScore         *float64 `json:"max_score"`
		}
		Scenarios []struct {
			File, Name, Status string
			Score              float64
			MaxScore           float64 `json:"max_score"`
			Student            *struct{ ID, Exercise, Status string }
			Steps              []struct {
				Index        int
				Name, Status string
				NameTemplate string `json:"name_template"`
				Points       float64
				MaxPoints    float64 `json:"max_points"`
				Failure      *struct{ Kind string }
			}
		}
	}
	if err := json.Unmarshal([]byte(ts.ReadFile(path)), &doc); err != nil {
		ts.Fatalf("%s: %v", path, err)
	}
	out := map[string]string{"summary": fmt.Sprintf("%s %s %v %v", doc.Summary.Scenarios, doc.Summary.Steps, ptr(doc.Summary.Score), ptr(doc.Summary.MaxScore))}
	for _, sc := range doc.Scenarios {
		key := sc.File
		if sc.Student != nil {
			key = sc.Student.ID + " " + sc.Student.Exercise + " " + sc.Student.Status
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s %v/%v;", sc.Name, sc.Status, sc.Score, sc.MaxScore)
		for _, st := range sc.Steps {
			name := st.Name
			if st.NameTemplate != "" {
				name = st.NameTemplate
			}
			fmt.Fprintf(&b, " %d %q %s %v/%v %v", st.Index, name, st.Status, st.Points, st.MaxPoints, st.Failure != nil)
		}
		if _, dup := out[key]; dup {
			ts.Fatalf("%s: %s twice", path, key)
		}
		out[key] = b.String()
	}
	return out
}

func ptr(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
