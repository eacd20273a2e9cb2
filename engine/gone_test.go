package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// gonePlugin serves the program scheme: spawn opens a goneProc, which
// has printed the exceptions the step gives and has ended when it says
// so; expect on it waits under UntilProcessesGone.
type gonePlugin struct{}

func (gonePlugin) Schemes() []string { return []string{programScheme} }

func (gonePlugin) Verbs() VerbTable {
	return VerbTable{Takes: []Verb{
		{Name: "spawn", Decode: func(d *Decoder) (TypedAction, error) {
			var cfg struct {
				Gone       bool     `yaml:"gone"`
				Ended      string   `yaml:"ended"`
				Exceptions []string `yaml:"exceptions"`
			}
			err := d.Load(d.Value, &cfg)
			return goneSpawn{gone: cfg.Gone, ended: cfg.Ended, exc: cfg.Exceptions}, err
		}},
		{Name: "expect", Decode: func(*Decoder) (TypedAction, error) { return goneWait{}, nil }},
	}}
}

type goneSpawn struct {
	Returns[fakeResult]
	gone  bool
	ended string
	exc   []string
}

func (a goneSpawn) Do(ctx context.Context, s *Session) (any, error) {
	p := &goneProc{ended: a.ended, exc: a.exc, gone: make(chan struct{})}
	if a.gone {
		close(p.gone)
	}
	s.Open(ctx, p)
	return fakeResult{}, nil
}

// goneWait waits for the step's deadline, or for every process to end.
type goneWait struct{ Returns[fakeResult] }

func (goneWait) Do(ctx context.Context, s *Session) (any, error) {
	gctx, cancel := UntilProcessesGone(ctx, s)
	defer cancel()
	<-gctx.Done()
	if ProcessesGone(gctx) {
		return nil, errors.New("nothing came: " + context.Cause(gctx).Error())
	}
	return nil, gctx.Err()
}

type goneProc struct {
	ended string
	exc   []string
	gone  chan struct{}
}

func (p *goneProc) Close(context.Context) error { return nil }
func (p *goneProc) Output(*Session)             {}
func (p *goneProc) Ended() string               { return p.ended }
func (p *goneProc) Gone() <-chan struct{}       { return p.gone }

// Exceptions gives its lines once, redacted.
func (p *goneProc) Exceptions(s *Session) []Exception {
	if len(p.exc) == 0 {
		return nil
	}
	lines := make([]string, len(p.exc))
	for i, l := range p.exc {
		lines[i] = s.Redact(l)
	}
	p.exc = nil
	return []Exception{{Program: "p", Stream: "stderr", Lines: lines, Count: 1}}
}

func TestProcessesGoneAndExceptions(t *testing.T) {
	reg, err := NewRegistry(gonePlugin{})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := LoadBytes("test.yaml", []byte(`name: gone
secrets: { pw: hunter2 }
defaults: { continue: true }
steps:
  - spawn: { gone: true, exceptions: ['OSError: bad hunter2'] }
    as: ended
  - spawn: { ended: 'it crashed: ValueError: x', exceptions: ['ValueError: x'] }
    as: running
  - expect: {}
    on: running
    timeout: 200ms
  - close: running
  - expect: {}
    on: ended
    timeout: 1h
`), reg, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res := Run(context.Background(), sc, RunOptions{})
	sameStatuses(t, res, Passed, Passed, Errored, Passed, Errored)
	// A process still runs: the step waits for its timeout. The
	// exceptions come once, redacted, without those the message shows.
	f := res.Steps[2].Failure
	if !strings.Contains(f.Message, "step timeout 200ms") || len(f.Exceptions) != 1 || f.Exceptions[0].Lines[0] != "OSError: bad ***" {
		t.Errorf("step 3: %q, exceptions %+v", f.Message, f.Exceptions)
	}
	// Every open process has ended: the wait ends at once.
	if f := res.Steps[4].Failure; !strings.Contains(f.Message, "nothing came: "+ErrProcessesGone.Error()) || len(f.Exceptions) != 0 {
		t.Errorf("step 5: %q, exceptions %+v", f.Message, f.Exceptions)
	}
}
