package netconn

import (
	"net"
	"time"

	"github.com/netrunhq/netrun/steps/internal/tlsconf"
)

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
}

// Connected is the result of a connection nc made since start, with the
// facts of its TLS session (nil on a plain connection).
func Connected(nc net.Conn, start time.Time, info *tlsconf.Info) ConnectResult {
	return ConnectResult{Remote: nc.RemoteAddr().String(), Local: nc.LocalAddr().String(),
		Duration: time.Since(start), TLS: info}
}
