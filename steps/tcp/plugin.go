// Package tcp is the plugin for tcp:// and tls:// URLs: connect to a
// server, or listen and accept a client, then send bytes and expect
// replies (see package wire for the send and expect forms).
//
//	steps:
//	  - connect: tls://mail.example.test:465
//	    tls: { ca: ca.pem }
//	    line_ending: lf          # for send: { line }; default crlf
//	    max_buffer: 64KiB        # what an expect keeps; default 1MiB
//	  - send: { line: EHLO x }
//	  - expect: { line: true, match: '^250 ' }
//
// A tls:// listener needs `tls: { cert, key }`; with `ca` it also requires
// client certificates signed by it.
package tcp

import (
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/tlsconf"
	"github.com/netrunhq/netrun/steps/wire"
	"go.yaml.in/yaml/v4"
)

// Plugin serves the tcp and tls schemes.
type Plugin struct{}

// Schemes returns tcp and tls.
func (Plugin) Schemes() []string { return []string{"tcp", "tls"} }

// options are what connect and listen take beside the URL.
type options struct {
	TLS                *tlsconf.Options `yaml:"tls"`
	wire.StreamOptions `yaml:",inline"`
}

// Decode compiles a connect, listen, accept, send or expect step.
func (Plugin) Decode(d *engine.Decoder) (engine.Action, error) {
	switch d.Verb {
	case "connect", "listen":
		return decodeOpen(d)
	case "accept":
		d.Result = wire.ConnectResult{}
		d.Name = d.Scheme + " accept"
		if d.Value.Kind != yaml.ScalarNode || d.Value.Value != "true" {
			return nil, d.Errorf(d.Value, "accept takes true; choose the listener with on: NAME")
		}
		return acceptAction{}, nil
	case "send":
		d.Result = wire.SendResult{}
		p, err := wire.DecodePayload(d)
		if err != nil {
			return nil, err
		}
		a := &sendAction{payload: p}
		d.Name = d.Scheme + " send " + a.payload.Describe()
		return a, nil
	case "expect":
		d.Result = wire.ExpectResult{}
		e, err := wire.DecodeExpect(d)
		if err != nil {
			return nil, err
		}
		a := &expectAction{expect: e}
		d.Name = d.Scheme + " expect " + a.expect.Describe()
		return a, nil
	}
	return nil, d.Errorf(d.Value, "%s has no %s action: it takes connect, listen, accept, send and expect", d.Scheme, d.Verb)
}

// decodeOpen compiles connect and listen: the URL and the options.
func decodeOpen(d *engine.Decoder) (engine.Action, error) {
	listen := d.Verb == "listen"
	if listen {
		d.Result = wire.ListenResult{}
	} else {
		d.Result = wire.ConnectResult{}
	}
	errs := wire.LoadErrors{At: d.Pos(d.Value)}
	add := errs.Add
	a := &openAction{listen: listen, tls: d.Scheme == "tls"}
	if err := d.Load(d.Value, &a.url); err != nil {
		add(err)
	} else {
		add(wire.CheckURL(&a.url, listen))
	}
	if err := d.Load(d.Options, &a.opts); err != nil {
		add(err)
	} else {
		add(a.opts.StreamOptions.Validate())
		if a.tls {
			add(a.opts.TLS.Validate(d, listen))
		} else if k := keyOf(d.Options, "tls"); k != nil {
			add(d.Errorf(k, "tls options need a tls:// URL; tcp:// is plain text"))
		}
	}
	d.Name = d.Scheme + " " + d.Verb + " " + wire.ShortURL(&a.url)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return a, nil
}

// keyOf returns the key node of key in mapping m, or nil.
func keyOf(m *yaml.Node, key string) *yaml.Node {
	for i := 0; m != nil && i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}
