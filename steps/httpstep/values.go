package httpstep

import (
	"fmt"
	"maps"
	"net/url"
	"slices"

	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

// formValue is the value of a query or form field: a text, or a list of
// texts that gives the name once per item. A template whose value is a
// list does the same.
type formValue struct {
	// One is a scalar value; Many the items of a list. Exported so that
	// the loader compiles them.
	One  engine.Template
	Many []engine.Template
}

// UnmarshalYAML takes a scalar or a list of scalars.
func (f *formValue) UnmarshalYAML(n *yaml.Node) error {
	*f = formValue{}
	switch n.Kind {
	case yaml.ScalarNode:
		return f.One.UnmarshalYAML(n)
	case yaml.SequenceNode:
		f.Many = make([]engine.Template, len(n.Content))
		for i, item := range n.Content {
			if item.Kind != yaml.ScalarNode {
				return &engine.Error{Pos: engine.Pos{Line: item.Line, Col: item.Column}, Msg: "a list of values holds texts, not lists or mappings"}
			}
			if err := f.Many[i].UnmarshalYAML(item); err != nil {
				return err
			}
		}
		return nil
	}
	return &engine.Error{Pos: engine.Pos{Line: n.Line, Col: n.Column}, Msg: "a value is a text or a list of texts, not a mapping"}
}

// add evaluates the value and adds it to v under name.
func (f *formValue) add(s *engine.Session, v url.Values, name string) error {
	ts := f.Many
	if ts == nil {
		ts = []engine.Template{f.One}
	}
	for i := range ts {
		x, err := ts[i].Value(s)
		if err != nil {
			return err
		}
		if list, ok := x.([]any); ok {
			for _, item := range list {
				v.Add(name, text(item))
			}
			continue
		}
		v.Add(name, text(x))
	}
	return nil
}

// addValues evaluates a mapping of values into v.
func addValues(s *engine.Session, v url.Values, m map[string]formValue, key string) error {
	for _, name := range slices.Sorted(maps.Keys(m)) {
		f := m[name]
		if err := f.add(s, v, name); err != nil {
			return fmt.Errorf("%s %s: %w", key, name, err)
		}
	}
	return nil
}

// text writes a value as a form or query value.
func text(x any) string {
	switch v := x.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	return fmt.Sprint(x)
}
