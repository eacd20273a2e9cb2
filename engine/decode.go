package engine

import (
	"fmt"
	"reflect"
)

// pendingExpr compiles an Expr that Decoder.Load met in a verb table's
// Decode, once the action gives the result type rt.
type pendingExpr func(rt reflect.Type) error

// decode compiles d's step with the verb table of d.Scheme. It returns
// the action and its result type, nil when unknown; on an error, the
// result type when known.
func (r *Registry) decode(d *Decoder) (Action, reflect.Type, error) {
	return decodeVerb(r.tables[d.Scheme], d)
}

// decodeVerb dispatches d to the verb of t, or words the refusal.
func decodeVerb(t VerbTable, d *Decoder) (Action, reflect.Type, error) {
	v, ok := t.find(d.Verb)
	if !ok {
		if t.Refuse != nil {
			if err := t.Refuse(d); err != nil {
				return nil, nil, err
			}
		}
		return nil, nil, d.Errorf(d.Value, "%s has no %s action: it takes %s", d.Scheme, d.Verb, t.list())
	}
	a, err := v.Decode(d)
	var rt reflect.Type
	if !isNilAction(a) {
		rt = typeOf(a.Result())
		if d.c != nil {
			d.c.fields.watch(a)
		}
	}
	if rt != nil || err == nil {
		err = joinLoadErrors(err, d.compileDeferred(rt), d.pos)
	}
	if err != nil {
		return nil, rt, err
	}
	if isNilAction(a) {
		return nil, nil, fmt.Errorf("%s %s: the plugin compiled no action", d.Scheme, d.Verb)
	}
	return a, rt, nil
}

// compileDeferred compiles the Exprs Load met against result type rt.
func (d *Decoder) compileDeferred(rt reflect.Type) error {
	var list ErrorList
	for _, compile := range d.exprs {
		if err := compile(rt); err != nil {
			list = append(list, errorsFrom(err, d.pos)...)
		}
	}
	d.exprs = nil
	for _, e := range list {
		if e.Pos.File == "" {
			e.Pos.File = d.pos.File
		}
	}
	if len(list) > 0 {
		return list
	}
	return nil
}

// joinLoadErrors returns a, or b, or when both are errors their errors as
// one sorted ErrorList, placed at fallback when they have no position.
func joinLoadErrors(a, b error, fallback Pos) error {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	list := append(errorsFrom(a, fallback), errorsFrom(b, fallback)...)
	list.Sort()
	return list
}

// isNilAction reports whether a is nil or holds a nil pointer.
func isNilAction(a TypedAction) bool {
	if a == nil {
		return true
	}
	v := reflect.ValueOf(a)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
