package engine

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"
)

// stepRetry compiles the retry of st (given, else the default) against
// its result; n is the step's mapping of common keys.
func (l *loader) stepRetry(st *Step, given *retryKeys, n *yaml.Node, result any) {
	retry := given
	if retry == nil && l.def.Retry != nil {
		// Defaults are compiled for each step, against its result type.
		cp := *l.def.Retry
		retry = &cp
	}
	if retry == nil {
		return
	}
	l.add(l.compileRetry(retry, result), n)
	st.Retry = &Retry{Backoff: 1}
	if retry.Until.node != nil {
		st.Retry.Until = &retry.Until
	}
	if retry.Reject.node != nil {
		st.Retry.Reject = &retry.Reject
	}
	if retry.Backoff != nil {
		if *retry.Backoff < 1 {
			l.errorf(MapValue(MapValue(n, "retry"), "backoff"), "retry backoff must be 1 or more")
		}
		st.Retry.Backoff = *retry.Backoff
	}
	for _, t := range []struct {
		src  *Template
		dst  **Template
		name string
	}{{&retry.Every, &st.Retry.Every, "every"}, {&retry.MaxEvery, &st.Retry.MaxEvery, "max_every"}, {&retry.Within, &st.Retry.Within, ""}} {
		if !t.src.IsSet() {
			continue
		}
		*t.dst = t.src
		if d, ok := t.src.parsedValue().(time.Duration); ok && t.name != "" && d < MinRetryEvery {
			l.errs = append(l.errs, &Error{Pos: t.src.Pos(), Msg: fmt.Sprintf(
				"retry %s %s is too short: at least %s between attempts, so that a retry does not flood the peer", t.name, strings.TrimSpace(t.src.Source()), MinRetryEvery)})
		}
	}
}

func (l *loader) compileRetry(r *retryKeys, result any) error {
	var errs ErrorList
	for _, e := range []*Expr{&r.Until, &r.Reject} {
		if e.node != nil {
			e.pos.File = l.file
			if err := e.compile(l.c, l.c.env(typeOf(result)), true); err != nil {
				errs = append(errs, errorsFrom(err, e.pos)...)
			}
		}
	}
	if err := l.c.compileAll(&struct {
		A, B, C *Template `netrun:"duration"`
	}{&r.Every, &r.MaxEvery, &r.Within}, nil); err != nil {
		errs = append(errs, errorsFrom(err, Pos{})...)
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
