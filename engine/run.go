package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Sandbox gives the address of a built-in server, starting it on first use.
type Sandbox interface {
	Address(ctx context.Context, service string) (string, error)
}

// RunOptions are what a run shares between its scenarios.
type RunOptions struct {
	// Sandbox serves sandbox(name); nil makes sandbox() fail.
	Sandbox Sandbox
	// Ports hands out free_port() ports, unique within a run; nil: a new one.
	Ports *Ports
	// Redactor collects secrets; nil: a new one.
	Redactor *Redactor
	// LookupEnv serves env(name); nil: os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// OnStep is called after each step, for live output.
	OnStep func(*ScenarioResult, *StepResult)
	// DropPassedTranscripts leaves out the transcript of every step that
	// passes: what it sent and received is then never redacted, cut into
	// lines nor quoted. Set it when nothing would show them (no -v, no
	// report); a step that fails keeps its transcript.
	DropPassedTranscripts bool
}

type openConn struct {
	conn   Conn
	scheme string
}

// scenarioRun is the state of one run of one scenario.
type scenarioRun struct {
	sc   *Scenario
	opts RunOptions
	// stepCtx is the context of the step running, for sandbox().
	stepCtx context.Context
	vals    values
	conns   map[string]openConn
	order   []string
	// procs names the processes among conns, oldest first, so that a
	// step does not look through conns for them.
	procs []string
	// branchResults are the step results of the parallel block that
	// just ran, recorded after the block's own.
	branchResults []StepResult
}

// maxFileHelper bounds what file() reads.
const maxFileHelper = 16 << 20

// Grace periods for finally steps and closing after an interrupt.
const (
	interruptGrace = time.Second
	closeGrace     = 2 * time.Second
)

// Run runs one scenario: vars and secrets, the steps in order, then finally
// steps whatever happened, then it closes every open connection. It returns
// when all of that is done; cancelling ctx (Ctrl-C) ends the current step at
// once and leaves finally steps one second.
func Run(ctx context.Context, sc *Scenario, opts RunOptions) *ScenarioResult {
	if opts.Ports == nil {
		opts.Ports = NewPorts()
	}
	if opts.Redactor == nil {
		opts.Redactor = NewRedactor()
	}
	if opts.LookupEnv == nil {
		opts.LookupEnv = os.LookupEnv
	}
	res := &ScenarioResult{Name: sc.Name, File: sc.File, Description: sc.Description, Tags: sc.Tags, Status: Passed, Start: time.Now(),
		Steps: make([]StepResult, 0, len(sc.Steps)+len(sc.Finally))}
	sctx, cancel := context.WithTimeoutCause(ctx, sc.Timeout, fmt.Errorf("scenario timeout %s exceeded", sc.Timeout))
	defer cancel()
	sctx, unwatch := newWatcher(sctx, ctx)
	defer unwatch()
	sr := &scenarioRun{sc: sc, opts: opts, conns: map[string]openConn{},
		vals: values{vars: map[string]any{}, steps: map[string]any{}}}
	sr.stepCtx = sctx // vars and secrets; each step sets its own
	sr.bindFuncs()

	stopped, why := false, "not run: an earlier step failed"
	if f := sr.bindings(&Session{sr: sr}); f != nil {
		res.Failure, stopped, why = f, true, "not run: the scenario's vars or secrets failed"
	}
	for _, st := range sc.Steps {
		if stopped {
			sr.record(res, skippedAll(st, why)...)
			continue
		}
		r := sr.runStep(sctx, st)
		stopped = (r.Status == Failed || r.Status == Errored) && !st.Continue
		sr.recordStep(res, st, r)
	}
	// finally steps and the closing run whatever happened, but an interrupt
	// (now or while they run) leaves them one second in all.
	fbase, fcancel := context.WithCancel(context.WithoutCancel(ctx))
	defer fcancel()
	stopGrace := context.AfterFunc(ctx, func() { time.AfterFunc(interruptGrace, fcancel) })
	defer stopGrace()
	fctx, unwatchF := newWatcher(fbase, fbase)
	defer unwatchF()
	for _, st := range sc.Finally {
		sr.recordStep(res, st, sr.runStep(fctx, st))
	}
	sr.evalMetrics(res)
	cctx, ccancel := context.WithTimeout(fctx, closeGrace)
	tail := sr.closeAll(cctx)
	ccancel()
	if n := len(res.Steps); n > 0 && len(tail) > 0 {
		res.Steps[n-1].Transcript = append(res.Steps[n-1].Transcript, tail...)
	}
	res.Interrupted = ctx.Err() != nil
	if sctx.Err() != nil && ctx.Err() == nil && res.Failure == nil && res.Status == Passed {
		res.Failure = &Failure{Kind: Errored, Message: context.Cause(sctx).Error()}
	}
	finish(sc, res)
	return res
}

// record appends step results and reports them.
func (sr *scenarioRun) record(res *ScenarioResult, rs ...StepResult) {
	for _, r := range rs {
		res.Steps = append(res.Steps, r)
		if sr.opts.OnStep != nil {
			sr.opts.OnStep(res, &res.Steps[len(res.Steps)-1])
		}
	}
}

