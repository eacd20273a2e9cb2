package engine

import (
	"context"
	"strings"
	"testing"
)

// TestFails is the table of fails: outcomes: what counts as the failure
// a step expects (a mismatch, an assertion, a refused connection, the
// step's deadline) and what does not (the scenario's own errors, an
// interruption), with the message each shows.
func TestFails(t *testing.T) {
	tests := []struct {
		name, step string
		status     Status
		msg        string // part of the failure's message, or of ExpectedFailure when passed
	}{
		{"a mismatch is the failure expected", "expect: { equals: nope }\n    fails: true", Passed, `expected "nope"`},
		{"with the reason given", "expect: { equals: nope }\n    fails: expected", Passed, `expected "nope"`},
		{"with another reason", "expect: { equals: nope }\n    fails: refused", Failed,
			`expected this step to fail with "refused", but it failed with: expected "nope"`},
		{"a success fails", "expect: { equals: HELLO }\n    fails: true", Failed,
			"expected this step to fail, but it succeeded: received \"HELLO\""},
		{"an assertion that does not hold", "expect: { equals: HELLO }\n    assert: result.count == 7\n    fails: true", Passed,
			"assertion failed: result.count == 7"},
		{"a refused connection", "connect: fake://y\n    fail: true\n    fails: refused", Passed, "connection refused"},
		{"the step's deadline", "connect: fake://y\n    delay: 1h\n    timeout: 20ms\n    fails: true", Passed, "step timeout 20ms exceeded"},
		{"an expression error does not count", "send: '{{ int(\"x\") }}'\n    fails: true", Errored, "not of the peer"},
		{"an assert that cannot be evaluated does not count", "expect: { equals: HELLO }\n    assert: int(\"x\") == 1\n    fails: true", Errored, "not of the peer"},
		{"if false skips", "expect: { equals: nope }\n    if: false\n    fails: true", Skipped, "is false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := mustLoad(t, "name: fails\nsteps:\n  - connect: fake://x\n  - send: hello\n  - "+tt.step+"\n    points: 2\n")
			res := Run(context.Background(), sc, RunOptions{})
			st := res.Steps[2]
			if st.Status != tt.status {
				t.Fatalf("status %s, want %s: %+v", st.Status, tt.status, st.Failure)
			}
			got := st.ExpectedFailure
			if st.Failure != nil {
				got = st.Failure.Message
			}
			if !strings.Contains(got, tt.msg) {
				t.Errorf("message %q, want it to hold %q", got, tt.msg)
			}
			if wantPts := map[bool]float64{true: 2, false: 0}[tt.status == Passed]; st.Points != wantPts || res.Score != wantPts {
				t.Errorf("points %v, score %v, want %v", st.Points, res.Score, wantPts)
			}
		})
	}
}

// TestFailsInterrupted: an interruption is never the failure expected.
func TestFailsInterrupted(t *testing.T) {
	sc := mustLoad(t, "name: i\nsteps:\n  - connect: fake://x\n    delay: 1h\n    timeout: 2h\n    fails: true\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Run(ctx, sc, RunOptions{})
	if st := res.Steps[0]; st.Status != Errored {
		t.Errorf("status %s: %+v", st.Status, st.Failure)
	}
}

// TestFailsContinue: an inverted step that succeeded stops the scenario
// unless continue is set, as any failed step.
func TestFailsContinue(t *testing.T) {
	sc := mustLoad(t, `
name: c
steps:
  - connect: fake://x
  - send: hi
  - expect: { equals: HI }
    fails: true
    continue: true
  - send: again
  - expect: { equals: AGAIN }
    fails: true
  - send: never
`)
	res := Run(context.Background(), sc, RunOptions{})
	want := []Status{Passed, Passed, Failed, Passed, Failed, Skipped}
	for i, st := range res.Steps {
		if st.Status != want[i] {
			t.Errorf("step %d %s: %s, want %s", i, st.Name, st.Status, want[i])
		}
	}
}
