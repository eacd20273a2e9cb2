// Package netconn holds what the plugins share when they open a
// connection: tcp, tls and udp, the mail, news and file protocols (smtp,
// pop3, imap, nntp, ftp), and the web ones (through steps/internal/web):
//
//   - Addr, ParseURL and EvalURL: the URL scheme://host:port of connect
//     and listen; DecodeOpen compiles it with the step's options;
//   - ConnectResult and ListenResult: the fields every connect (remote,
//     local, duration, tls) and listen result has;
//   - DialError, Explain and Fail: why a connection failed, in words, and
//     a check failure that still names the step's timeout;
//   - Protocol: the plain and the implicit-TLS scheme of a protocol, their
//     default ports, and URLs scheme://host[:port] that may leave the port
//     out;
//   - Connect: the URL of a connect step, decoded and checked at load time
//     with the step's options, and evaluated into a Plan at run time;
//   - TLSOptions (tls, starttls, tls_mode) and Options, which add auth:
//     { user, password, mechanism } (Auth), with their load-time checks;
//   - Login: a whole connect step of a protocol whose options are Options
//     (pop3, imap), from DecodeLogin to Dial;
//   - Plan.Dial: the dial within the step's context, implicit TLS, and the
//     fields every connect result has (remote, local, duration, tls).
//
// What follows the greeting (STARTTLS and its kin, logging in) is each
// protocol's own; tlsconf.Handshake runs the handshake of an upgrade.
package netconn

import (
	"fmt"

	"github.com/netrunhq/netrun/engine"
)

// Protocol describes the two schemes of a protocol: one that starts in
// plain text (and may upgrade to TLS) and one that starts with TLS.
type Protocol struct {
	// Plain and Secure are the schemes, such as pop3 and pop3s.
	Plain, Secure string
	// PlainPort and SecurePort are their default ports, such as 110 and
	// 995.
	PlainPort, SecurePort int
	// StartTLS is the command that upgrades a plain connection, such as
	// STARTTLS or STLS, for messages.
	StartTLS string
}

// Schemes returns the two schemes, plain first: what the plugin serves.
func (p Protocol) Schemes() []string { return []string{p.Plain, p.Secure} }

// Implicit reports whether scheme is the one that starts with TLS.
func (p Protocol) Implicit(scheme string) bool { return scheme == p.Secure }

// Connect is the URL of a connect step and the scheme it names.
type Connect struct {
	// Protocol serves the scheme; set it before Decode.
	Protocol Protocol
	// Scheme is the URL's scheme, from the decoder.
	Scheme string
	// URL is the URL template.
	URL engine.Template
}

// Decode compiles a connect step: the URL (checked now when it is
// literal) and the step's options, decoded strictly into opts. When the
// options decode, check runs the protocol's own load-time checks of them,
// such as Options.Check. Decode sets d.Name and returns every error found.
func (c *Connect) Decode(d *engine.Decoder, opts any, check func() error) error {
	c.Scheme = d.Scheme
	return DecodeOpen(d, &c.URL, c.parse, opts, check)
}

// parse reads a URL of the step's scheme.
func (c *Connect) parse(raw string) (Addr, error) { return c.Protocol.ParseURL(raw, c.Scheme) }

// Plan evaluates the URL and how TLS starts (o): the tls options become a
// client configuration unless the connection stays plain text.
func (c *Connect) Plan(s *engine.Session, o *TLSOptions) (Plan, error) {
	raw, err := c.URL.String(s)
	if err != nil {
		return Plan{}, fmt.Errorf("url: %w", err)
	}
	var p Plan
	if p.Addr, err = c.parse(raw); err != nil {
		return Plan{}, err
	}
	if p.Mode, p.TLS, err = o.resolve(s, c.Protocol.Implicit(c.Scheme), p.Addr.Host); err != nil {
		return Plan{}, err
	}
	return p, nil
}
