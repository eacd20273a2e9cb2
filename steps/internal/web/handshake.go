package web

import (
	"context"
	"crypto/tls"
	"net"

	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// tlsListener runs the clients' TLS handshakes in the background, as the
// tcp listener does (netconn.Accept: at most netconn.MaxPending clients
// in flight), and gives the HTTP server only the clients that passed it.
// A failed handshake goes to the accept step that waits: it fails at
// once and says why, instead of waiting in vain until its timeout.
type tlsListener struct {
	net.Listener
	ctx context.Context // cancelled when the listener closes
	l   *Listener       // counts the clients still in their handshake
	acc *netconn.Acceptor
}

// newTLSListener serves cfg's TLS on ln until ctx ends. A client counts as
// one that may bring a request from its accept on; the server stops
// counting it when it closes (connState), Accept when its handshake fails.
func newTLSListener(ctx context.Context, ln net.Listener, cfg *tls.Config, l *Listener) *tlsListener {
	return &tlsListener{Listener: ln, ctx: ctx, l: l, acc: netconn.Accept(ctx, ln, cfg, func() { l.count(1) })}
}

// Accept returns the next client whose handshake passed; it hands the
// failures to the listener's accept step (dropped when unread failures
// fill its channel: the first ones explain enough).
func (t *tlsListener) Accept() (net.Conn, error) {
	for {
		select {
		case a := <-t.acc.Ready():
			if a.Err == nil {
				return &recConn{Conn: a.Conn, tls: a.Conn.(*tls.Conn)}, nil
			}
			t.l.fail(a.Err)
			t.l.count(-1)
		case <-t.ctx.Done():
			return nil, net.ErrClosed
		}
	}
}
