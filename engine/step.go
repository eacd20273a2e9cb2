package engine

import (
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"
)

// commonKeys are the keys any step may have besides its action.
type commonKeys struct {
	Name       string     `yaml:"name"`
	ID         string     `yaml:"id"`
	As         string     `yaml:"as"`
	On         string     `yaml:"on"`
	Timeout    Template   `yaml:"timeout" netrun:"duration"`
	Retry      *retryKeys `yaml:"retry"`
	Assert     Exprs      `yaml:"assert"`
	Save       yaml.Node  `yaml:"save"`
	If         Expr       `yaml:"if"`
	Continue   *bool      `yaml:"continue"`
	Points     *float64   `yaml:"points"`
	Hint       Template   `yaml:"hint"`
	Visibility string     `yaml:"visibility"`
	Fails      *failsKey  `yaml:"fails"`
}

// MinRetryEvery is the least time between two attempts of a retry:
// `every: 0s` once made 346,245 attempts in a second.
const MinRetryEvery = 10 * time.Millisecond

type retryKeys struct {
	Until    Expr     `yaml:"until" netrun:"bool"`
	Reject   Expr     `yaml:"reject" netrun:"bool"`
	Every    Template `yaml:"every" netrun:"duration"`
	Backoff  *float64 `yaml:"backoff"`
	MaxEvery Template `yaml:"max_every" netrun:"duration"`
	Within   Template `yaml:"within" netrun:"duration"`
}

// Exprs is one expression or a list of them.
type Exprs []Expr

// UnmarshalYAML accepts a scalar or a list of scalars.
func (e *Exprs) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.SequenceNode {
		*e = make(Exprs, len(n.Content))
		for i, c := range n.Content {
			if err := (*e)[i].UnmarshalYAML(c); err != nil {
				return err
			}
		}
		return nil
	}
	*e = Exprs{{}}
	return (*e)[0].UnmarshalYAML(n)
}

// noDefault are common keys that defaults may not hold.
var noDefault = []string{"name", "id", "as", "on", "assert", "save", "if", "fails"}

var commonFields = yamlFields(reflect.TypeOf(commonKeys{}))

// defaults compiles the defaults mapping once, in the scope of vars and
// secrets.
func (l *loader) defaults(n *yaml.Node) {
	l.def = &commonKeys{}
	if n == nil {
		return
	}
	for _, k := range noDefault {
		if kn := MapKey(n, k); kn != nil {
			l.errorf(kn, "%q cannot have a default; set it on each step", k)
		}
	}
	if err := Strict(n, l.def); err != nil {
		l.add(err, n)
		return
	}
	// retry is compiled with each step, where result has a type.
	retry := l.def.Retry
	l.def.Retry = nil
	l.add(l.c.compileAll(l.def, nil), n)
	l.def.Retry = retry
}

// step compiles one step mapping.
func (l *loader) step(n *yaml.Node, index int, finally bool) *Step {
	if n.Kind != yaml.MappingNode {
		l.errorf(n, "a step must be a mapping with one action (%s), not %s", strings.Join(verbs, ", "), kindName(n))
		return nil
	}
	verbKey, common, options := l.stepKeys(n)
	if verbKey == nil {
		return nil
	}
	st := &Step{Index: index, Pos: l.pos(n), Verb: verbKey.Value, Finally: finally}
	outer := l.c.fields.enter(st)
	defer l.c.fields.leave(outer)
	ck := l.commonKeys()
	defer l.putCommonKeys(ck)
	errsBefore := len(l.errs)
	if len(common.Content) > 0 { // most steps have no common keys
		if err := Strict(common, ck); err != nil {
			l.add(err, n)
		}
	}
	action, rt, name := l.action(st, ck, verbKey, MapValue(n, verbKey.Value), options)
	st.Action = action
	if action == nil && rt == nil {
		// Check the common keys anyway, with result untyped, so that all
		// errors of the step are reported at once.
		rt = anyType
	}
	l.common(st, ck, common, rt)
	if st.Verb == "parallel" {
		l.blockKeys(st, ck, common)
	}
	st.Name = l.uniqueName(ck.Name, name, st)
	st.nameTmpl = l.compileName(st.Name, ck.Name == "")
	if len(l.errs) > errsBefore {
		return nil
	}
	return st
}

