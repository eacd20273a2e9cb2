package engine

import (
	"context"
	"fmt"
	"sort"

	"go.yaml.in/yaml/v4"
)

// Plugin carries out the actions of the URL schemes it serves. A protocol is
// one package that implements Plugin plus one Registry.Add line in the CLI.
//
// A plugin declares what it takes with a verb table: the engine
// dispatches each step to the verb's decode function and words the error
// for a verb the plugin does not take. Declare it in the plugin's
// package, so that the compiler checks it:
//
//	var _ engine.Plugin = Plugin{}
//
//	func (Plugin) Verbs() engine.VerbTable {
//		return engine.VerbTable{Takes: []engine.Verb{
//			{Name: "connect", Decode: decodeConnect},
//			{Name: "send", Decode: decodeSend},
//		}}
//	}
type Plugin interface {
	// Schemes lists the URL schemes the plugin serves, such as "tcp", "tls".
	Schemes() []string
	// Verbs returns the plugin's verb table. The registry calls it once.
	Verbs() VerbTable
}

// VerbPlugin is Plugin, by the name it had while plugins without a verb
// table were served too.
type VerbPlugin = Plugin

// VerbTable is what a plugin takes: its verbs, and how it refuses others.
type VerbTable struct {
	// Takes are the verbs the plugin compiles, in the order the error for
	// any other verb lists them.
	Takes []Verb
	// Refuse, when set, returns the error for a verb not in Takes, or nil
	// for the engine's "SCHEME has no VERB action: it takes A, B and C".
	Refuse func(d *Decoder) error
}

// Verb is one entry of a verb table.
type Verb struct {
	// Name is the action key: connect, listen, accept, send, expect,
	// fetch or spawn. (assert, sleep and close are the engine's.)
	Name string
	// Help, when set, follows Name where the table is listed in an
	// error: "fetch (search and read mail)".
	Help string
	// Decode compiles the step. It decodes d.Value (and d.Options for
	// connect, listen and spawn) with d.Load, may set d.Name, and returns
	// positioned errors made with d.Errorf or ErrorAt. The action says
	// its result type (TypedAction): the engine type-checks the step's
	// expressions against it, the Exprs inside the action's value
	// included, which Load compiles once Decode has returned, so that
	// the result type may depend on what was decoded. On an error Decode
	// may still return the action, whose result type then checks the
	// step's assert and save; nil skips that.
	Decode func(d *Decoder) (TypedAction, error)
}

// TypedAction is an Action that says the type of its result.
type TypedAction interface {
	Action
	// Result returns the zero value of the type Do returns (not a
	// pointer to it unless Do returns pointers). It must not depend on
	// anything but the action's fields, and is called on an action that
	// failed to decode, too.
	Result() any
}

// Returns gives an action of fixed result type R its Result method:
//
//	type sendAction struct {
//		engine.Returns[SendResult]
//		payload wire.Payload
//	}
//
// An action whose result type depends on its form writes Result itself.
type Returns[R any] struct{}

// Result returns the zero R.
func (Returns[R]) Result() any {
	var r R
	return r
}

// list words the verbs of t for "it takes connect, send and expect".
func (t VerbTable) list() string {
	words := make([]string, len(t.Takes))
	for i, v := range t.Takes {
		words[i] = v.Name
		if v.Help != "" {
			words[i] += " " + v.Help
		}
	}
	return JoinWords(words, "and")
}

// find returns the verb called name.
func (t VerbTable) find(name string) (Verb, bool) {
	for _, v := range t.Takes {
		if v.Name == name {
			return v, true
		}
	}
	return Verb{}, false
}

// Action is one step's compiled action.
type Action interface {
	// Do carries out the action once and returns its typed result. ctx holds
	// the step's deadline and is cancelled on interrupt: every read and write
	// must honour it.
	Do(ctx context.Context, s *Session) (any, error)
}

// Conn is what connect, listen, accept and spawn open. The engine closes
// every Conn still open when a scenario ends.
type Conn interface {
	// Close ends the connection, politely where the protocol has a goodbye.
	Close(ctx context.Context) error
}

// Process is a Conn that runs on its own, such as a program started by
// spawn. After each step the engine asks every open Process for the output
// it wrote meanwhile, and when a step fails it adds how a Process had ended
// to the failure's message.
type Process interface {
	Conn
	// Output records in s's transcript what the process wrote since the
	// last call (as notes).
	Output(s *Session)
	// Ended says how the process ended when it did on its own, such as
	// "program \"server\" exited with status 1 ...", or "" while it runs.
	Ended() string
}