// recordStep records r, the result of st, and after it the results of a
// parallel block's branches (skipped when the block did not run them).
func (sr *scenarioRun) recordStep(res *ScenarioResult, st *Step, r StepResult) {
	branches := sr.takeBranches()
	if _, ok := st.Action.(*parallelAction); ok && branches == nil {
		why := "not run"
		if r.Failure != nil {
			why += ": " + r.Failure.Message
		}
		all := skippedAll(st, why)
		all[0] = r
		sr.record(res, all...)
		return
	}
	sr.record(res, r)
	sr.record(res, branches...)
}

// finish sets the scenario's status, duration and score.
func finish(sc *Scenario, res *ScenarioResult) {
	res.Duration = time.Since(res.Start)
	if res.Failure != nil {
		res.Status = res.Failure.Kind
	}
	for _, st := range res.Steps {
		if st.Status == Errored && res.Status == Passed {
			res.Status = Errored
		}
		if st.Status == Failed && res.Status != Failed {
			res.Status = Failed
		}
	}
	if sc.Graded {
		for _, st := range res.Steps {
			res.MaxScore += st.MaxPoints
			res.Score += st.Points
		}
		return
	}
	res.MaxScore = 1
	if res.Status == Passed {
		res.Score = 1
	}
}

// bindings evaluates vars, then secrets, in order.
func (sr *scenarioRun) bindings(s *Session) *Failure {
	for _, b := range sr.sc.Vars {
		var v any
		var err error
		if b.Override != nil {
			v = *b.Override
		} else {
			v, err = b.Value.Eval(s)
		}
		if err != nil {
			return &Failure{Kind: Errored, Message: s.redact(fmt.Sprintf("%s: var %q: %s", b.Pos, b.Name, firstLine(err.Error())))}
		}
		sr.vals.vars[b.Name] = v
	}
	for _, b := range sr.sc.Secrets {
		if f := sr.bindSecret(s, b); f != nil {
			return f
		}
	}
	return nil
}

// bindFuncs binds the helper functions to this run.
func (sr *scenarioRun) bindFuncs() {
	sr.vals.funcs = funcs{
		Env: func(name string) any {
			if v, ok := sr.opts.LookupEnv(name); ok {
				return v
			}
			return nil
		},
		Sandbox: func(name string) (string, error) {
			if sr.opts.Sandbox == nil {
				return "", errors.New("sandbox: no sandbox in this run")
			}
			// The current step's context: finally steps still reach the
			// sandbox after the scenario's deadline.
			return sr.opts.Sandbox.Address(sr.stepCtx, name)
		},
		UUID: uuid.NewString,
		Now:  time.Now,
		File: func(p string) (string, error) {
			if !filepath.IsAbs(p) {
				p = filepath.Join(sr.sc.Dir, p)
			}
			b, err := readMax(p, maxFileHelper)
			if err != nil {
				return "", fmt.Errorf("file: %w", err)
			}
			return string(b), nil
		},
		SHA256: sha256Hex,
		// base64 of a value holding a secret is a secret too (AUTH PLAIN).
		Base64: func(x any) (string, error) {
			out, err := base64Std(x)
			if in := textOf(x); err == nil && sr.opts.Redactor.Redact(in) != in {
				sr.opts.Redactor.Add(out)
			}
			return out, err
		},
		FreePort: sr.opts.Ports.Free,
	}
}

// closeAll closes every connection still open, newest first. It returns
// the transcript of what the processes among them wrote after the last
// step, for that step's transcript.
func (sr *scenarioRun) closeAll(ctx context.Context) []TranscriptLine {
	s := &Session{sr: sr}
	for i := len(sr.order) - 1; i >= 0; i-- {
		name := sr.order[i]
		if oc, ok := sr.forget(name); ok {
			_ = oc.conn.Close(ctx)
			if p, ok := oc.conn.(Process); ok {
				p.Output(s)
			}
		}
	}
	s.flush()
	return s.transcript
}

// forget takes the connection name out of the open ones, and returns it.
func (sr *scenarioRun) forget(name string) (openConn, bool) {
	oc, ok := sr.conns[name]
	if ok {
		delete(sr.conns, name)
		if _, isProc := oc.conn.(Process); isProc {
			sr.procs = slices.DeleteFunc(sr.procs, func(n string) bool { return n == name })
		}
	}
	return oc, ok
}

// NotRun returns the result of a scenario that did not run, or whose run
// was cut short outside the engine (netrun ended at once, a submission has
// no program): an error with why, every step skipped, and a score of 0 out
// of the scenario's maximum, so that reports still list what was at stake.
func NotRun(sc *Scenario, why string) *ScenarioResult {
	res := &ScenarioResult{Name: sc.Name, File: sc.File, Description: sc.Description, Tags: sc.Tags,
		Status: Errored, Start: time.Now(), Failure: &Failure{Kind: Errored, Message: why}}
	for _, list := range [][]*Step{sc.Steps, sc.Finally} {
		for _, st := range list {
			res.Steps = append(res.Steps, skippedAll(st, "not run: "+why)...)
		}
	}
	finish(sc, res)
	return res
}

func skipped(st *Step, why string) StepResult {
	r := newStepResult(st)
	r.Status = Skipped
	r.Failure = &Failure{Kind: Skipped, Message: why}
	return r
}

func newStepResult(st *Step) StepResult {
	return StepResult{Index: st.Index, Name: st.Name, Action: st.Verb, Scheme: st.Scheme, Finally: st.Finally,
		Pos: st.Pos, MaxPoints: st.Points, Visibility: st.Visibility}
}
