package wire

import (
	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

// LoadForm loads the value of a step that takes a mapping, or a scalar as
// the short form of one of its keys (`fetch: last` for `fetch: { message:
// last }`): a mapping into v, a scalar into short. Anything else, an empty
// value included, is the error usage, at the value.
func LoadForm(d *engine.Decoder, v any, short *engine.Template, usage string) error {
	switch {
	case d.Value != nil && d.Value.Kind == yaml.MappingNode:
		return d.Load(d.Value, v)
	case d.Value != nil && d.Value.Kind == yaml.ScalarNode && !engine.IsNull(d.Value):
		return d.Load(d.Value, short)
	}
	return d.Errorf(d.Value, "%s", usage)
}

// DecodePayload decodes and compiles the payload of a send step, and sets
// the step's name. Its action returns a SendResult.
func DecodePayload(d *engine.Decoder) (Payload, error) {
	var p Payload
	if engine.IsNull(d.Value) {
		return p, d.Errorf(d.Value, "send needs a value: text to send as is, or a mapping with one of "+payloadForms)
	}
	if err := d.Load(d.Value, &p); err != nil {
		return p, err
	}
	d.Name = d.Scheme + " send " + p.Describe()
	return p, nil
}

// DecodeExpect decodes and compiles the value of an expect step, and sets
// the step's name. Its action returns an ExpectResult.
func DecodeExpect(d *engine.Decoder) (Expect, error) {
	var e Expect
	if engine.IsNull(d.Value) {
		return e, d.Errorf(d.Value, "expect needs text to wait for, or a mapping such as { line: true, equals: OK }")
	}
	if err := d.Load(d.Value, &e); err != nil {
		return e, err
	}
	d.Name = d.Scheme + " expect " + e.Describe()
	e.loaded()
	return e, nil
}

// Templates reads a scalar or a list of scalars as templates, one an item.
// A mapping or a nested list is refused with usage, at the item.
func Templates(n *yaml.Node, usage string) ([]engine.Template, error) {
	nodes := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		nodes = n.Content
	}
	var out []engine.Template
	for _, item := range nodes {
		if item.Kind != yaml.ScalarNode {
			return nil, engine.ErrorAt(item, "%s", usage)
		}
		var t engine.Template
		if err := t.UnmarshalYAML(item); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
