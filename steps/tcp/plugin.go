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
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
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
		d.Result = netconn.ConnectResult{}
		d.Name = d.Scheme + " accept"
		if d.Value.Kind != yaml.ScalarNode || d.Value.Value != "true" {
			return nil, d.Errorf(d.Value, "accept takes true; choose the listener with on: NAME")
		}
		return acceptAction{}, nil
	case "send":
		p, err := wire.DecodePayload(d)
		if err != nil {
			return nil, err
		}
		return &sendAction{payload: p}, nil
	case "expect":
		e, err := wire.DecodeExpect(d)
		if err != nil {
			return nil, err
		}
		return &expectAction{expect: e}, nil
	}
	return nil, d.Errorf(d.Value, "%s has no %s action: it takes connect, listen, accept, send and expect", d.Scheme, d.Verb)
}

// decodeOpen compiles connect and listen: the URL and the options.
func decodeOpen(d *engine.Decoder) (engine.Action, error) {
	listen := d.Verb == "listen"
	if listen {
		d.Result = netconn.ListenResult{}
	} else {
		d.Result = netconn.ConnectResult{}
	}
	a := &openAction{listen: listen, tls: d.Scheme == "tls"}
	parse := func(raw string) (netconn.Addr, error) { return netconn.ParseURL(raw, listen) }
	err := netconn.DecodeOpen(d, &a.url, parse, &a.opts, func() error {
		var errs wire.LoadErrors
		errs.Add(a.opts.StreamOptions.Validate())
		if a.tls {
			errs.Add(a.opts.TLS.Validate(d, listen))
		} else if k := engine.MapKey(d.Options, "tls"); k != nil {
			errs.Add(d.Errorf(k, "tls options need a tls:// URL; tcp:// is plain text"))
		}
		return errs.Err()
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}
