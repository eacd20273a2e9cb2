package wire

import (
	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

// DecodePayload decodes and compiles the payload of a send step.
func DecodePayload(d *engine.Decoder) (Payload, error) {
	var p Payload
	if isNull(d.Value) {
		return p, d.Errorf(d.Value, "send needs a value: text to send as is, or a mapping with one of "+payloadForms)
	}
	err := d.Load(d.Value, &p)
	return p, err
}

// DecodeExpect decodes and compiles the value of an expect step.
func DecodeExpect(d *engine.Decoder) (Expect, error) {
	var e Expect
	if isNull(d.Value) {
		return e, d.Errorf(d.Value, "expect needs text to wait for, or a mapping such as { line: true, equals: OK }")
	}
	err := d.Load(d.Value, &e)
	return e, err
}

// isNull reports whether n is missing or an empty YAML value, which the
// YAML decoder does not hand to UnmarshalYAML.
func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}
