package engine

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"
)

// blockTimeout is the deadline of a parallel block without timeout: the
// scenario's deadline bounds it, and in finally: (no scenario deadline)
// the timeouts of the block's own steps do.
const blockTimeout = 24 * time.Hour

// maxFailuresShown is how many failed branches a block's message names.
const maxFailuresShown = 3

// parallelAction runs its branches at once and waits for all of them.
// Every branch runs to its end (its first failed step without continue):
// a failure in one branch does not stop the others, so the report shows
// each branch's outcome.
type parallelAction struct {
	branches []branch
}

// Result is the block's result type.
func (*parallelAction) Result() any { return ParallelResult{} }

// Do runs the branches, each in a run of its own (connections, saved
// values), and leaves their step results for the scenario's run to record
// after the block's own.
func (a *parallelAction) Do(ctx context.Context, s *Session) (any, error) {
	results := make([][]StepResult, len(a.branches))
	var wg sync.WaitGroup
	for i := range a.branches {
		b := &a.branches[i]
		child := s.sr.branchRun(b)
		wg.Go(func() { results[i] = child.runBranch(ctx, s.step, b) })
	}
	wg.Wait()
	res := ParallelResult{Branches: len(a.branches)}
	var failed []string
	kind := Passed
	for _, rs := range results {
		s.sr.branchResults = append(s.sr.branchResults, rs...)
		f := firstFailure(rs)
		if f == nil {
			res.Passed++
			continue
		}
		res.Failed++
		if f.Status == Failed || kind == Passed {
			kind = f.Status
		}
		if len(failed) < maxFailuresShown {
			name := strings.TrimPrefix(f.Name, s.step.Name+" ")
			failed = append(failed, fmt.Sprintf("%s: %s", name, firstLine(f.Failure.Message)))
		}
	}
	if res.Failed == 0 {
		return res, nil
	}
	msg := fmt.Sprintf("%d of %d branches failed: %s", res.Failed, res.Branches, strings.Join(failed, "; "))
	if res.Failed > len(failed) {
		msg += "; ..."
	}
	if kind == Failed {
		return res, &Mismatch{Msg: msg}
	}
	return res, fmt.Errorf("%s", msg)
}

// firstFailure returns the first step result of a branch that failed or
// erred, or nil.
func firstFailure(rs []StepResult) *StepResult {
	for i := range rs {
		if rs[i].Status == Failed || rs[i].Status == Errored {
			return &rs[i]
		}
	}
	return nil
}

// branchRun returns the run of one branch: the scenario's values as they
// are now (vars, saved values, step results), with `branch` set, and no
// connection.
func (sr *scenarioRun) branchRun(b *branch) *scenarioRun {
	c := &scenarioRun{sc: sr.sc, opts: sr.opts, stepCtx: sr.stepCtx, conns: map[string]openConn{},
		vals: values{vars: maps.Clone(sr.vals.vars), steps: maps.Clone(sr.vals.steps)}}
	c.opts.OnStep = nil
	c.vals.vars[branchVar] = b.value
	c.bindFuncs()
	return c
}

// runBranch runs the steps of b in order, as a scenario runs its steps,
// then closes what they opened. block is the parallel step.
func (sr *scenarioRun) runBranch(ctx context.Context, block *Step, b *branch) (out []StepResult) {
	out = make([]StepResult, 0, len(b.steps))
	defer func() {
		if p := recover(); p != nil { // runStep recovers the plugins' panics; this is netrun's own
			out = append(out, StepResult{Name: b.name, Status: Errored,
				Failure: &Failure{Kind: Errored, Message: fmt.Sprintf("internal error in branch %s: %v", b.name, p)}})
		}
		nameBranch(block, b, out)
	}()
	stopped := false
	for _, st := range b.steps {
		var r StepResult
		if stopped {
			r = skipped(st, "not run: an earlier step of the branch failed")
		} else {
			r = sr.runStep(ctx, st)
			stopped = (r.Status == Failed || r.Status == Errored) && !st.Continue
		}
		out = append(out, r)
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeGrace)
	defer cancel()
	if tail := sr.closeAll(cctx); len(out) > 0 && len(tail) > 0 {
		out[len(out)-1].Transcript = append(out[len(out)-1].Transcript, tail...)
	}
	return out
}

// nameBranch gives the results of branch b their place and names: each
// is numbered after the block's and named "BLOCK [BRANCH] STEP".
func nameBranch(block *Step, b *branch, out []StepResult) {
	for i := range out {
		out[i].Index = b.base + i
		out[i].Branch = b.name
		out[i].Name = fmt.Sprintf("%s [%s] %s", block.Name, b.name, out[i].Name)
	}
}

// takeBranches returns the branch results the last parallel block left,
// and forgets them.
func (sr *scenarioRun) takeBranches() []StepResult {
	rs := sr.branchResults
	sr.branchResults = nil
	return rs
}

// skippedAll is the result of st when it does not run, with, for a
// parallel block, the result of every step of its branches, so that the
// scenario's maximum score does not depend on what ran.
func skippedAll(st *Step, why string) []StepResult {
	out := []StepResult{skipped(st, why)}
	a, ok := st.Action.(*parallelAction)
	if !ok {
		return out
	}
	for i := range a.branches {
		b := &a.branches[i]
		rs := make([]StepResult, len(b.steps))
		for j, bs := range b.steps {
			rs[j] = skipped(bs, why)
		}
		nameBranch(st, b, rs)
		out = append(out, rs...)
	}
	return out
}
