package netconn

import (
	"context"

	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

// Open is the run of a Login's connect step: it dials (Dial), sets res,
// the connect result's common fields, from the dial, and hands the dialed
// connection and the credentials (nil without auth) to start, which sets
// the protocol's session up on it: greeting, TLS upgrade, login. Then it
// sets res.Duration and registers the session with s; when start fails
// it closes the connection instead.
func (l *Login) Open(ctx context.Context, s *engine.Session, res *ConnectResult, start func(d *Dialed, cred *Credentials) (engine.Conn, error)) error {
	d, cred, err := l.Dial(ctx, s)
	if err != nil {
		return err
	}
	*res = d.Result
	c, err := start(d, cred)
	if err != nil {
		_ = d.Raw.Close()
		return err
	}
	res.Duration = d.Elapsed()
	s.Open(ctx, c)
	return nil
}

// Verbs is the verb table of a protocol of p whose connect is a Login:
// connect, decoded with the protocol's mechanism names (parse, see
// DecodeLogin) into the action that open makes of the Login, then more.
func (p Protocol) Verbs(parse func(string) (string, error), open func(*Login) engine.TypedAction, more ...engine.Verb) engine.VerbTable {
	connect := engine.Verb{Name: "connect", Decode: func(d *engine.Decoder) (engine.TypedAction, error) {
		l, err := p.DecodeLogin(d, parse)
		return open(l), err
	}}
	return engine.VerbTable{Takes: append([]engine.Verb{connect}, more...)}
}

// Opens is embedded in the action of connect and listen of a stream or
// datagram plugin (tcp, udp): Listen says which it is, and the result
// type follows.
type Opens struct{ Listen bool }

// Result is a ListenResult for listen, else a ConnectResult.
func (o Opens) Result() any {
	if o.Listen {
		return ListenResult{}
	}
	return ConnectResult{}
}

// CheckAccept checks `accept: true` of any plugin with listeners, and
// names the step.
func CheckAccept(d *engine.Decoder) error {
	d.Name = d.Scheme + " accept"
	if d.Value.Kind != yaml.ScalarNode || d.Value.Value != "true" {
		return d.Errorf(d.Value, "accept takes true; choose the listener with on: NAME")
	}
	return nil
}
