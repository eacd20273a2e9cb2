package engine

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestParallelCount runs the count form: every branch's steps are listed
// after the block, named by their branch, with indexes of their own, and
// each branch sees its own `branch`.
func TestParallelCount(t *testing.T) {
	opened := &fakeOpened{}
	reg, err := NewRegistry(fakePlugin{opened: opened})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := LoadBytes("test.yaml", []byte(`
name: count
vars: { greeting: hi }
steps:
  - name: clients
    id: block
    parallel:
      count: 5
      steps:
        - connect: fake://c{{ branch }}
        - send: '{{ greeting }} {{ branch }}'
          save: { mine: result.data }
        - expect: { equals: 'HI {{ branch }}' }
          assert: mine == greeting + " " + string(branch)
    assert: result.passed == 5 && result.branches == 5
  - assert: steps.block.failed == 0
  - connect: fake://after
finally:
  - assert: true
`), reg, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res := Run(context.Background(), sc, RunOptions{})
	if res.Status != Passed {
		t.Fatalf("status %s: %+v", res.Status, res.Steps[0].Failure)
	}
	if got, want := len(res.Steps), 1+5*3+3; got != want {
		t.Fatalf("%d step results, want %d", got, want)
	}
	seen := map[int]bool{}
	for i, st := range res.Steps {
		if seen[st.Index] {
			t.Errorf("index %d twice", st.Index)
		}
		seen[st.Index] = true
		if st.Index != i+1 {
			t.Errorf("step %d %q has index %d", i, st.Name, st.Index)
		}
	}
	if st := res.Steps[4]; st.Branch != "2" || st.Name != `clients [2] fake connect "fake://c2"` {
		t.Errorf("step 4: branch %q name %q", st.Branch, st.Name)
	}
	opened.mu.Lock()
	defer opened.mu.Unlock()
	if len(opened.conns) != 6 {
		t.Fatalf("%d connections opened, want 6", len(opened.conns))
	}
	for i, c := range opened.conns {
		if !c.closed {
			t.Errorf("connection %d not closed", i)
		}
	}
}

// TestParallelFailure: a failing branch fails the block, the other
// branches run to their end, the steps after the block are skipped, and
// the connections of every branch are closed.
func TestParallelFailure(t *testing.T) {
	sc := mustLoad(t, `
name: one fails
steps:
  - name: pair
    parallel:
      branches:
        good:
          - connect: fake://a
          - send: x
          - expect: { equals: X }
        bad:
          - connect: fake://b
          - send: y
          - expect: { equals: nope }
            hint: branch {{ branch }} was wrong
          - send: never
        worse:
          - connect: fake://c
            fail: true
    points: 2
  - connect: fake://after
    points: 1
`)
	res := Run(context.Background(), sc, RunOptions{})
	if res.Status != Failed {
		t.Fatalf("status %s", res.Status)
	}
	block := res.Steps[0]
	if block.Status != Failed || !strings.Contains(block.Failure.Message, "2 of 3 branches failed: [bad] fake expect") ||
		!strings.Contains(block.Failure.Message, "[worse]") {
		t.Errorf("block: %s %+v", block.Status, block.Failure)
	}
	want := map[string]Status{
		"pair [good] fake expect":  Passed,
		"pair [bad] fake expect":   Failed,
		"pair [bad] fake send \"n": Skipped,
		"pair [worse] fake conn":   Errored,
	}
	for prefix, status := range want {
		found := false
		for _, st := range res.Steps {
			if strings.HasPrefix(st.Name, prefix) {
				found = true
				if st.Status != status {
					t.Errorf("%s: %s, want %s", st.Name, st.Status, status)
				}
			}
		}
		if !found {
			t.Errorf("no step %q", prefix)
		}
	}
	if h := res.Steps[6].Hint; h != "branch bad was wrong" {
		t.Errorf("hint %q", h)
	}
	last := res.Steps[len(res.Steps)-1]
	if last.Status != Skipped || res.Score != 0 || res.MaxScore != 3 {
		t.Errorf("last %s, score %v/%v", last.Status, res.Score, res.MaxScore)
	}
}

// TestParallelNotRun: a block that does not run lists every branch step
// as skipped, so that the maximum score is the same whatever ran.
func TestParallelNotRun(t *testing.T) {
	sc := mustLoad(t, `
name: not run
steps:
  - connect: fake://x
    fail: true
  - parallel: { count: 3, steps: [ { connect: fake://y, points: 1 } ] }
  - parallel: { count: 2, steps: [ { connect: fake://y, points: 1 } ] }
    if: false
`)
	res := Run(context.Background(), sc, RunOptions{})
	if len(res.Steps) != 1+4+3 || res.MaxScore != 5 {
		t.Fatalf("%d results, max %v", len(res.Steps), res.MaxScore)
	}
	for _, st := range res.Steps[1:] {
		if st.Status != Skipped {
			t.Errorf("%s: %s", st.Name, st.Status)
		}
	}
	nr := NotRun(sc, "no program")
	if len(nr.Steps) != 8 || nr.MaxScore != 5 {
		t.Errorf("NotRun: %d steps, max %v", len(nr.Steps), nr.MaxScore)
	}
}

// TestParallelNoLeak: an interrupted block ends every branch, closes
// their connections and leaves no goroutine behind.
func TestParallelNoLeak(t *testing.T) {
	opened := &fakeOpened{}
	reg, err := NewRegistry(fakePlugin{opened: opened})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := LoadBytes("test.yaml", []byte(`
name: leak
steps:
  - parallel:
      count: 50
      steps:
        - connect: fake://a
        - connect: fake://b
          delay: 1h
          timeout: 2h
`), reg, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *ScenarioResult)
	go func() { done <- Run(ctx, sc, RunOptions{}) }()
	for { // wait until every branch has opened its first connection
		opened.mu.Lock()
		n := len(opened.conns)
		opened.mu.Unlock()
		if n == 50 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	res := <-done
	if !res.Interrupted || res.Steps[0].Status != Errored {
		t.Errorf("interrupted %v, block %s", res.Interrupted, res.Steps[0].Status)
	}
	for _, c := range opened.conns {
		if !c.closed {
			t.Error("a connection was left open")
		}
	}
	// When Run returns, no branch is running any more: the block joined
	// them all.
	buf := make([]byte, 1<<20)
	if stacks := string(buf[:runtime.Stack(buf, true)]); strings.Contains(stacks, "runBranch") {
		t.Errorf("a branch still runs after Run returned:\n%s", stacks)
	}
	// The goroutines themselves exit just after: the count comes back
	// (a leak fails here, after a bound far above any machine's delay).
	for i := 0; runtime.NumGoroutine() > before; i++ {
		if i == 30000 {
			t.Fatalf("%d goroutines, %d before", runtime.NumGoroutine(), before)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestParallelSecretsRedacted: a secret sent in a branch is redacted from
// the branch's results like anywhere else.
func TestParallelSecretsRedacted(t *testing.T) {
	sc := mustLoad(t, `
name: secrets
secrets: { pw: HUNTER22 }
steps:
  - parallel:
      count: 2
      steps:
        - connect: fake://x
        - send: 'pw {{ pw }}'
        - expect: { equals: nope }
`)
	res := Run(context.Background(), sc, RunOptions{})
	for _, st := range res.Steps {
		for _, l := range st.Transcript {
			if strings.Contains(l.Text, "HUNTER22") {
				t.Errorf("%s: transcript %q", st.Name, l.Text)
			}
		}
		if st.Failure != nil && (strings.Contains(st.Failure.Message, "HUNTER22") || strings.Contains(st.Failure.Received, "HUNTER22")) {
			t.Errorf("%s: failure %+v", st.Name, st.Failure)
		}
	}
}

// TestParallelDeadlines: a branch step's own timeout and the block's
// timeout each end the steps they bound, with the deadline named.
func TestParallelDeadlines(t *testing.T) {
	sc := mustLoad(t, `
name: deadlines
steps:
  - name: steps
    parallel:
      count: 2
      steps:
        - connect: fake://a
          delay: 1h
          timeout: 20ms
    continue: true
  - name: block
    parallel:
      count: 2
      steps:
        - connect: fake://a
          delay: 1h
          timeout: 2h
    timeout: 30ms
`)
	res := Run(context.Background(), sc, RunOptions{})
	for _, st := range res.Steps {
		t.Logf("%s: %s %+v", st.Name, st.Status, st.Failure)
	}
	if f := res.Steps[1].Failure; f == nil || !strings.Contains(f.Message, "step timeout 20ms exceeded") {
		t.Errorf("branch step: %+v", f)
	}
	if f := res.Steps[4].Failure; f == nil || !strings.Contains(f.Message, "30ms exceeded") {
		t.Errorf("block's branch step: %+v", f)
	}
	if res.Steps[3].Status != Errored {
		t.Errorf("block: %s", res.Steps[3].Status)
	}
}
