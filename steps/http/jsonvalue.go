package httpstep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

// jsonValue is the `json` of a send: any YAML value, whose strings are
// templates. A literal number, boolean or null keeps its type; a template
// that is exactly one {{ expr }} keeps the type of the expression's value
// (a number, a list, a mapping), like a var.
type jsonValue struct {
	// Scalar is a scalar's template. The fields are exported so that the
	// loader compiles the templates inside.
	Scalar *engine.Template
	// Items are a sequence's values.
	Items []*jsonValue
	// Keys and Values are a mapping's, in order.
	Keys   []string
	Values []*jsonValue

	kind   yaml.Kind
	lit    any
	hasLit bool
}

// UnmarshalYAML keeps the tree of the value.
func (v *jsonValue) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	*v = jsonValue{kind: n.Kind}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.ShortTag() != "!!str" {
			var x any
			if err := n.Decode(&x); err == nil {
				v.lit, v.hasLit = x, true
				return nil
			}
		}
		v.Scalar = &engine.Template{}
		return v.Scalar.UnmarshalYAML(n)
	case yaml.SequenceNode:
		for _, item := range n.Content {
			iv := &jsonValue{}
			if err := iv.UnmarshalYAML(item); err != nil {
				return err
			}
			v.Items = append(v.Items, iv)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			iv := &jsonValue{}
			if err := iv.UnmarshalYAML(n.Content[i+1]); err != nil {
				return err
			}
			v.Keys = append(v.Keys, n.Content[i].Value)
			v.Values = append(v.Values, iv)
		}
	default:
		return &engine.Error{Pos: engine.Pos{Line: n.Line, Col: n.Column}, Msg: "json takes a YAML value"}
	}
	return nil
}

// eval evaluates the templates inside the value.
func (v *jsonValue) eval(s *engine.Session) (any, error) {
	switch v.kind {
	case yaml.SequenceNode:
		out := make([]any, len(v.Items))
		for i, item := range v.Items {
			x, err := item.eval(s)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(v.Keys))
		for i, k := range v.Keys {
			x, err := v.Values[i].eval(s)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out[k] = x
		}
		return out, nil
	}
	if v.hasLit {
		return v.lit, nil
	}
	return v.Scalar.Value(s)
}

// encode evaluates the value and writes it as JSON.
func (v *jsonValue) encode(s *engine.Session) ([]byte, error) {
	x, err := v.eval(s)
	if err != nil {
		return nil, fmt.Errorf("json: %w", err)
	}
	b, err := json.Marshal(x)
	if err != nil {
		return nil, fmt.Errorf("json: %w", err)
	}
	return b, nil
}

// parseJSON reads a body that holds one JSON value, with whole numbers as
// int (when they fit) and other numbers as float64.
func parseJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the body is empty")
		}
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("data after the JSON value at offset %d", dec.InputOffset())
	}
	return numbers(v), nil
}

// numbers turns the json.Number values inside v into int or float64.
func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil && n >= math.MinInt && n <= math.MaxInt {
			return int(n)
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = numbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = numbers(x[k])
		}
	}
	return v
}
