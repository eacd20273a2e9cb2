package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"
)

// Retry defaults.
const (
	defaultEvery  = time.Second
	defaultWithin = time.Minute
)

// runStep runs one step with its condition, deadline, retries, checks and
// saves.
func (sr *scenarioRun) runStep(ctx context.Context, st *Step) StepResult {
	sr.stepCtx = ctx
	r := newStepResult(st)
	start := time.Now()
	s := &Session{sr: sr, step: st, start: start}
	if st.nameTmpl != nil {
		r.Name, r.NameTemplate = s.evalName(st), st.Name
	}

	fail := sr.runChecked(ctx, s, st, &r)
	if fail != nil && fail.Kind != Skipped {
		sr.explainEnded(s, fail)
	}
	sr.processOutput(s)
	if fail != nil {
		fail.Message = s.redact(fail.Message)
		fail.Received = s.redact(fail.Received)
		r.Status, r.Failure = fail.Kind, fail
		if fail.Kind != Skipped && st.Hint != nil {
			if h, err := st.Hint.String(s); err == nil {
				r.Hint = s.redact(h)
			} else {
				r.Hint = st.Hint.Source()
			}
		}
	} else {
		r.Status, r.Points = Passed, st.Points
	}
	if sr.opts.DropPassedTranscripts && r.Status == Passed {
		s.pending, s.pendBytes, s.transcript = nil, 0, nil
	}
	s.flush()
	if fail != nil && fail.Kind == Failed && fail.Expr != "" && fail.Received == "" {
		// A failed check shows the end of what the step received.
		fail.Received = receivedTail(s.transcript, maxAssertReceived)
	}
	r.Transcript = s.transcript
	r.Duration = time.Since(start)
	return r
}

// maxAssertReceived is how much of what a step received its failed
// assertion shows.
const maxAssertReceived = 256

func (sr *scenarioRun) runChecked(ctx context.Context, s *Session, st *Step, r *StepResult) *Failure {
	if st.If != nil {
		v, err := st.If.Eval(s, nil)
		if err != nil {
			return &Failure{Kind: Errored, Message: "if: " + firstLine(err.Error()), own: true}
		}
		if v != true {
			return &Failure{Kind: Skipped, Message: "if " + st.If.Source() + " is false"}
		}
	}
	if err := ctx.Err(); err != nil {
		return &Failure{Kind: Errored, Message: "not run: " + context.Cause(ctx).Error(), own: true}
	}
	timeout := DefaultStepTimeout
	if _, ok := st.Action.(*parallelAction); ok {
		timeout = blockTimeout
	}
	if st.Timeout != nil {
		d, err := st.Timeout.Duration(s)
		if err != nil {
			return &Failure{Kind: Errored, Message: "timeout: " + err.Error(), own: true}
		}
		timeout = d
	}
	result, fail := sr.attempts(ctx, s, st, timeout, r)
	r.Result = result
	if st.ID != "" && result != nil {
		sr.vals.steps[st.ID] = result
	}
	if st.Fails != nil {
		fail = sr.invert(s, st, result, fail, r)
	}
	if fail != nil {
		return fail
	}
	for _, sv := range st.Saves {
		v, err := sv.Expr.Eval(s, result)
		if err != nil {
			return &Failure{Kind: Errored, Message: fmt.Sprintf("save %s: %s", sv.Name, firstLine(err.Error()))}
		}
		sr.vals.vars[sv.Name] = v
	}
	return nil
}

// retryTimes evaluates every, max_every and within of rt, with their
// defaults; every and max_every are at least MinRetryEvery.
func retryTimes(s *Session, rt *Retry) (every, maxEvery, within time.Duration, err error) {
	every, within = defaultEvery, defaultWithin
	for _, d := range []struct {
		t   *Template
		dst *time.Duration
	}{{rt.Every, &every}, {rt.MaxEvery, &maxEvery}, {rt.Within, &within}} {
		if d.t != nil {
			if *d.dst, err = d.t.Duration(s); err != nil {
				return 0, 0, 0, err
			}
		}
	}
	// A templated every below the floor would hammer the peer.
	return max(every, MinRetryEvery), max(maxEvery, MinRetryEvery), within, nil
}

// judge is the outcome of one attempt under retry, which gave result or
// err: a failure, or nil when the attempt passed (until holds, or the
// asserts without until); final when the retry stops at once (reject
// holds).
func (sr *scenarioRun) judge(s *Session, st *Step, result any, err error) (f *Failure, final bool) {
	rt := st.Retry
	switch {
	case err != nil:
		return failureOf(err, sr.opts.Redactor), false
	case rt.Reject != nil && sr.holds(s, rt.Reject, result):
		src := rt.Reject.Source()
		return &Failure{Kind: Failed, Message: "retry stopped: reject " + src + " holds",
			Expr: src, Operands: rt.Reject.Operands(s, result)}, true
	case rt.Until != nil:
		if !sr.holds(s, rt.Until, result) {
			ops := rt.Until.Operands(s, result)
			return &Failure{Kind: Failed, Message: "until " + rt.Until.Source() + " does not hold" + operandText(ops),
				Expr: rt.Until.Source(), Operands: ops}, false
		}
		return nil, false
	}
	return sr.check(s, st.Asserts, result), false
}

