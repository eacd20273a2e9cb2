package web

import (
	"context"
	"crypto/tls"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// ListenStep is the listen step of a web plugin (http, ws): its URL
// (scheme://host:port) and its tls options, which the plugin's options
// embed with `yaml:",inline"`.
type ListenStep struct {
	URL engine.Template
	// Secure is the plugin's scheme with TLS: https or wss.
	Secure string
	opts   *ListenOptions
	// tls is set when the step's scheme, read at load time, is Secure.
	tls bool
}

// ListenOptions are the options every web listener takes.
type ListenOptions struct {
	// TLS is the listener's certificate, for the secure scheme: cert and
	// key, or generate.
	TLS *tlsconf.Options `yaml:"tls"`
}

// Decode compiles the step into l and the plugin's options into opts,
// which embed lo; check adds the plugin's own load checks.
func (l *ListenStep) Decode(d *engine.Decoder, opts any, lo *ListenOptions, check func(*wire.LoadErrors)) error {
	l.opts, l.tls = lo, d.Scheme == l.Secure
	parse := func(raw string) (netconn.Addr, error) { return netconn.ParseURL(raw, true) }
	return netconn.DecodeOpen(d, &l.URL, parse, opts, func() error {
		var errs wire.LoadErrors
		check(&errs)
		if l.tls {
			errs.Add(l.opts.TLS.Validate(d, true))
		} else if k := engine.MapKey(d.Options, "tls"); k != nil {
			errs.Add(d.Errorf(k, "tls options go with %s://; %s:// is plain text", l.Secure, d.Scheme))
		}
		return errs.Err()
	})
}

// Open evaluates the URL and the TLS options and listens (see Listen).
func (l *ListenStep) Open(ctx context.Context, s *engine.Session, upgrade func(*Pending)) (*Listener, netconn.ListenResult, error) {
	addr, err := netconn.EvalURL(s, &l.URL, true)
	if err != nil {
		return nil, netconn.ListenResult{}, err
	}
	var cfg *tls.Config
	var gen *tlsconf.Generated
	if l.tls {
		if cfg, gen, err = l.opts.TLS.Listener(s); err != nil {
			return nil, netconn.ListenResult{}, err
		}
	}
	return Listen(ctx, s, addr.String(), cfg, gen, upgrade)
}
