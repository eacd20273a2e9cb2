package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// Session is what an action sees while it runs: the scenario's values and
// connections, the step's transcript and the redactor.
type Session struct {
	sr         *scenarioRun
	step       *Step
	transcript []TranscriptLine
	pending    []chunk // sent and received bytes not yet in transcript
	pendBytes  int
	// pendSpace holds the first chunks of pending, and firstCtx the
	// context of the step's first attempt: a step allocates the session
	// only, not these as well.
	pendSpace [2]chunk
	firstCtx  stepCtx
	attempted bool
	// start is when the step started; its first attempt's deadline
	// counts from it (a clock read fewer a step).
	start time.Time
}

func (s *Session) run(p *vm.Program, env *envType, result any) (any, error) {
	v, err := expr.Run(p, env.value(&s.sr.vals, result))
	var fe *file.Error
	if errors.As(err, &fe) {
		// The step's position is shown already: drop expr-lang's
		// "(1:2)" and its source snippet, keep the cause.
		err = &evalError{msg: fe.Message, err: fe.Unwrap()}
	} else if err != nil {
		err = &evalError{msg: err.Error(), err: err}
	}
	return v, err
}

// evalError is an expression's run-time error, without expr-lang's
// position within the expression.
type evalError struct {
	msg string
	err error
}

func (e *evalError) Error() string { return e.msg }
func (e *evalError) Unwrap() error { return e.err }

// Dir is the scenario file's folder; relative paths in a scenario resolve
// against it.
func (s *Session) Dir() string { return s.sr.sc.Dir }

// Path resolves p against the scenario file's folder.
func (s *Session) Path(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(s.sr.sc.Dir, p)
}

// Target returns the connection this step acts on: the one named by `on:`,
// or else the most recently opened one.
func (s *Session) Target() (Conn, error) {
	name := s.step.target
	oc, ok := s.sr.conns[name]
	if !ok {
		return nil, own(fmt.Errorf("%s is not open", describeConn(name)))
	}
	return oc.conn, nil
}

// TargetAs returns the step's connection as type T, or an error that names
// what it is instead.
func TargetAs[T any](s *Session) (T, error) {
	var zero T
	c, err := s.Target()
	if err != nil {
		return zero, err
	}
	t, ok := c.(T)
	if !ok {
		return zero, own(fmt.Errorf("%s is a %s connection and cannot %s", describeConn(s.step.target), s.sr.conns[s.step.target].scheme, s.step.Verb))
	}
	return t, nil
}

// Open registers c as what this step opened, under its `as:` name. A
// connection already open under that name is closed first.
func (s *Session) Open(ctx context.Context, c Conn) {
	name := s.step.opens
	if old, ok := s.sr.forget(name); ok {
		_ = old.conn.Close(ctx)
	}
	s.sr.conns[name] = openConn{conn: c, scheme: s.step.openScheme}
	if _, ok := c.(Process); ok {
		s.sr.procs = append(s.sr.procs, name)
	}
	s.sr.order = append(s.sr.order, name)
}

// As returns the name the step gives to what it opens (its `as:`), or ""
// when it gives none.
func (s *Session) As() string {
	if s.step == nil || strings.HasPrefix(s.step.opens, "#") {
		return ""
	}
	return s.step.opens
}

// Sent records data sent to the peer in the step's transcript.
func (s *Session) Sent(data []byte) { s.record(">", data) }

// Received records data received from the peer in the step's transcript.
func (s *Session) Received(data []byte) { s.record("<", data) }

// Note records a remark in the step's transcript.
func (s *Session) Note(format string, args ...any) {
	s.flush()
	s.appendLine("*", s.redact(fmt.Sprintf(format, args...)))
}

// Secret registers a value derived from a secret, such as an AUTH blob, so
// that it is redacted from every output.
func (s *Session) Secret(v string) { s.sr.opts.Redactor.Add(v) }

func (s *Session) redact(v string) string { return s.sr.opts.Redactor.Redact(v) }

// Redact returns v with every secret replaced. A plugin that cuts what it
// shows redacts first, so that a cut never leaves part of a secret.
func (s *Session) Redact(v string) string { return s.redact(v) }

// Deadline applies ctx to c: its deadline now, and an immediate deadline
// when ctx is cancelled (Ctrl-C), so that a blocked read or write returns at
// once. Call the returned stop function when the I/O is done.
//
// Under engine.Run, cancellation is watched once per scenario rather than
// once per call, which keeps the per-step cost of a round trip low.
func Deadline(ctx context.Context, c Deadliner) (stop func() bool) {
	if d, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(d)
	} else {
		_ = c.SetDeadline(time.Time{})
	}
	if w, ok := ctx.Value(watcherKey{}).(*watcher); ok {
		return w.watch(c)
	}
	return context.AfterFunc(ctx, func() { _ = c.SetDeadline(time.Now()) })
}

// describeConn names a connection for a person.
func describeConn(name string) string {
	if len(name) > 0 && name[0] == '#' {
		return "the connection opened by step " + name[1:]
	}
	return fmt.Sprintf("connection %q", name)
}
