package wire

import (
	"fmt"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

// DecodeOpen compiles the URL and the options of a step that opens a
// connection (connect, listen): d.Value into url, checked now with parse
// when it is literal, and d.Options into opts, strictly. When the options
// load, check runs their own load-time checks. DecodeOpen sets d.Name to
// "SCHEME VERB HOST:PORT" and returns every error found.
func DecodeOpen(d *engine.Decoder, url *engine.Template, parse func(raw string) (Addr, error), opts any, check func() error) error {
	errs := LoadErrors{At: d.Pos(d.Value)}
	if err := d.Load(d.Value, url); err != nil {
		errs.Add(err)
	} else if lit, ok := url.Literal(); ok {
		if _, err := parse(lit); err != nil {
			errs.Add(&engine.Error{Pos: url.Pos(), Msg: err.Error()})
		}
	}
	if err := d.Load(d.Options, opts); err != nil {
		errs.Add(err)
	} else {
		errs.Add(check())
	}
	d.Name = d.Scheme + " " + d.Verb + " " + ShortURL(url)
	return errs.Err()
}

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
	return e, nil
}

// Opens is embedded in the action of connect and listen of a stream or
// datagram plugin (tcp, udp): Listen says which it is, and the result
// type follows.
type Opens struct{ Listen bool }

// Result is a ListenResult for listen, else a ConnectResult.
func (o Opens) Result() any {
	if o.Listen {
		return ListenResult{}
	}
	return ConnectResult{}
}

// CheckHeaderName refuses a header name that is not an HTTP token.
func CheckHeaderName(name string) error {
	if name == "" {
		return fmt.Errorf("a header name is empty")
	}
	for _, r := range name {
		if r > 0x7e || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return fmt.Errorf("%q is not a valid header name", name)
		}
	}
	return nil
}

// CheckHeaders checks the names under the headers key of the mapping m
// (http and ws), each error at its name.
func CheckHeaders(d *engine.Decoder, m *yaml.Node) error {
	h := engine.MapValue(m, "headers")
	if h == nil || h.Kind != yaml.MappingNode {
		return nil
	}
	var errs LoadErrors
	for i := 0; i+1 < len(h.Content); i += 2 {
		if err := CheckHeaderName(h.Content[i].Value); err != nil {
			errs.Add(d.Errorf(h.Content[i], "headers: %s", err))
		}
	}
	return errs.Err()
}
