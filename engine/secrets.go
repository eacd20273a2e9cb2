package engine

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// bindSecret evaluates a secret and registers its value, and each value
// inside it, with the redactor. When its evaluation fails, the error is
// not shown: any part of it may be the value, or the value transformed
// (int(upper(env("PIN"))) fails with the upper-case PIN in the message).
// A value (or a value inside it) shorter than MinSecretLen is refused.
func (sr *scenarioRun) bindSecret(s *Session, b Binding) *Failure {
	var v any
	var err error
	if b.Override != nil {
		v = *b.Override
	} else if v, err = b.Value.Eval(s); err != nil {
		return &Failure{Kind: Errored, Message: fmt.Sprintf(
			"%s: secret %q: its evaluation failed (the error is not shown: it may hold the value; to see it, evaluate the same expression under vars with a value that is not secret)",
			b.Pos, b.Name)}
	}
	if path := shortLeaf(b.Name, v); path != "" {
		return &Failure{Kind: Errored, Message: fmt.Sprintf(
			"%s: secret %q is shorter than %d bytes: a value that short cannot be redacted without cutting it out of ordinary words, which would show what it is; use a longer one, or move it under vars if it is not secret",
			b.Pos, path, MinSecretLen)}
	}
	addSecret(sr.opts.Redactor, v)
	sr.vals.vars[b.Name] = v
	return nil
}

// addSecret registers a secret's value, and each value inside it when it
// is a mapping or a list, so that `creds.password` is redacted too.
func addSecret(red *Redactor, v any) {
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			addSecret(red, e)
		}
	case []any:
		for _, e := range x {
			addSecret(red, e)
		}
	default:
		red.Add(textOf(v))
	}
}

// shortLeaf returns the name of the first value in v (v itself, or a
// value inside a mapping or a list) that is not empty and shorter than
// MinSecretLen, or "".
func shortLeaf(name string, v any) string {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if p := shortLeaf(name+"."+k, x[k]); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range x {
			if p := shortLeaf(name+"["+strconv.Itoa(i)+"]", e); p != "" {
				return p
			}
		}
	default:
		if n := len(textOf(v)); n > 0 && n < MinSecretLen {
			return name
		}
	}
	return ""
}
