package teaching

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
)

// jobs is how many programs are graded at once. Most of a grading is
// waiting (for a reply that a broken program never sends), so this is well
// above the number of cores.
const jobs = 24

// TestExercisePack grades every program of the table and checks its score
// and hint. Each subtest starts its grading at once, in the background,
// then calls t.Parallel and waits for it: so all gradings run together
// (up to jobs), not only -parallel (GOMAXPROCS) of them, and -run still
// selects which ones run.
func TestExercisePack(t *testing.T) {
	requirePython(t)
	reg := registry(t)
	// No program may change the pack's own files, whatever it does to the
	// copies it is given: the next student is graded against them.
	before := packFiles(t)
	t.Cleanup(func() {
		if after := packFiles(t); !maps.Equal(before, after) {
			t.Errorf("the pack's testdata changed while grading:\nbefore %v\nafter  %v", before, after)
		}
	})
	ports := engine.NewPorts()
	sem := make(chan struct{}, jobs)
	for _, v := range variants {
		t.Run(strings.TrimSuffix(filepath.Base(v.program), ".py"), func(t *testing.T) {
			skipWithoutModules(t, v.program)
			type graded struct {
				res *engine.ScenarioResult
				err error
			}
			done := make(chan graded, 1)
			go func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				res, err := grade(reg, ports, v.exercise, v.program)
				done <- graded{res, err}
			}()
			t.Parallel()
			g := <-done
			if g.err != nil {
				t.Fatalf("load %s: %v", v.exercise, g.err)
			}
			check(t, v, g.res)
		})
	}
}

// check compares a grading with what the table wants.
func check(t *testing.T, v variant, res *engine.ScenarioResult) {
	t.Helper()
	t.Log(summary(res))
	if res.Score != v.score || res.MaxScore != v.max {
		t.Fatalf("%s graded %s %g/%g, want %g/%g", v.exercise, v.program, res.Score, res.MaxScore, v.score, v.max)
	}
	if v.hint == "" {
		if res.Status != engine.Passed {
			t.Fatalf("the reference solution did not pass")
		}
		return
	}
	if res.Status == engine.Passed {
		t.Fatalf("a broken variant passed")
	}
	for _, h := range failedHints(res) {
		if strings.Contains(h, v.hint) {
			return
		}
	}
	t.Fatalf("no failed step has a hint with %q", v.hint)
}

// TestEveryExerciseIsGraded checks that the table covers every exercise
// with its reference solution and at least one broken variant, and every
// program file of the pack.
func TestEveryExerciseIsGraded(t *testing.T) {
	solved, broken, listed := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, v := range variants {
		listed[v.program] = true
		if v.hint == "" {
			solved[v.exercise] = true
		} else {
			broken[v.exercise] = true
		}
	}
	for _, ex := range exercises(t) {
		if !solved[ex] || !broken[ex] {
			t.Errorf("exercise %s: reference solution graded %v, a broken variant graded %v", ex, solved[ex], broken[ex])
		}
	}
	for _, sub := range []string{"solutions", "solutions/alt", "broken"} {
		files, err := filepath.Glob(filepath.Join(dir, sub, "*.py"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if p := sub + "/" + filepath.Base(f); !listed[p] {
				t.Errorf("%s is not graded by the table", p)
			}
		}
	}
}

// packFiles maps each file of the pack's testdata to its sha256.
func packFiles(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(filepath.Join(dir, "testdata"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[p] = fmt.Sprintf("%x", sha256.Sum256(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