// attempts runs the action once, or under retry until it succeeds.
func (sr *scenarioRun) attempts(ctx context.Context, s *Session, st *Step, timeout time.Duration, r *StepResult) (any, *Failure) {
	if st.Retry == nil {
		r.Attempts = 1
		result, err := sr.do(ctx, s, st, timeout)
		if err != nil {
			return result, failureOf(err, sr.opts.Redactor)
		}
		return result, sr.check(s, st.Asserts, result)
	}
	rt := st.Retry
	every, maxEvery, within, err := retryTimes(s, rt)
	if err != nil {
		return nil, &Failure{Kind: Errored, Message: "retry: " + err.Error()}
	}
	start := time.Now()
	for n := 1; ; n++ {
		r.Attempts = n
		result, err := sr.do(ctx, s, st, timeout)
		f, final := sr.judge(s, st, result, err)
		if final {
			return result, f
		}
		if f == nil {
			if rt.Until != nil {
				return result, sr.check(s, st.Asserts, result)
			}
			return result, nil
		}
		elapsed := time.Since(start)
		if elapsed+every > within || ctx.Err() != nil {
			saw := ""
			if sm, ok := result.(Summarizer); ok {
				saw = ", last saw " + sm.Summary()
			}
			f.Message = fmt.Sprintf("waited %s, %d attempts%s; last: %s", elapsed.Round(time.Millisecond), n, saw, f.Message)
			return result, f
		}
		s.Note("attempt %d failed: %s; next in %s", n, f.Message, every)
		if !sleepCtx(ctx, every) {
			f.Message = fmt.Sprintf("interrupted after %d attempts; last: %s", n, f.Message)
			return result, f
		}
		every = time.Duration(float64(every) * rt.Backoff)
		if maxEvery > 0 && every > maxEvery {
			every = maxEvery
		}
	}
}

// do runs the action once under the step deadline, turning a panic into an
// error and naming the deadline when it is what ended the action.
func (sr *scenarioRun) do(ctx context.Context, s *Session, st *Step, timeout time.Duration) (result any, err error) {
	sctx := s.stepCtx(ctx, timeout)
	defer sctx.release()
	defer func() {
		if p := recover(); p != nil {
			err = own(fmt.Errorf("internal error in %s %s: %v\n%s", st.Scheme, st.Verb, p, debug.Stack()))
		}
	}()
	result, err = st.Action.Do(sctx, s)
	switch {
	case err == nil:
	case ctx.Err() != nil:
		// Interrupted, or the scenario's deadline passed: whatever the
		// action made of it, this is not a check that failed.
		err = own(withCause(errors.New(err.Error()), context.Cause(ctx)))
	case sctx.Err() != nil && (errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)):
		err = withCause(err, context.Cause(sctx))
	}
	return result, err
}

// check evaluates assertions on result; the first that does not hold is
// reported with the value of each operand.
func (sr *scenarioRun) check(s *Session, asserts []Expr, result any) *Failure {
	for i := range asserts {
		a := &asserts[i]
		v, err := a.Eval(s, result)
		if err != nil {
			return &Failure{Kind: Errored, Message: "assert " + a.Source() + ": " + firstLine(err.Error()),
				Expr: a.Source(), Operands: a.Operands(s, result), own: true}
		}
		if v != true {
			return &Failure{Kind: Failed, Message: "assertion failed: " + a.Source(),
				Expr: a.Source(), Operands: a.Operands(s, result)}
		}
	}
	return nil
}

func (sr *scenarioRun) holds(s *Session, e *Expr, result any) bool {
	v, err := e.Eval(s, result)
	return err == nil && v == true
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// operandText is " (a = 1, b = 2)" for the operands of a check, or "".
func operandText(ops []Operand) string {
	if len(ops) == 0 {
		return ""
	}
	parts := make([]string, len(ops))
	for i, o := range ops {
		parts[i] = o.Expr + " = " + o.Value
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// stepTimeout is the cause of a step's deadline; it is formatted only when
// it is shown.
type stepTimeout time.Duration

func (d stepTimeout) Error() string {
	return fmt.Sprintf("step timeout %s exceeded", time.Duration(d))
}

// withCause adds why the context ended to err, unless err already says it.
func withCause(err, cause error) error {
	if cause == nil || strings.Contains(err.Error(), cause.Error()) {
		return err
	}
	return fmt.Errorf("%w (%v)", err, cause)
}

// processes returns the open connections that are processes, oldest first.
func (sr *scenarioRun) processes() []Process {
	if len(sr.procs) == 0 {
		return nil // the usual case
	}
	out := make([]Process, 0, len(sr.procs))
	for _, name := range sr.procs {
		out = append(out, sr.conns[name].conn.(Process))
	}
	return out
}

// explainEnded adds to a failure how each open process that ended on its
// own ended (a refused connection reads differently when the server under
// test has crashed), then the exceptions they printed that the message
// does not show yet.
func (sr *scenarioRun) explainEnded(s *Session, f *Failure) {
	procs := sr.processes()
	for _, p := range procs {
		if e := p.Ended(); e != "" && !strings.Contains(f.Message, e) {
			f.Message += "\n" + e
		}
	}
	for _, p := range procs {
		if r, ok := p.(ExceptionReporter); ok {
			for _, e := range r.Exceptions(s) {
				for i, l := range e.Lines {
					e.Lines[i] = s.redact(l)
				}
				if !shown(f.Message, e.Lines) {
					f.Exceptions = append(f.Exceptions, e)
				}
			}
		}
	}
}

// shown reports whether msg holds every line of lines (the end of a
// crashed program's stderr shows its traceback).
func shown(msg string, lines []string) bool {
	if len(lines) == 0 {
		return false
	}
	for _, l := range lines {
		if !strings.Contains(msg, l) {
			return false
		}
	}
	return true
}

// processOutput records in the step's transcript what the open processes
// wrote during the step.
func (sr *scenarioRun) processOutput(s *Session) {
	for _, p := range sr.processes() {
		p.Output(s)
	}
}
