package engine

import (
	"reflect"
	"sync"
)

// compileAll walks v (a pointer to a decoded config) and compiles every
// Template and Expr in it against the current scope, with result typed as
// result's type when result is not nil.
func (c *compiler) compileAll(v any, result any) error {
	var rt reflect.Type
	if result != nil {
		rt = reflect.TypeOf(result)
	}
	var errs ErrorList
	c.walk(reflect.ValueOf(v), "", rt, &errs)
	errs.Sort()
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func (c *compiler) walk(v reflect.Value, kind string, rt reflect.Type, errs *ErrorList) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			c.walk(v.Elem(), kind, rt, errs)
		}
	case reflect.Struct:
		if c.leaf(v, kind, rt, errs) {
			return
		}
		for _, f := range walkPlan(v.Type()) {
			c.walk(v.Field(f.index), f.kind, rt, errs)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			c.walk(v.Index(i), kind, rt, errs)
		}
	case reflect.Map:
		c.walkMap(v, kind, rt, errs)
	}
}

// leaf compiles v when it is a Template, a Value or an Expr, and reports
// whether it was one. An Expr waits when c defers them.
func (c *compiler) leaf(v reflect.Value, kind string, rt reflect.Type, errs *ErrorList) bool {
	switch v.Type() {
	case templateType:
		t := v.Addr().Interface().(*Template)
		if t.IsSet() {
			t.setFile(c.file)
			c.addErr(t.compile(c, c.env(nil), kind), errs)
		}
	case valueType:
		val := v.Addr().Interface().(*Value)
		if val.node != nil {
			compiled, e := c.compileValue(val.node)
			*errs = append(*errs, e...)
			*val = *compiled
		}
	case exprType:
		e := v.Addr().Interface().(*Expr)
		if e.node == nil {
			return true
		}
		e.pos.File = c.file
		asBool := kind == "bool"
		if c.deferred != nil {
			*c.deferred = append(*c.deferred, func(rt reflect.Type) error { return e.compile(c, c.env(rt), asBool) })
			return true
		}
		c.addErr(e.compile(c, c.env(rt), asBool), errs)
	default:
		return false
	}
	return true
}

// walkMap compiles the values of the map v. Map values are not
// addressable: each is compiled as a copy, which is stored back, also
// after the Exprs inside it are compiled when c defers them.
func (c *compiler) walkMap(v reflect.Value, kind string, rt reflect.Type, errs *ErrorList) {
	it := v.MapRange()
	for it.Next() {
		cp := reflect.New(it.Value().Type()).Elem()
		cp.Set(it.Value())
		key := it.Key()
		outer := c.deferred
		var inner []pendingExpr
		if outer != nil {
			c.deferred = &inner
		}
		c.walk(cp, kind, rt, errs)
		c.deferred = outer
		v.SetMapIndex(key, cp)
		if len(inner) > 0 {
			*outer = append(*outer, func(rt reflect.Type) error {
				var list ErrorList
				for _, p := range inner {
					list = append(list, errorsFrom(p(rt), Pos{})...)
				}
				v.SetMapIndex(key, cp)
				if len(list) > 0 {
					return list
				}
				return nil
			})
		}
	}
}

// addErr adds the errors of err to errs, in c's file.
func (c *compiler) addErr(err error, errs *ErrorList) {
	if err == nil {
		return
	}
	l := errorsFrom(err, Pos{File: c.file})
	for _, e := range l {
		if e.Pos.File == "" {
			e.Pos.File = c.file
		}
	}
	*errs = append(*errs, l...)
}

// walkField is a field of a struct that walk looks into: one that can hold
// a Template, a Value or an Expr, with its netrun tag.
type walkField struct {
	index int
	kind  string
}

// walkPlans remembers walkPlan by type (facts about Go types, as
// fieldMaps): walk skips the fields that cannot hold anything to compile
// without looking at them, for every action of every file.
var walkPlans sync.Map // reflect.Type -> []walkField

// walkPlan returns the fields of struct t that walk looks into.
func walkPlan(t reflect.Type) []walkField {
	if p, ok := walkPlans.Load(t); ok {
		return p.([]walkField)
	}
	var out []walkField
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.IsExported() && mayHold(f.Type, map[reflect.Type]bool{}) {
			out = append(out, walkField{index: i, kind: f.Tag.Get("netrun")})
		}
	}
	walkPlans.Store(t, out)
	return out
}

// mayHold reports whether a value of type t can hold a Template, a Value
// or an Expr; seen are the types being looked at (a type that holds
// itself is decided by its other fields).
func mayHold(t reflect.Type, seen map[reflect.Type]bool) bool {
	switch t {
	case templateType, valueType, exprType:
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return mayHold(t.Elem(), seen)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() && mayHold(f.Type, seen) {
				return true
			}
		}
	}
	return false
}
