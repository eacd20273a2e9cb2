// Package steptest helps the tests of the protocol plugins: it loads and
// runs scenarios with a registry of plugins (Harness), asserts the
// statuses and failures of steps (Check, Failure, Transcript), scripts a
// server for one client on 127.0.0.1:0 (Serve and the acts Say, Hear,
// HearLine, Dialogue, Upgrade, ...) or serves every client with a handler
// (ServeEach), and makes CAs and certificates written to PEM files (PKI,
// ServerTLS).
package steptest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
)

// Harness loads and runs scenarios with a registry of plugins.
type Harness struct {
	t   testing.TB
	reg *engine.Registry
}

// New returns a harness with plugins; the test stops if they cannot be
// registered together.
func New(t testing.TB, plugins ...engine.Plugin) *Harness {
	t.Helper()
	reg, err := engine.NewRegistry(plugins...)
	if err != nil {
		t.Fatal(err)
	}
	return &Harness{t: t, reg: reg}
}

// Registry returns the registry of the plugins.
func (h *Harness) Registry() *engine.Registry { return h.reg }

// Load loads src, after replacing each old of oldnew with its new, as the
// file test.yaml in dir (a new folder when dir is empty), so that the
// scenario's relative paths are in dir.
func (h *Harness) Load(dir, src string, oldnew ...string) (*engine.Scenario, error) {
	h.t.Helper()
	if dir == "" {
		dir = h.t.TempDir()
	}
	src = strings.NewReplacer(oldnew...).Replace(src)
	return engine.LoadBytes(filepath.Join(dir, "test.yaml"), []byte(src), h.reg, engine.LoadOptions{})
}

// Run loads src like Load and runs it; the test stops if it does not load.
func (h *Harness) Run(dir, src string, oldnew ...string) *engine.ScenarioResult {
	h.t.Helper()
	return h.RunContext(context.Background(), dir, src, oldnew...)
}

// RunContext is Run within ctx, which may interrupt the scenario.
func (h *Harness) RunContext(ctx context.Context, dir, src string, oldnew ...string) *engine.ScenarioResult {
	h.t.Helper()
	sc, err := h.Load(dir, src, oldnew...)
	if err != nil {
		h.t.Fatalf("load: %v", err)
	}
	return engine.Run(ctx, sc, engine.RunOptions{})
}

// LoadErrors loads src in a new folder and returns its errors, one a line
// as file:line:col: message. The test stops unless loading fails with an
// engine.ErrorList.
func (h *Harness) LoadErrors(src string) []string {
	h.t.Helper()
	_, err := h.Load("", src)
	var list engine.ErrorList
	if !errors.As(err, &list) {
		h.t.Fatalf("load error %v, want an ErrorList", err)
	}
	var out []string
	for _, e := range list {
		out = append(out, e.Error())
	}
	return out
}

// Check wants the steps' statuses to be want, in order. It logs every
// failure, and on a difference every transcript, then stops the test.
func Check(t testing.TB, res *engine.ScenarioResult, want ...engine.Status) {
	t.Helper()
	var got []engine.Status
	for _, st := range res.Steps {
		got = append(got, st.Status)
		if st.Failure != nil && st.Status != engine.Skipped {
			t.Logf("step %d %q: %s: %s (received %s)", st.Index, st.Name, st.Status, st.Failure.Message, st.Failure.Received)
			for _, o := range st.Failure.Operands {
				t.Logf("    %s = %s", o.Expr, o.Value)
			}
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		for _, st := range res.Steps {
			for _, l := range st.Transcript {
				t.Logf("  step %d %s %s", st.Index, l.Dir, l.Text)
			}
		}
		t.Fatalf("statuses %v, want %v", got, want)
	}
}

// Failure returns the failure of step i (1-based), and wants its message
// to contain each of msgs. The test stops if the step did not fail.
func Failure(t testing.TB, res *engine.ScenarioResult, i int, msgs ...string) *engine.Failure {
	t.Helper()
	f := res.Steps[i-1].Failure
	if f == nil {
		t.Fatalf("step %d did not fail", i)
	}
	for _, m := range msgs {
		if !strings.Contains(f.Message, m) {
			t.Errorf("step %d failure %q does not contain %q", i, f.Message, m)
		}
	}
	return f
}

// Transcript returns the transcript of step i (1-based), one entry a line:
// its direction and its text.
func Transcript(res *engine.ScenarioResult, i int) string {
	var b strings.Builder
	for _, l := range res.Steps[i-1].Transcript {
		b.WriteString(l.Dir + " " + l.Text + "\n")
	}
	return b.String()
}

// WriteFile writes data to dir/name and returns the path.
func WriteFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
