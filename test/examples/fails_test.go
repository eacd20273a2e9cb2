package examples

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/sandbox"
	"github.com/netrunhq/netrun/steps/all"
)

// TestFailsCountsOnlyThePeer checks, with the real plugins, that a step
// with fails: passes on a failure of the peer, and that an error of the
// scenario itself (a missing file, a URL that does not parse, stdin that
// is not a pipe) stays an error: a broken scenario must
// never pass as "refused".
func TestFailsCountsOnlyThePeer(t *testing.T) {
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, steps string
		want        engine.Status
	}{
		{"refused", `
  - connect: tcp://{{ closed }}
    fails: refused`, engine.Passed},
		{"tls ca file missing", `
  - connect: tls://{{ sandbox("echo-tls") }}
    tls: { ca: /nonexistent/netrun-ca.pem }
    fails: true`, engine.Errored},
		{"templated URL that does not parse", `
  - connect: 'tcp://127.0.0.1:{{ "99999x" }}'
    fails: true`, engine.Errored},
		{"payload file missing", `
  - connect: tcp://{{ sandbox("echo-tcp") }}
  - send: { file: /nonexistent/netrun-payload }
    fails: true`, engine.Errored},
		{"stdin not a pipe", `
  - spawn: { run: [sleep, "5"] }
  - send: { stdin: hello }
    fails: true`, engine.Errored},
	}
	closed := steptest.ClosedPort(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "name: fails\nsteps:" + strings.ReplaceAll(tt.steps, "{{ closed }}", closed) + "\n"
			sc, err := engine.LoadBytes("fails.yaml", []byte(src), reg, engine.LoadOptions{Services: sandbox.Names()})
			if err != nil {
				t.Fatal(err)
			}
			sb := sandbox.New(sandbox.Options{})
			t.Cleanup(func() { _ = sb.Close() })
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res := engine.Run(ctx, sc, engine.RunOptions{Ports: engine.NewPorts(), Sandbox: sb})
			if res.Status != tt.want {
				for _, st := range res.Steps {
					if st.Failure != nil {
						t.Logf("%s %s: %s", st.Status, st.Name, st.Failure.Message)
					}
				}
				t.Fatalf("status %s, want %s", res.Status, tt.want)
			}
		})
	}
}

// TestAnswerAfterListenerClosed answers a request after its listener was
// closed: the write fails as a write to a closed connection, and never as
// the internal error (a nil pointer in net/http) it once was.
func TestAnswerAfterListenerClosed(t *testing.T) {
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	src := `name: late answer
vars:
  port: '{{ free_port() }}'
steps:
  - parallel:
      branches:
        client:
          - connect: 'http://127.0.0.1:{{ port }}'
            retry: { every: 50ms, within: 5s }
          - fetch: /
            fails: true
        server:
          - listen: 'http://127.0.0.1:{{ port }}'
            as: h
          - accept: true
            on: h
            as: req
          - close: h
          - send: { status: 200, body: late }
            on: req
            fails: closed
`
	sc, err := engine.LoadBytes("late.yaml", []byte(src), reg, engine.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res := engine.Run(ctx, sc, engine.RunOptions{Ports: engine.NewPorts()})
	if res.Status != engine.Passed {
		for _, st := range res.Steps {
			if st.Failure != nil {
				t.Logf("%s %s: %s", st.Status, st.Name, st.Failure.Message)
			}
		}
		t.Fatalf("status %s, want passed", res.Status)
	}
}
