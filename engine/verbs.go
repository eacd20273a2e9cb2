package engine

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v4"
)

// verbs are the action keys, in the order error messages list them.
var verbs = []string{"connect", "listen", "accept", "send", "expect", "fetch", "assert", "spawn", "close", "sleep", "parallel"}

func isVerb(k string) bool {
	_, ok := verbSpecs[k]
	return ok
}

// verbSpec is what the loader knows of a verb.
type verbSpec struct {
	// opens: the step opens a connection, which as: names.
	opens bool
	// options: the step's other keys are the plugin's options.
	options bool
	// noTarget: the step acts on no connection, so on: is an error.
	noTarget bool
	// scheme finds the plugin's scheme: from the URL, the target, or fixed.
	scheme func(l *loader, st *Step, ck *commonKeys, key, val *yaml.Node) (string, bool)
	// compile, for the engine's own verbs, compiles the step instead of a
	// plugin.
	compile func(l *loader, st *Step, ck *commonKeys, val *yaml.Node) (Action, reflect.Type, string)
	// block: a parallel block, compiled by parallelStep (which compiles
	// steps, so verbSpecs cannot name it).
	block bool
}

// verbSpecs are the verbs; verbs gives their order.
var verbSpecs = map[string]verbSpec{
	"connect":  {opens: true, options: true, noTarget: true, scheme: urlScheme},
	"listen":   {opens: true, options: true, noTarget: true, scheme: urlScheme},
	"accept":   {opens: true, scheme: targetScheme},
	"send":     {scheme: targetScheme},
	"expect":   {scheme: targetScheme},
	"fetch":    {scheme: targetScheme},
	"spawn":    {opens: true, options: true, noTarget: true, scheme: spawnScheme},
	"assert":   {noTarget: true, compile: assertStep},
	"sleep":    {noTarget: true, compile: sleepStep},
	"close":    {compile: closeStep},
	"parallel": {noTarget: true, block: true},
}

// urlScheme is the scheme of a connect or listen: its URL's.
func urlScheme(l *loader, _ *Step, _ *commonKeys, _, val *yaml.Node) (string, bool) {
	scheme := l.scheme(val)
	return scheme, scheme != ""
}

// spawnScheme is the scheme of spawn: the program plugin's.
func spawnScheme(*loader, *Step, *commonKeys, *yaml.Node, *yaml.Node) (string, bool) {
	return programScheme, true
}

// targetScheme is the scheme of the connection the step acts on, which
// it records as the step's target.
func targetScheme(l *loader, st *Step, ck *commonKeys, key, _ *yaml.Node) (string, bool) {
	t, ok := l.target(ck.On, key)
	if !ok {
		return "", false
	}
	st.target = t.name
	return t.scheme, true
}

// assertStep compiles an assert step: its expressions are compiled, and
// a value that is not one reported, as the common key assert.
func assertStep(_ *loader, _ *Step, _ *commonKeys, val *yaml.Node) (Action, reflect.Type, string) {
	return assertAction{}, nil, "assert " + assertName(val)
}

// sleepStep compiles `sleep: DURATION`.
func sleepStep(l *loader, _ *Step, _ *commonKeys, val *yaml.Node) (Action, reflect.Type, string) {
	var t Template
	if err := t.UnmarshalYAML(val); err != nil {
		l.add(err, val)
		return nil, nil, ""
	}
	t.setFile(l.file)
	l.add(t.compile(l.c, l.c.env(nil), "duration"), val)
	return sleepAction{d: &t}, nil, "sleep " + val.Value
}

// closeStep compiles `close: true` or `close: NAME`.
func closeStep(l *loader, st *Step, ck *commonKeys, val *yaml.Node) (Action, reflect.Type, string) {
	name := ck.On
	if val.Kind != yaml.ScalarNode || val.Value == "false" {
		l.errorf(val, "close takes true (the current connection) or a connection name")
		return nil, nil, ""
	}
	if val.Value != "true" {
		name = val.Value
	}
	t, ok := l.target(name, val)
	if !ok {
		return nil, nil, ""
	}
	st.target, st.Scheme = t.name, t.scheme
	l.forget(t.name)
	return closeAction{}, nil, "close " + strings.TrimPrefix(describeConn(t.name), "the ")
}

type assertAction struct{}

// Do does nothing: the step's assert is the engine's, after it.
func (assertAction) Do(context.Context, *Session) (any, error) { return nil, nil }

type sleepAction struct{ d *Template }

// Do waits the duration, or until ctx ends.
func (a sleepAction) Do(ctx context.Context, s *Session) (any, error) {
	d, err := a.d.Duration(s)
	if err != nil {
		return nil, err
	}
	if !sleepCtx(ctx, d) {
		return nil, fmt.Errorf("sleep interrupted: %w", context.Cause(ctx))
	}
	return nil, nil
}

type closeAction struct{}

// Do closes the step's connection, unless it was closed already.
func (closeAction) Do(ctx context.Context, s *Session) (any, error) {
	name := s.step.target
	oc, ok := s.sr.forget(name)
	if !ok {
		s.Note("%s was already closed", describeConn(name))
		return nil, nil
	}
	err := oc.conn.Close(ctx)
	if p, ok := oc.conn.(Process); ok {
		p.Output(s) // what it wrote until it stopped
	}
	if err != nil {
		return nil, fmt.Errorf("close %s: %w", describeConn(name), err)
	}
	return nil, nil
}

// assertName renders an assert step's expressions for its default name.
func assertName(val *yaml.Node) string {
	var parts []string
	for _, n := range append([]*yaml.Node{val}, val.Content...) {
		if n.Kind == yaml.ScalarNode {
			parts = append(parts, n.Value)
		}
	}
	s := strings.Join(parts, ", ")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return s
}
