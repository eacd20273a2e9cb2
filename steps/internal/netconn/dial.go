package netconn

import (
	"context"
	"crypto/tls"
	"net"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
)

// Plan is a connect with its URL and options evaluated: where to dial and
// how TLS starts.
type Plan struct {
	// Addr is the server's address as the URL gives it.
	Addr Addr
	// Mode is tlsconf.ModeNone, ModeStartTLS or ModeImplicit.
	Mode string
	// TLS is the client configuration; nil with ModeNone.
	TLS *tls.Config
	// Stream is set for a plain byte stream (tcp://, tls://), whose reads
	// are not replies to commands: no TCP_QUICKACK (QuickAck), which
	// would cost an ACK of its own for every segment received.
	Stream bool
}

// Peer is the server's host:port as the URL gives it, which errors name.
func (p Plan) Peer() string { return p.Addr.String() }

// Dialed is a connection that Plan.Dial made.
type Dialed struct {
	// Plan is what was dialed.
	Plan Plan
	// Conn is the connection: TCP, or TLS over it with implicit TLS.
	Conn net.Conn
	// Raw is the TCP connection underneath Conn.
	Raw net.Conn
	// Result holds remote and local and, after implicit TLS, tls.
	Result ConnectResult
	start  time.Time
}

// Elapsed is the time since the dial began: result.duration, once the
// protocol's session is set up.
func (d *Dialed) Elapsed() time.Duration { return time.Since(d.start) }

// Dial connects to the server over TCP within ctx and notes it in the
// transcript. With ModeImplicit it runs the TLS handshake too, and closes
// the connection when that fails.
func (p Plan) Dial(ctx context.Context, s *engine.Session) (*Dialed, error) {
	d := &Dialed{Plan: p, start: time.Now()}
	var dialer net.Dialer
	nc, err := dialer.DialContext(ctx, "tcp", p.Peer())
	if err != nil {
		return nil, DialError("tcp", p.Peer(), err)
	}
	if !p.Stream {
		nc = QuickAck(nc)
	}
	d.Conn, d.Raw = nc, nc
	d.Result = ConnectResult{Remote: nc.RemoteAddr().String(), Local: nc.LocalAddr().String()}
	s.Note("connected to %s from %s", d.Result.Remote, d.Result.Local)
	if p.Mode == tlsconf.ModeImplicit {
		tc := tls.Client(nc, p.TLS)
		if d.Result.TLS, err = tlsconf.Handshake(ctx, s, tc, p.Peer()); err != nil {
			_ = nc.Close()
			return nil, err
		}
		d.Conn = tc
	}
	return d, nil
}

// ConnectResult is the result of connect (and of accept): `result.remote`,
// `result.local`, `result.duration` and, when TLS is up, `result.tls`.
//
// Protocols with more to say embed it: expressions see the fields of an
// embedded struct as their own (`result.remote` beside `result.greeting`).
type ConnectResult struct {
	// Remote and Local are the peer's and our address, host:port.
	Remote string `expr:"remote" json:"remote"`
	Local  string `expr:"local" json:"local"`
	// Duration is how long connecting took, TLS handshake included (for
	// accept: how long the client took to come).
	Duration time.Duration `expr:"duration" json:"duration"`
	// TLS describes the TLS session; nil on a plain connection. Test it
	// with `result.tls != nil` or read it with `result.tls?.version`.
	TLS *tlsconf.Info `expr:"tls" json:"tls,omitempty"`
}

// ListenResult is the result of listen: the bound address.
type ListenResult struct {
	// Address is host:port, ready for a client's URL.
	Address string `expr:"address" json:"address"`
	Host    string `expr:"host" json:"host"`
	Port    int    `expr:"port" json:"port"`
	// CA and CAKey are the PEM files of the CA that signed a certificate
	// that tls: { generate } made, for the client under test to trust, or
	// for another generate to sign with; empty otherwise.
	CA    string `expr:"ca" json:"ca,omitempty"`
	CAKey string `expr:"ca_key" json:"ca_key,omitempty"`
}

// Connected is the result of a connection nc made since start, with the
// facts of its TLS session (nil on a plain connection).
func Connected(nc net.Conn, start time.Time, info *tlsconf.Info) ConnectResult {
	return ConnectResult{Remote: nc.RemoteAddr().String(), Local: nc.LocalAddr().String(),
		Duration: time.Since(start), TLS: info}
}
