// Package teaching grades the exercise pack of scenarios/teaching: every
// reference solution must get full marks, and every broken variant its
// expected lower score with the expected hint. The programs are Python, so
// python3 is required: without it the test skips, except under CI, where
// it fails.
package teaching

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/sandbox"
	"github.com/netrunhq/netrun/steps/all"
)

// dir is the exercise pack.
const dir = "../../scenarios/teaching"

// registry serves the protocols of the CLI.
func registry(t *testing.T) *engine.Registry {
	t.Helper()
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestMain puts the interpreter that python3 stands for first in PATH.
// Where python3 is a wrapper script (pyenv's shims run bash and pyenv on
// every start), starting the interpreter itself keeps fifty gradings at
// once from spending most of their time in the wrapper.
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	// The WebSocket exercises' scenarios read NETRUN_PYTHON (wsPython).
	if os.Getenv("NETRUN_PYTHON") == "" {
		if p := wsPython(); p != "" {
			os.Setenv("NETRUN_PYTHON", p)
		}
	}
	if out, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output(); err == nil {
		if exe := strings.TrimSpace(string(out)); filepath.IsAbs(exe) {
			bin, err := os.MkdirTemp("", "netrun-teaching-python-")
			if err == nil {
				defer os.RemoveAll(bin)
				if os.Symlink(exe, filepath.Join(bin, "python3")) == nil {
					os.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
				}
			}
		}
	}
	return m.Run()
}

// requirePython fails under CI and skips elsewhere when python3 is missing.
func requirePython(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3 is needed to grade the exercise pack and CI is set: %v", err)
		}
		t.Skipf("python3 not found: %v", err)
	}
}

// grade runs one exercise on one program with its own sandbox, so that
// mailboxes of parallel runs never mix.
// It is safe to call from several goroutines.
func grade(reg *engine.Registry, ports *engine.Ports, exercise, prog string) (*engine.ScenarioResult, error) {
	sc, err := engine.LoadFile(filepath.Join(dir, exercise+".yaml"), reg, engine.LoadOptions{Vars: map[string]string{"program": prog}})
	if err != nil {
		return nil, err
	}
	sb := sandbox.New(sandbox.Options{})
	defer sb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return engine.Run(ctx, sc, engine.RunOptions{Sandbox: sb, Ports: ports}), nil
}

// summary lists each step's outcome, points and failure, for a failed test.
func summary(res *engine.ScenarioResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "score %g/%g, %s in %s\n", res.Score, res.MaxScore, res.Status, res.Duration.Round(time.Millisecond))
	if res.Failure != nil {
		fmt.Fprintf(&b, "  scenario: %s\n", res.Failure.Message)
	}
	for _, st := range res.Steps {
		fmt.Fprintf(&b, "  %-7s %g/%g %s (%s)\n", st.Status, st.Points, st.MaxPoints, st.Name, st.Duration.Round(time.Millisecond))
		if st.Failure != nil && st.Status != engine.Skipped {
			fmt.Fprintf(&b, "          %s\n", strings.ReplaceAll(st.Failure.Message, "\n", "\n          "))
		}
	}
	return b.String()
}

// failedHints are the hints of the steps that did not pass.
func failedHints(res *engine.ScenarioResult) []string {
	var hints []string
	for _, st := range res.Steps {
		if st.Status == engine.Failed || st.Status == engine.Errored {
			hints = append(hints, st.Hint)
		}
	}
	return hints
}

// exercises lists the scenarios of the pack, by name.
func exercises(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no exercises in %s: %v", dir, err)
	}
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".yaml"))
	}
	sort.Strings(names)
	return names
}
