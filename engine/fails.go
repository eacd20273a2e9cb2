package engine

import (
	"errors"
	"io/fs"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Fails is a step's `fails:`: the step passes when its action or its
// asserts fail as a check of the peer would (a mismatch, a refused or
// reset connection, a TLS error, the step's deadline), and fails when it
// succeeds. Want, when set, must be part of the failure's message.
type Fails struct {
	Want string
}

// failsKey decodes `fails: true` or `fails: "a substring of the reason"`.
type failsKey struct {
	on   bool
	want string
}

// UnmarshalYAML takes a boolean or a non-empty string.
func (f *failsKey) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		switch {
		case n.Tag == "!!bool":
			f.on = n.Value == "true"
			return nil
		case n.Tag == "!!str" && strings.TrimSpace(n.Value) != "":
			f.on, f.want = true, n.Value
			return nil
		}
	}
	return ErrorAt(n, "fails takes true, or a part of the failure's message such as \"refused\"")
}

// ownError is an error of the scenario or of netrun rather than of the
// peer: an expression that could not be evaluated, a connection that is
// not open, an interruption, the scenario's deadline, an internal error.
// It never counts as the failure a `fails:` step expects.
type ownError struct{ err error }

func (e *ownError) Error() string { return e.err.Error() }
func (e *ownError) Unwrap() error { return e.err }

// own marks err as the scenario's own.
func own(err error) error {
	if err == nil {
		return nil
	}
	return &ownError{err: err}
}

// Own marks err, nil or not, as an error of the scenario or of netrun and
// not of the peer, for a plugin: a value that does not parse at run time
// (a templated URL, a status code), a use the step does not allow (a
// second answer to one request, stdin that is not a pipe). A step with
// `fails:` never counts such an error as the failure it expects.
func Own(err error) error { return own(err) }

// isOwn reports whether err is the scenario's own error: marked with own
// or Own, an expression's run-time error, or a local file that could not
// be read or written (a tls ca, a payload's file), which no peer causes.
func isOwn(err error) bool {
	var o *ownError
	var e *evalError
	var p *fs.PathError
	return errors.As(err, &o) || errors.As(err, &e) || errors.As(err, &p)
}

// compileFails checks fails: against the step's other keys: it cannot be
// combined with retry (which waits for success) or save (there is no
// result to save from a step that failed).
func (l *loader) compileFails(st *Step, ck *commonKeys, n *yaml.Node) {
	if ck.Fails == nil || !ck.Fails.on {
		return
	}
	at := MapKey(n, "fails")
	switch {
	case ck.Retry != nil:
		l.errorf(at, "fails cannot be combined with retry: retry repeats a step until it succeeds; drop one of them")
	case nodeOrNil(&ck.Save) != nil:
		l.errorf(at, "fails cannot be combined with save: a step that must fail has no result to save")
	case st.Verb == "parallel":
		l.errorf(at, "fails is not available on parallel: put it on the steps inside the branches")
	}
	st.Fails = &Fails{Want: ck.Fails.want}
}

// invert turns the outcome of a step with fails: into its own: the
// failure that was expected becomes a pass (its message kept in
// r.ExpectedFailure), a success becomes a failure.
func (sr *scenarioRun) invert(s *Session, st *Step, result any, f *Failure, r *StepResult) *Failure {
	switch {
	case f == nil:
		what := "it succeeded"
		s.flush()
		if sm, ok := result.(Summarizer); ok {
			what += ": " + sm.Summary()
		} else if tail := receivedTail(s.transcript, maxAssertReceived); tail != "" {
			what += ": received " + tail
		}
		return &Failure{Kind: Failed, Message: "expected this step to fail, but " + what}
	case f.Kind == Skipped || f.own:
		if f.Kind != Skipped {
			f.Message += "\n(an error of the scenario, not of the peer: it does not count as the failure this step expects)"
		}
		return f
	case st.Fails.Want != "" && !strings.Contains(f.Message, st.Fails.Want):
		return &Failure{Kind: Failed, Message: "expected this step to fail with " + Quote([]byte(st.Fails.Want), 200) +
			", but it failed with: " + f.Message, Received: f.Received}
	}
	r.ExpectedFailure = s.redact(firstLine(f.Message))
	s.Note("failed as expected: %s", firstLine(f.Message))
	return nil
}
