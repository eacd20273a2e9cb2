package web

import (
	"fmt"
	"net/url"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// Options are the connect options that http and ws share. A plugin's
// options embed them with `yaml:",inline"`.
type Options struct {
	// TLS configures https and wss (and http redirected to https).
	TLS *tlsconf.Options `yaml:"tls"`
	// Headers are sent with every request (http) or with the handshake
	// (ws), unless a request sets them.
	Headers map[string]engine.Template `yaml:"headers"`
}

// Check runs the load-time checks of the options: the TLS options and the
// header names under the step's options (d.Options), each error at its
// place.
func (o *Options) Check(d *engine.Decoder) error {
	var errs wire.LoadErrors
	errs.Add(o.TLS.Validate(d, false))
	errs.Add(CheckHeaders(d, d.Options))
	return errs.Err()
}

// EvalHeaders evaluates the header templates hs (a connection's, a
// request's or an answer's), by name as written; an error names the
// header.
func EvalHeaders(s *engine.Session, hs map[string]engine.Template) (map[string]string, error) {
	out := make(map[string]string, len(hs))
	for name, t := range hs {
		v, err := t.String(s)
		if err != nil {
			return nil, fmt.Errorf("headers %s: %w", name, err)
		}
		out[name] = v
	}
	return out, nil
}

// URLs reads the URLs of a web plugin's connect: ParseURL, then the
// plugin's own rules.
type URLs struct {
	// Secure is the plugin's scheme with TLS, https or wss: its URLs
	// default to port 443, the others to 80.
	Secure string
	// Check refuses what the plugin does not take in a URL that ParseURL
	// read from raw (a user name, a query), and may normalise u.
	Check func(raw string, u *url.URL) error
}

// Parse reads raw, a URL of scheme.
func (p URLs) Parse(raw, scheme string) (*url.URL, error) {
	u, err := ParseURL(raw, scheme)
	if err != nil {
		return nil, err
	}
	if err := p.Check(raw, u); err != nil {
		return nil, err
	}
	return u, nil
}

// Addr is the host and port u connects to.
func (p URLs) Addr(u *url.URL) netconn.Addr { return Addr(u, u.Scheme == p.Secure) }

// Eval evaluates the URL template t of a step of scheme and reads it.
func (p URLs) Eval(s *engine.Session, t *engine.Template, scheme string) (*url.URL, error) {
	raw, err := t.String(s)
	if err != nil {
		return nil, fmt.Errorf("url: %w", err)
	}
	u, err := p.Parse(raw, scheme)
	// A URL that does not parse is the scenario's, not the peer's.
	return u, engine.Own(err)
}

// DecodeOpen compiles a connect step's URL into t and its options into
// opts, as netconn.DecodeOpen does, with a literal URL read by Parse.
func (p URLs) DecodeOpen(d *engine.Decoder, t *engine.Template, opts any, check func() error) error {
	parse := func(raw string) (netconn.Addr, error) {
		u, err := p.Parse(raw, d.Scheme)
		if err != nil {
			return netconn.Addr{}, err
		}
		return p.Addr(u), nil
	}
	return netconn.DecodeOpen(d, t, parse, opts, check)
}

// Connect is the URL of a web connect step, its scheme, and how the
// plugin reads its URLs. A plugin's connect action embeds it.
type Connect struct {
	URLs
	// Scheme is the step's scheme, from the decoder.
	Scheme string
	// URL is the URL template.
	URL engine.Template
}

// Decode compiles a connect step: the URL (read now when it is literal)
// and the step's options into opts, strictly; when they decode, the
// checks of the common options (common, inside opts), then the plugin's
// own (check, which adds its errors to errs). It sets d.Name and returns
// every error found.
func (c *Connect) Decode(d *engine.Decoder, opts any, common *Options, check func(errs *wire.LoadErrors)) error {
	c.Scheme = d.Scheme
	return c.DecodeOpen(d, &c.URL, opts, func() error {
		var errs wire.LoadErrors
		errs.Add(common.Check(d))
		check(&errs)
		return errs.Err()
	})
}

// EvalURL evaluates the URL and reads it.
func (c *Connect) EvalURL(s *engine.Session) (*url.URL, error) { return c.Eval(s, &c.URL, c.Scheme) }
