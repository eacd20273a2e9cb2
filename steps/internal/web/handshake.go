package web

import (
	"context"
	"crypto/tls"
	"net"
	"sync"

	"github.com/netrunhq/netrun/steps/internal/tlsconf"
)

// tlsListener runs each client's TLS handshake in the background, as the
// tcp listener does, and gives the HTTP server only the clients that
// passed it. A failed handshake goes to the accept step that waits: it
// fails at once and says why, instead of waiting in vain until its
// timeout.
type tlsListener struct {
	net.Listener
	cfg   *tls.Config
	ctx   context.Context // cancelled when the listener closes
	l     *Listener       // counts the clients still in their handshake
	conns chan net.Conn
	wg    sync.WaitGroup
}

// newTLSListener serves cfg's TLS on ln until ctx ends.
func newTLSListener(ctx context.Context, ln net.Listener, cfg *tls.Config, l *Listener) *tlsListener {
	return &tlsListener{Listener: ln, cfg: cfg, ctx: ctx, l: l, conns: make(chan net.Conn)}
}

// Accept returns the next client whose handshake passed.
func (t *tlsListener) Accept() (net.Conn, error) {
	select {
	case c := <-t.conns:
		return c, nil
	case <-t.ctx.Done():
		return nil, net.ErrClosed
	}
}

// run accepts clients and hands each to its own handshake, until the
// listener is closed; it then waits for the handshakes under way.
func (t *tlsListener) run() {
	defer t.wg.Wait()
	for {
		nc, err := t.Listener.Accept()
		if err != nil {
			return
		}
		t.l.count(1)
		t.wg.Add(1)
		go t.handshake(nc)
	}
}

// handshake runs one client's handshake and hands the client to Accept,
// or its failure to failed (dropped when unread failures fill it: the
// first ones explain enough). The client counts as one that may bring a
// request from its accept on; the server stops counting it when it
// closes (connState).
func (t *tlsListener) handshake(nc net.Conn) {
	defer t.wg.Done()
	tc, err := tlsconf.Serve(t.ctx, nc, t.cfg)
	if err != nil {
		if t.ctx.Err() == nil {
			t.l.fail(err)
		}
		t.l.count(-1)
		return
	}
	select {
	case t.conns <- &recConn{Conn: tc, tls: tc}:
	case <-t.ctx.Done():
		_ = tc.Close()
		t.l.count(-1)
	}
}
