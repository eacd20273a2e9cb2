package netconn

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/netrunhq/netrun/steps/internal/tlsconf"
)

// MaxPending bounds the clients an Acceptor holds at once, in their TLS
// handshake or waiting to be taken; more wait in the kernel's backlog.
const MaxPending = 16

// Accepted is a client an Acceptor took, its TLS handshake done, or why
// it could not be taken.
type Accepted struct {
	// Conn is the client's connection: a *tls.Conn with TLS.
	Conn net.Conn
	// TLS is the TLS session's facts; nil without TLS.
	TLS *tlsconf.Info
	// Err says why the client could not be taken: a failed handshake, a
	// failed accept (the Acceptor's last).
	Err error
}

// Acceptor accepts clients of a listening socket in the background and
// runs each one's TLS handshake (tlsconf.Serve) in a goroutine of its
// own, so that a client's connect does not wait for the step that takes
// it, with at most MaxPending clients in flight: in their handshake or
// not yet taken (Ready). A listener of tcp, and of http and ws over TLS,
// reads it.
type Acceptor struct {
	ln    net.Listener
	cfg   *tls.Config
	ctx   context.Context
	took  func()
	ready chan Accepted
	slots chan struct{}
	wg    sync.WaitGroup
}

// Accept starts accepting clients of ln, with the TLS configuration cfg
// (nil for plain text), until ctx ends and ln is closed (the caller's to
// do, then Wait). took, when not nil, runs as each client is accepted,
// before its handshake.
func Accept(ctx context.Context, ln net.Listener, cfg *tls.Config, took func()) *Acceptor {
	a := &Acceptor{ln: ln, cfg: cfg, ctx: ctx, took: took, ready: make(chan Accepted), slots: make(chan struct{}, MaxPending)}
	a.wg.Add(1)
	go a.loop()
	return a
}

// Ready brings the clients taken, in the order they became ready.
func (a *Acceptor) Ready() <-chan Accepted { return a.ready }

// Wait waits for the Acceptor's goroutines to end, once ctx ended and ln
// closed; clients not taken by then are closed.
func (a *Acceptor) Wait() { a.wg.Wait() }

// loop accepts clients, each once a slot is free, until the listener
// closes.
func (a *Acceptor) loop() {
	defer a.wg.Done()
	for {
		select {
		case a.slots <- struct{}{}:
		case <-a.ctx.Done():
			return
		}
		nc, err := a.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) && a.ctx.Err() == nil {
				a.wg.Add(1)
				go a.hand(Accepted{Err: fmt.Errorf("accept on %s: %w", a.ln.Addr(), err)})
			} else {
				<-a.slots
			}
			return
		}
		if a.took != nil {
			a.took()
		}
		a.wg.Add(1)
		go a.prepare(nc)
	}
}

// prepare runs a client's TLS handshake, then hands the client over.
func (a *Acceptor) prepare(nc net.Conn) {
	c := Accepted{Conn: nc}
	if a.cfg != nil {
		if tc, err := tlsconf.Serve(a.ctx, nc, a.cfg); err != nil {
			c = Accepted{Err: err}
		} else {
			c = Accepted{Conn: tc, TLS: tlsconf.Facts(tc.ConnectionState())}
		}
	}
	a.hand(c)
}

// hand gives c to Ready, or drops it when ctx ends first. It frees a slot.
func (a *Acceptor) hand(c Accepted) {
	defer a.wg.Done()
	defer func() { <-a.slots }()
	select {
	case a.ready <- c:
	case <-a.ctx.Done():
		if c.Conn != nil {
			_ = c.Conn.Close()
		}
	}
}

// Late takes a client that came before the scenario's programs all
// ended: one being handed over, or still in its TLS handshake (a slot
// besides the one the accepting loop holds), waiting for it within ctx.
// false means that none came, nor can.
func (a *Acceptor) Late(ctx context.Context) (Accepted, bool) {
	select {
	case c := <-a.ready:
		return c, true
	default:
	}
	if len(a.slots) <= 1 {
		return Accepted{}, false
	}
	select {
	case c := <-a.ready:
		return c, true
	case <-ctx.Done():
		return Accepted{}, false
	}
}