// ExceptionReporter is a Process that can tell what it printed that looks
// like an exception. When a step fails, the engine adds what every open
// ExceptionReporter gives to the failure (Failure.Exceptions).
type ExceptionReporter interface {
	// Exceptions returns the exceptions printed since the last call,
	// redacted with s.
	Exceptions(s *Session) []Exception
}

// Summarizer is a result that says in a few words what it holds, such as
// "0 messages". A retry that gives up says what it last saw with it.
type Summarizer interface {
	Summary() string
}

// Registry maps URL schemes to plugins. The engine never imports a plugin:
// the CLI builds a Registry and hands it to the loader.
type Registry struct {
	byScheme map[string]Plugin
	tables   map[string]VerbTable
}

// NewRegistry returns a registry holding plugins.
func NewRegistry(plugins ...Plugin) (*Registry, error) {
	r := &Registry{byScheme: map[string]Plugin{}, tables: map[string]VerbTable{}}
	for _, p := range plugins {
		if err := r.Add(p); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Add registers p for each of its schemes. A scheme may be served once.
func (r *Registry) Add(p Plugin) error {
	for _, s := range p.Schemes() {
		if _, dup := r.byScheme[s]; dup {
			return fmt.Errorf("scheme %q is registered twice", s)
		}
	}
	t := p.Verbs()
	for _, s := range p.Schemes() {
		r.byScheme[s] = p
		r.tables[s] = t
	}
	return nil
}

// Plugin returns the plugin for scheme, if any.
func (r *Registry) Plugin(scheme string) (Plugin, bool) {
	p, ok := r.byScheme[scheme]
	return p, ok
}

// Schemes lists the registered schemes, sorted.
func (r *Registry) Schemes() []string {
	out := make([]string, 0, len(r.byScheme))
	for s := range r.byScheme {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Decoder is what a plugin gets to compile one step's action.
type Decoder struct {
	// Verb is the action key: connect, listen, accept, send, expect, fetch,
	// close or spawn.
	Verb string
	// Scheme is the URL scheme of a connect or listen, or else the scheme of
	// the connection the step acts on.
	Scheme string
	// Value is the action key's value.
	Value *yaml.Node
	// Options holds the step's other, non-common keys as one mapping (the
	// options of connect, listen and spawn), or nil when there are none.
	// For other verbs the engine rejects extra keys itself.
	Options *yaml.Node

	// Name may be set by Decode to the step's default display name.
	Name string

	c   *compiler
	pos Pos
	// exprs are the Exprs that Load met, compiled once the action gives
	// the result type.
	exprs []pendingExpr
}

// Load strictly decodes n into v (unknown keys are errors) and compiles every
// Template and Expr inside v. All errors carry positions. A nil n (such as
// d.Options of a step without options) loads nothing.
//
// In a verb table's Decode, the Exprs inside v are compiled in place once
// Decode has returned its action (they need its result type): the action
// must hold v, or a pointer to what holds the Exprs, not a copy made
// before then.
func (d *Decoder) Load(n *yaml.Node, v any) error {
	if n == nil {
		return nil
	}
	var list ErrorList
	if err := Strict(n, v); err != nil {
		list = errorsFrom(err, d.Pos(n))
		for _, e := range list {
			e.Pos.File = d.pos.File
		}
	}
	// Compile what did decode, so that every error of the step is
	// reported at once.
	d.c.deferred = &d.exprs
	defer func() { d.c.deferred = nil }()
	if err := d.c.compileAll(v, nil); err != nil {
		list = append(list, errorsFrom(err, d.Pos(n))...)
	}
	if len(list) > 0 {
		list.Sort()
		return list
	}
	return nil
}

// Errorf returns an error positioned at n.
func (d *Decoder) Errorf(n *yaml.Node, format string, args ...any) error {
	return &Error{Pos: d.Pos(n), Msg: fmt.Sprintf(format, args...)}
}

// Pos returns the position of n in the scenario file.
func (d *Decoder) Pos(n *yaml.Node) Pos {
	if n == nil {
		return d.pos
	}
	return Pos{File: d.pos.File, Line: n.Line, Col: n.Column}
}
