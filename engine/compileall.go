package engine

import "reflect"

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
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				c.walk(v.Field(i), v.Type().Field(i).Tag.Get("netrun"), rt, errs)
			}
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
