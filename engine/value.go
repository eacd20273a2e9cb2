package engine

import (
	"go.yaml.in/yaml/v4"
)

// Value is a var's or secret's value: a template, or a list or mapping of
// values, so that vars can hold structured data.
type Value struct {
	tmpl *Template
	lit  any
	list []*Value
	keys []string
	vals []*Value
	kind yaml.Kind
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
		t := &Template{}
		_ = t.UnmarshalYAML(n)
		t.pos.File = c.file
		if err := t.compile(c, c.env(nil), ""); err != nil {
			errs = append(errs, errorsFrom(err, t.pos)...)
		}
		v.tmpl = t
		if _, ok := t.Literal(); ok && n.Tag != "!!str" {
			var x any
			if n.Decode(&x) == nil {
				v.lit = x
			}
		}
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
	}
	return v, errs
}

// eval evaluates the value. A literal number or boolean keeps its YAML type;
// a template keeps the type its expression gives.
func (v *Value) eval(s *Session) (any, error) {
	switch v.kind {
	case yaml.SequenceNode:
		out := make([]any, len(v.list))
		for i, item := range v.list {
			x, err := item.eval(s)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(v.keys))
		for i, k := range v.keys {
			x, err := v.vals[i].eval(s)
			if err != nil {
				return nil, err
			}
			out[k] = x
		}
		return out, nil
	}
	if v.tmpl == nil || v.lit != nil {
		return v.lit, nil
	}
	return v.tmpl.Value(s)
}
