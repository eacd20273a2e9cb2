// Package smtp is the plugin for smtp:// and smtps:// URLs: connect (with
// the greeting, EHLO, STARTTLS and AUTH), send a raw command, a line, or a
// whole mail transaction, and expect the next reply.
//
//	steps:
//	  - connect: smtp://{{ smtp }}        # port 25 unless given; smtps:// 465
//	    starttls: true                    # or tls_mode: none | starttls | implicit
//	    tls: { ca: ca.pem }
//	    ehlo: client.example.test         # default: our address, such as [127.0.0.1]
//	    auth: { user: alice, password: '{{ password }}' }   # mechanism: plain, login, cram-md5, xoauth2 (token)
//	    assert: result.greeting.code == 220
//	  - send:
//	      mail: { from: alice@example.test, to: bob@example.test, subject: hi, text: hello }
//	    assert: result.reply.code == 250
//	  - send: { command: NOOP }           # writes the line, returns the reply
//	    assert: result.code == 250
//	  - send: { line: NOOP }              # writes the line only
//	  - expect: 250                       # reads the next reply: 250, 2xx or { code, text }
//
// Every reply is { code, enhanced, text, lines } (see lineproto.Reply).
// Secrets of AUTH (the password, the token and every blob sent) are
// registered with the session before they are written, so that no output
// shows them, in plain or base64 form.
package smtp

import (
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// Plugin serves the smtp and smtps schemes.
type Plugin struct{}

// Schemes returns smtp and smtps.
func (Plugin) Schemes() []string { return protocol().Schemes() }

// protocol describes smtp:// and smtps:// to netconn.
func protocol() netconn.Protocol {
	return netconn.Protocol{Plain: "smtp", Secure: "smtps", PlainPort: 25, SecurePort: 465, StartTLS: "STARTTLS"}
}

// options are what connect takes beside the URL.
type options struct {
	netconn.TLSOptions `yaml:",inline"`
	Auth               *authOptions    `yaml:"auth"`
	EHLO               engine.Template `yaml:"ehlo"`
}

var _ engine.VerbPlugin = Plugin{}

// Verbs returns what smtp and smtps take: connect, send and expect.
func (Plugin) Verbs() engine.VerbTable {
	return engine.VerbTable{Takes: []engine.Verb{
		{Name: "connect", Decode: decodeConnect},
		{Name: "send", Decode: decodeSend},
		{Name: "expect", Decode: decodeExpect},
	}}
}

// decodeConnect compiles connect: the URL and the options.
func decodeConnect(d *engine.Decoder) (engine.TypedAction, error) {
	a := &connectAction{target: netconn.Connect{Protocol: protocol()}}
	err := a.target.Decode(d, &a.opts, func() error {
		var errs wire.LoadErrors
		errs.Add(a.opts.TLSOptions.Check(d, protocol()))
		if lit, ok := a.opts.EHLO.Literal(); ok && strings.TrimSpace(lit) == "" {
			errs.Add(&engine.Error{Pos: a.opts.EHLO.Pos(), Msg: "ehlo needs a name, such as client.example.test"})
		}
		errs.Add(a.opts.Auth.validate(d))
		return errs.Err()
	})
	return a, err
}
