// Package daytime is the plugin for daytime:// URLs (RFC 867): connect,
// and the server sends the date and time as one line, then closes.
//
//	steps:
//	  - connect: daytime://{{ sandbox("daytime") }}
//	  - expect: { line: true, match: '\d{4}' }
package daytime

import (
	"context"
	"net"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// Plugin serves the daytime scheme.
type Plugin struct{}

// Schemes returns daytime.
func (Plugin) Schemes() []string { return []string{"daytime"} }

var _ engine.VerbPlugin = Plugin{}

// Verbs returns what daytime takes: connect and expect.
func (Plugin) Verbs() engine.VerbTable {
	return engine.VerbTable{Takes: []engine.Verb{
		{Name: "connect", Decode: decodeConnect},
		{Name: "expect", Decode: decodeExpect},
	}}
}

// options are what connect takes beside the URL.
type options struct {
	wire.StreamOptions `yaml:",inline"`
}

// connectAction is a compiled connect step.
type connectAction struct {
	engine.Returns[netconn.ConnectResult]
	url  engine.Template
	opts options
}

func decodeConnect(d *engine.Decoder) (engine.TypedAction, error) {
	a := &connectAction{}
	parse := func(raw string) (netconn.Addr, error) { return netconn.ParseURL(raw, false) }
	err := netconn.DecodeOpen(d, &a.url, parse, &a.opts, a.opts.StreamOptions.Validate)
	return a, err
}

// Do connects.
func (a *connectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	addr, err := netconn.EvalURL(s, &a.url, false)
	if err != nil {
		return nil, err
	}
	_, maxBuffer, err := a.opts.Resolve(s)
	if err != nil {
		return nil, err
	}
	d, err := netconn.Plan{Addr: addr, Mode: tlsconf.ModeNone, Stream: true}.Dial(ctx, s)
	if err != nil {
		return nil, err
	}
	s.Open(ctx, &conn{nc: d.Conn, rd: wire.NewReader(d.Conn, maxBuffer)})
	res := d.Result
	res.Duration = d.Elapsed()
	return res, nil
}

// conn is an open daytime connection.
type conn struct {
	nc net.Conn
	rd *wire.Reader
}

// Close closes the connection.
func (c *conn) Close(context.Context) error { return c.nc.Close() }

// expectAction reads the server's line and matches it.
type expectAction struct {
	engine.Returns[wire.ExpectResult]
	expect wire.Expect
}

func decodeExpect(d *engine.Decoder) (engine.TypedAction, error) {
	e, err := wire.DecodeExpect(d)
	return &expectAction{expect: e}, err
}

// Do reads until the expect holds or fails.
func (a *expectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	return a.expect.ReadStream(ctx, s, c.nc, c.rd, c.nc.RemoteAddr().String())
}
