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

var _ engine.VerbPlugin = Plugin{}

// Verbs returns what tcp and tls take: connect, listen, accept, send and
// expect.
func (Plugin) Verbs() engine.VerbTable {
	return engine.VerbTable{Takes: []engine.Verb{
		{Name: "connect", Decode: decodeOpen},
		{Name: "listen", Decode: decodeOpen},
		{Name: "accept", Decode: decodeAccept},
		{Name: "send", Decode: decodeSend},
		{Name: "expect", Decode: decodeExpect},
	}}
}

// decodeAccept compiles `accept: true`.
func decodeAccept(d *engine.Decoder) (engine.TypedAction, error) {
	return acceptAction{}, netconn.CheckAccept(d)
}

// decodeSend compiles send: a payload.
func decodeSend(d *engine.Decoder) (engine.TypedAction, error) {
	p, err := wire.DecodePayload(d)
	return &sendAction{payload: p}, err
}

// decodeExpect compiles expect.
func decodeExpect(d *engine.Decoder) (engine.TypedAction, error) {
	e, err := wire.DecodeExpect(d)
	return &expectAction{expect: e}, err
}

// decodeOpen compiles connect and listen: the URL and the options.
func decodeOpen(d *engine.Decoder) (engine.TypedAction, error) {
	a := &openAction{Opens: netconn.Opens{Listen: d.Verb == "listen"}, tls: d.Scheme == "tls"}
	parse := func(raw string) (netconn.Addr, error) { return netconn.ParseURL(raw, a.Listen) }
	err := netconn.DecodeOpen(d, &a.url, parse, &a.opts, func() error {
		var errs wire.LoadErrors
		errs.Add(a.opts.StreamOptions.Validate())
		if a.tls {
			errs.Add(a.opts.TLS.Validate(d, a.Listen))
		} else if k := engine.MapKey(d.Options, "tls"); k != nil {
			errs.Add(d.Errorf(k, "tls options need a tls:// URL; tcp:// is plain text"))
		}
		return errs.Err()
	})
	return a, err
}