// commonKeys returns empty common keys for a step: a step keeps nothing of
// them (it copies what it keeps), so they are used again by later steps.
func (l *loader) commonKeys() *commonKeys {
	if n := len(l.spare); n > 0 {
		ck := l.spare[n-1]
		l.spare = l.spare[:n-1]
		return ck
	}
	return &commonKeys{}
}

// putCommonKeys clears ck for the next step.
func (l *loader) putCommonKeys(ck *commonKeys) {
	*ck = commonKeys{}
	l.spare = append(l.spare, ck)
}

// stepKeys sorts the keys of the step mapping n into the key of its
// action, a mapping of its common keys and one of its other keys (the
// options). A step without an action or with two is reported, and its
// verbKey is nil.
func (l *loader) stepKeys(n *yaml.Node) (verbKey, common, options *yaml.Node) {
	common = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column}
	options = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column}
	var actions []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		switch _, isCommon := commonFields[k.Value]; {
		case isVerb(k.Value):
			actions = append(actions, k)
		case isCommon:
			common.Content = append(common.Content, k, n.Content[i+1])
		default:
			options.Content = append(options.Content, k, n.Content[i+1])
		}
	}
	// assert is an action only when it is the step's only action.
	if len(actions) > 1 {
		for i, a := range actions {
			if a.Value == "assert" {
				actions = append(actions[:i], actions[i+1:]...)
				common.Content = append(common.Content, a, MapValue(n, "assert"))
				break
			}
		}
	}
	switch {
	case len(actions) == 0:
		l.noAction(n, options)
		return nil, nil, nil
	case len(actions) > 1:
		l.errorf(actions[1], "step has two actions, %q and %q: split it into two steps", actions[0].Value, actions[1].Value)
		return nil, nil, nil
	}
	if actions[0].Value == "assert" {
		common.Content = append(common.Content, actions[0], MapValue(n, "assert"))
	}
	return actions[0], common, options
}

// noAction reports the step n without an action: at an option that is
// a misspelt verb, or else at the step.
func (l *loader) noAction(n, options *yaml.Node) {
	for i := 0; i < len(options.Content); i += 2 {
		if k := options.Content[i]; suggest(k.Value, verbs) != "" {
			l.errorf(k, "step has no action: %s", unknownKey(k.Value, verbs))
			return
		}
	}
	l.errorf(n, "step has no action: add one of %s", strings.Join(verbs, ", "))
}

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

// common compiles the common keys of st; rt is the action's result type.
func (l *loader) common(st *Step, ck *commonKeys, n *yaml.Node, rt reflect.Type) {
	def := l.def
	if ck.Timeout.IsSet() {
		l.add(ck.Timeout.compile(l.c, l.c.env(nil), "duration"), n)
		if d, ok := ck.Timeout.parsedValue().(time.Duration); ok && d == 0 {
			l.errorf(MapValue(n, "timeout"), "timeout must be more than 0")
		}
		st.Timeout = ptr(ck.Timeout) // a copy: the step keeps no commonKeys
	} else if def.Timeout.IsSet() {
		st.Timeout = &def.Timeout
	}
	if ck.If.node != nil {
		l.add(ck.If.compile(l.c, l.c.env(nil), true), n)
		st.If = ptr(ck.If)
	}
	var result any
	if rt != nil {
		result = reflect.Zero(rt).Interface()
	}
	st.Asserts = l.asserts(ck.Assert, n, rt)
	l.stepRetry(st, ck.Retry, n, result)
	st.Continue = boolOr(ck.Continue, def.Continue)
	l.grading(st, ck, n)
	if ck.ID != "" {
		l.stepID(st, ck.ID, MapValue(n, "id"), rt)
	}
	l.saves(st, nodeOrNil(&ck.Save), rt)
	l.compileFails(st, ck, n)
}

