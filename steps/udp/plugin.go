// Package udp is the plugin for udp:// URLs. connect makes a connected
// socket that sends to and hears from one server; listen binds a socket
// that hears from anyone: its expect remembers the sender, and its send
// replies to the last sender. send sends one datagram (any wire payload);
// expect takes one datagram and matches it as a whole, with result.from
// naming its sender.
//
// A datagram sent to a port where nothing listens usually comes back as an
// ICMP "port unreachable"; the next send or expect on that connected socket
// then fails with "connection refused". Nothing comes back when a firewall
// drops it: an expect then times out.
package udp

import (
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// Plugin serves the udp scheme.
type Plugin struct{}

// Schemes returns udp.
func (Plugin) Schemes() []string { return []string{"udp"} }

// options are what connect and listen take beside the URL.
type options struct {
	// LineEnding is appended by `send: { line }`; CRLF by default.
	LineEnding engine.Template `yaml:"line_ending"`
	// Resend, on a connected socket, sends the last datagram again each
	// time this long passes with no answer while an expect waits.
	Resend engine.Template `yaml:"resend" netrun:"duration"`
}

var _ engine.VerbPlugin = Plugin{}

// Verbs returns what udp takes: connect, listen, send and expect.
func (Plugin) Verbs() engine.VerbTable {
	return engine.VerbTable{
		Takes: []engine.Verb{
			{Name: "connect", Decode: decodeOpen},
			{Name: "listen", Decode: decodeOpen},
			{Name: "send", Decode: decodeSend},
			{Name: "expect", Decode: decodeExpect},
		},
		Refuse: func(d *engine.Decoder) error {
			if d.Verb == "accept" {
				return d.Errorf(d.Value, "udp has no accept: a udp listener hears from anyone, so expect on it directly")
			}
			return nil
		},
	}
}

// decodeSend compiles send: one datagram.
func decodeSend(d *engine.Decoder) (engine.TypedAction, error) {
	p, err := wire.DecodePayload(d)
	return &sendAction{payload: p}, err
}

// decodeExpect compiles expect: one datagram, matched as a whole.
func decodeExpect(d *engine.Decoder) (engine.TypedAction, error) {
	e, err := wire.DecodeExpect(d)
	if err == nil {
		err = wire.CheckDatagram(d.Value, "udp")
	}
	return &expectAction{expect: e}, err
}

// decodeOpen compiles connect and listen.
func decodeOpen(d *engine.Decoder) (engine.TypedAction, error) {
	a := &openAction{Opens: netconn.Opens{Listen: d.Verb == "listen"}}
	parse := func(raw string) (netconn.Addr, error) { return netconn.ParseURL(raw, a.Listen) }
	err := netconn.DecodeOpen(d, &a.url, parse, &a.opts, func() error {
		if lit, ok := a.opts.LineEnding.Literal(); ok {
			if _, err := wire.ParseLineEnding(lit); err != nil {
				return &engine.Error{Pos: a.opts.LineEnding.Pos(), Msg: err.Error()}
			}
		}
		if a.Listen && a.opts.Resend.IsSet() {
			return &engine.Error{Pos: a.opts.Resend.Pos(), Msg: "resend goes with connect: a listener answers whoever writes to it"}
		}
		return nil
	})
	return a, err
}
