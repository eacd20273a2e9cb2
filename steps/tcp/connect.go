package tcp

import (
	"context"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
)

// openAction is connect or listen.
type openAction struct {
	netconn.Opens
	url  engine.Template
	opts options
	tls  bool
}

// Do connects or listens.
func (a *openAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	addr, err := netconn.EvalURL(s, &a.url, a.Listen)
	if err != nil {
		return nil, err
	}
	lineEnding, maxBuffer, err := a.opts.Resolve(s)
	if err != nil {
		return nil, err
	}
	if a.Listen {
		return a.doListen(ctx, s, addr, lineEnding, maxBuffer)
	}
	plan := netconn.Plan{Addr: addr, Mode: tlsconf.ModeNone, Stream: true}
	if a.tls {
		plan.Mode = tlsconf.ModeImplicit
		if plan.TLS, err = a.opts.TLS.Client(s, addr.Host); err != nil {
			return nil, err
		}
	}
	d, err := plan.Dial(ctx, s)
	if err != nil {
		return nil, err
	}
	res := d.Result
	res.Duration = d.Elapsed()
	s.Open(ctx, newConn(d.Conn, a.tls, lineEnding, maxBuffer))
	return res, nil
}