// asserts compiles the step's assert expressions against rt; n is the
// step's mapping of common keys.
func (l *loader) asserts(given Exprs, n *yaml.Node, rt reflect.Type) Exprs {
	out := given[:0]
	for i := range given {
		if given[i].node == nil {
			continue // not an expression: reported when decoded
		}
		given[i].pos.File = l.file
		l.add(given[i].compile(l.c, l.c.env(rt), true), n)
		out = append(out, given[i])
	}
	return out
}

// grading compiles points, hint and visibility, given or by default.
func (l *loader) grading(st *Step, ck *commonKeys, n *yaml.Node) {
	def := l.def
	if p := floatOr(ck.Points, def.Points); p != nil {
		if *p < 0 {
			l.errorf(MapValue(n, "points"), "points must not be negative")
		}
		st.Points, st.HasPoints = *p, true
	}
	hint := &ck.Hint
	if !hint.IsSet() {
		hint = &def.Hint
	} else {
		l.add(hint.compile(l.c, l.c.env(nil), ""), n)
	}
	if hint.IsSet() {
		st.Hint = ptr(*hint)
	}
	st.Visibility = ck.Visibility
	if st.Visibility == "" {
		st.Visibility = def.Visibility
	}
	switch st.Visibility {
	case "", "visible", "hidden", "after_due_date", "after_published":
	default:
		l.errorf(MapValue(n, "visibility"), "visibility must be visible, hidden, after_due_date or after_published, not %q", st.Visibility)
	}
}

// stepID checks the step's id, at idNode, and binds it for later steps
// with the step's result type.
func (l *loader) stepID(st *Step, id string, idNode *yaml.Node, rt reflect.Type) {
	switch {
	case !validName(id):
		l.errorf(idNode, "id %q must be a letter or _ followed by letters, digits or _", id)
	case l.ids[id]:
		l.errorf(idNode, "id %q is used by an earlier step", id)
	default:
		l.ids[id] = true
		st.ID = id
		t := rt
		if t == nil {
			t = anyType
		}
		l.c.scope = l.c.scope.withID(id, t)
	}
}

// saves compiles `save:` and binds its names for later steps.
func (l *loader) saves(st *Step, n *yaml.Node, rt reflect.Type) {
	if n == nil {
		return
	}
	if n.Kind != yaml.MappingNode {
		l.errorf(n, "save must be a mapping of names to expressions")
		return
	}
	var names []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !l.checkName(k, "save") {
			continue
		}
		var e Expr
		if err := e.UnmarshalYAML(v); err != nil {
			l.add(err, v)
			continue
		}
		e.pos.File = l.file
		l.add(e.compile(l.c, l.c.env(rt), false), v)
		st.Saves = append(st.Saves, Save{Name: k.Value, Expr: e})
		names = append(names, k.Value)
	}
	for _, name := range names {
		if !l.c.scope.has(name) {
			l.c.scope = l.c.scope.with(name)
		}
	}
}

// uniqueName picks the step's display name: the given one or the action's,
// made unique within the scenario.
func (l *loader) uniqueName(given, made string, st *Step) string {
	name := given
	if name == "" {
		name = made
	}
	if name == "" {
		name = st.Verb
	}
	l.names[name]++
	if c := l.names[name]; c > 1 {
		name += " (" + strconv.Itoa(c) + ")"
	}
	return name
}

func typeOf(v any) reflect.Type {
	if v == nil {
		return nil
	}
	return reflect.TypeOf(v)
}

func boolOr(a, b *bool) bool {
	if a != nil {
		return *a
	}
	return b != nil && *b
}

func floatOr(a, b *float64) *float64 {
	if a != nil {
		return a
	}
	return b
}

// shortSource renders a node's value for a default step name.
func shortSource(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	s := n.Value
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return `"` + s + `"`
}
