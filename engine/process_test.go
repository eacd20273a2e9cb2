package engine

import (
	"context"
	"strings"
	"testing"
)

// procPlugin serves the program scheme for engine tests: spawn opens a
// fakeProc that has ended on its own when the step says so.
type procPlugin struct{}

func (procPlugin) Schemes() []string { return []string{programScheme} }

func (procPlugin) Verbs() VerbTable {
	return VerbTable{Takes: []Verb{{Name: "spawn", Decode: func(d *Decoder) (TypedAction, error) {
		var cfg struct {
			Ended string `yaml:"ended"`
		}
		if err := d.Load(d.Value, &cfg); err != nil {
			return nil, err
		}
		return procSpawn{ended: cfg.Ended}, nil
	}}}}
}

type procSpawn struct {
	Returns[fakeResult]
	ended string
}

func (a procSpawn) Do(ctx context.Context, s *Session) (any, error) {
	p := &fakeProc{name: s.As(), ended: a.ended}
	s.Open(ctx, p)
	return fakeResult{Data: s.As()}, nil
}

// fakeProc is a Process whose output is one line per call of Output.
type fakeProc struct {
	name   string
	ended  string
	calls  int
	closed bool
}

func (p *fakeProc) Close(context.Context) error { p.closed = true; return nil }

func (p *fakeProc) Output(s *Session) {
	p.calls++
	state := "running"
	if p.closed {
		state = "stopped"
	}
	s.Note("%s output %d (%s)", p.name, p.calls, state)
}

func (p *fakeProc) Ended() string { return p.ended }

func TestProcesses(t *testing.T) {
	reg, err := NewRegistry(fakePlugin{}, procPlugin{})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := LoadBytes("test.yaml", []byte(`name: processes
steps:
  - spawn: { ended: 'program "srv" exited with status 1' }
    as: srv
    assert: result.data == "srv"
  - spawn: {}
  - connect: fake://x
  - expect: { equals: X }
    continue: true
  - assert: "false"
`), reg, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res := Run(context.Background(), sc, RunOptions{})
	sameStatuses(t, res, Passed, Passed, Passed, Failed, Failed)
	// A failing step says how an open process ended, once each.
	for _, i := range []int{3, 4} {
		msg := res.Steps[i].Failure.Message
		if strings.Count(msg, `program "srv" exited with status 1`) != 1 {
			t.Errorf("step %d: %q does not say once how srv ended", i+1, msg)
		}
	}
	// Each step's transcript has the output of every open process; the
	// last step's also has what came while they were closed.
	want := [][]string{
		{"srv output 1 (running)"},
		{"srv output 2 (running)", " output 1 (running)"},
		{"srv output 3 (running)", " output 2 (running)"},
		{"srv output 4 (running)", " output 3 (running)"},
		{"srv output 5 (running)", " output 4 (running)", " output 5 (stopped)", "srv output 6 (stopped)"},
	}
	for i, st := range res.Steps {
		var got []string
		for _, l := range st.Transcript {
			if l.Dir == "*" && strings.Contains(l.Text, "output") {
				got = append(got, l.Text)
			}
		}
		if strings.Join(got, "|") != strings.Join(want[i], "|") {
			t.Errorf("step %d transcript %q, want %q", i+1, got, want[i])
		}
	}
}

func TestNotRun(t *testing.T) {
	sc := mustLoad(t, `name: not run
steps:
  - connect: fake://x
    points: 2
    visibility: hidden
  - send: hi
    points: 1
finally:
  - close: true
`)
	res := NotRun(sc, "no udp_server.py in subs/alice")
	sameStatuses(t, res, Skipped, Skipped, Skipped)
	if res.Status != Errored || res.Failure.Message != "no udp_server.py in subs/alice" || res.Score != 0 || res.MaxScore != 3 {
		t.Errorf("status %s, failure %+v, score %v/%v", res.Status, res.Failure, res.Score, res.MaxScore)
	}
	if st := res.Steps[0]; st.MaxPoints != 2 || st.Visibility != "hidden" || st.Failure.Message != "not run: no udp_server.py in subs/alice" {
		t.Errorf("step 1: %+v", st)
	}
}
