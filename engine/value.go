package engine

import (
	"fmt"

	"go.yaml.in/yaml/v4"
)

// Value is any YAML value whose strings are templates: a var's or secret's
// value, or a plugin option that takes structured data (an HTTP json
// body). A literal number, boolean or null keeps its YAML type; a template
// that is exactly one {{ expr }} keeps the type of the expression's value.
// A plugin puts a Value (or *Value) in its options; the loader compiles it
// and Eval gives its value at run time.
type Value struct {
	tmpl   *Template
	lit    any
	hasLit bool
	list   []*Value
	keys   []string
	vals   []*Value
	kind   yaml.Kind
	// node is the YAML of a Value decoded inside a plugin's options, until
	// the loader compiles it.
	node *yaml.Node
}

// UnmarshalYAML keeps n for the loader to compile.
func (v *Value) UnmarshalYAML(n *yaml.Node) error {
	*v = Value{node: n, kind: n.Kind}
	return nil
}

// compileValue compiles the value node n against the current scope.
func (c *compiler) compileValue(n *yaml.Node) (*Value, ErrorList) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	v := &Value{kind: n.Kind}
	var errs ErrorList
	switch n.Kind {
	case yaml.ScalarNode:
		if n.ShortTag() != "!!str" {
			var x any
			if n.Decode(&x) == nil {
				v.lit, v.hasLit = x, true
				return v, nil
			}
		}
		t := &Template{}
		_ = t.UnmarshalYAML(n)
		t.setFile(c.file)
		if err := t.compile(c, c.env(nil), ""); err != nil {
			errs = append(errs, errorsFrom(err, t.Pos())...)
		}
		v.tmpl = t
	case yaml.SequenceNode:
		for _, item := range n.Content {
			iv, e := c.compileValue(item)
			errs = append(errs, e...)
			v.list = append(v.list, iv)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			iv, e := c.compileValue(n.Content[i+1])
			errs = append(errs, e...)
			v.keys = append(v.keys, n.Content[i].Value)
			v.vals = append(v.vals, iv)
		}
	default:
		errs = append(errs, &Error{Pos: Pos{File: c.file, Line: n.Line, Col: n.Column}, Msg: "expected a value"})
	}
	return v, errs
}

// Eval evaluates the value: lists as []any, mappings as map[string]any.
func (v *Value) Eval(s *Session) (any, error) {
	switch v.kind {
	case yaml.SequenceNode:
		out := make([]any, len(v.list))
		for i, item := range v.list {
			x, err := item.Eval(s)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out[i] = x
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(v.keys))
		for i, k := range v.keys {
			x, err := v.vals[i].Eval(s)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out[k] = x
		}
		return out, nil
	}
	if v.hasLit || v.tmpl == nil {
		return v.lit, nil
	}
	return v.tmpl.Value(s)
}
