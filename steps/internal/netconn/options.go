package netconn

import (
	"crypto/tls"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// TLSOptions are the connect options that choose how TLS starts: tls (ca,
// cert, ...) and starttls or tls_mode. Embed them inline in a protocol's
// connect options.
type TLSOptions struct {
	// TLS configures implicit TLS and the upgrade.
	TLS          *tlsconf.Options `yaml:"tls"`
	tlsconf.Mode `yaml:",inline"`
}

// Check validates the options of a connect to d.Scheme, a scheme of p, at
// load time: the mode, the tls options, tls on the plain scheme without a
// way to start TLS, and starttls on the scheme that starts with it.
func (o *TLSOptions) Check(d *engine.Decoder, p Protocol) error {
	var errs wire.LoadErrors
	errs.Add(o.Mode.Check(d))
	errs.Add(o.TLS.Validate(d, false))
	if k := engine.MapKey(d.Options, "tls"); k != nil && d.Scheme == p.Plain && !o.StartTLS.IsSet() && !o.TLSMode.IsSet() {
		errs.Add(d.Errorf(k, "tls options need starttls: true, tls_mode or %s %s:// URL; %s:// is plain text",
			article(p.Secure), p.Secure, p.Plain))
	}
	if lit, ok := o.TLSMode.Literal(); ok && d.Scheme == p.Secure && strings.TrimSpace(lit) == tlsconf.ModeNone {
		errs.Add(d.Errorf(engine.MapKey(d.Options, "tls_mode"), "tls_mode none on %s:// would send everything, passwords included, in plain text; use %s:// for that",
			p.Secure, p.Plain))
	}
	if lit, ok := o.StartTLS.Literal(); ok && d.Scheme == p.Secure && strings.TrimSpace(lit) == "true" {
		errs.Add(d.Errorf(engine.MapKey(d.Options, "starttls"), "starttls: %s:// starts with TLS already; use %s:// for %s",
			p.Secure, p.Plain, p.StartTLS))
	}
	return errs.Err()
}

// article is the indefinite article of a scheme read letter by letter: "an"
// before a letter whose name starts with a vowel sound (an smtps://, an
// imaps://), else "a" (a pop3s://).
func article(scheme string) string {
	if scheme != "" && strings.ContainsRune("aefhilmnorsx", rune(scheme[0])) {
		return "an"
	}
	return "a"
}

// resolve returns the mode for a connection to host and, unless it is
// plain text, the client configuration.
func (o *TLSOptions) resolve(s *engine.Session, implicit bool, host string) (string, *tls.Config, error) {
	mode, err := o.Mode.Resolve(s, implicit)
	if err != nil || mode == tlsconf.ModeNone {
		return mode, nil, err
	}
	cfg, err := o.TLS.Client(s, host)
	if err != nil {
		return "", nil, err
	}
	return mode, cfg, nil
}

// Options are the connect options of a protocol that logs in with a user
// name and a password (pop3, imap): how TLS starts, and auth.
type Options struct {
	TLSOptions `yaml:",inline"`
	// Auth logs in after the greeting (and after STARTTLS).
	Auth *Auth `yaml:"auth"`
}

// Check validates the options at load time: TLSOptions.Check, then auth,
// whose mechanism names parse reads.
func (o *Options) Check(d *engine.Decoder, p Protocol, parse func(string) (string, error)) error {
	var errs wire.LoadErrors
	errs.Add(o.TLSOptions.Check(d, p))
	errs.Add(o.Auth.Check(d, parse))
	return errs.Err()
}
