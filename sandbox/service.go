package sandbox

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// tlsUse is how a service uses the sandbox's TLS configuration.
type tlsUse int

const (
	// plainText services know no TLS.
	plainText tlsUse = iota
	// offered services offer TLS on plain connections: STARTTLS, STLS,
	// AUTH TLS.
	offered
	// implicit services speak TLS from the first byte.
	implicit
)

// listener is what a stream service serves, as http.Server.Serve takes a
// listener: the sandbox listens, and builds the TLS configuration, for it.
type listener struct {
	net.Listener
	// tls is the sandbox's TLS configuration; nil for a plain-text service.
	tls *tls.Config
	// implicit is set when every connection is in TLS from the first byte;
	// otherwise tls, when set, is offered.
	implicit bool
}

// connTLS returns the configuration that the connections of l are in TLS
// with from the first byte, or nil.
func (l listener) connTLS() *tls.Config {
	if l.implicit {
		return l.tls
	}
	return nil
}

// entry is one built-in server: its name, and how it serves.
type entry struct {
	name string
	tls  tlsUse
	// serve serves the connections of l until it is closed, then waits
	// for them to end.
	serve func(s *Sandbox, l listener)
	// datagram, set instead of serve for a UDP service, answers each
	// datagram with what it returns, if anything.
	datagram func(s *Sandbox, p []byte) []byte
}

// catalog returns the services in their fixed order, which is the order of
// their ports under Options.PortBase: append new services at the end.
func catalog() []entry {
	return []entry{
		{name: "echo-tcp", serve: serveEcho},
		{name: "echo-udp", datagram: echoDatagram},
		{name: "echo-tls", tls: implicit, serve: serveEcho},
		{name: "smtp", tls: offered, serve: serveSMTP(false)},
		{name: "smtps", tls: implicit, serve: serveSMTP(false)},
		{name: "imap", tls: offered, serve: serveIMAP},
		{name: "imaps", tls: implicit, serve: serveIMAP},
		{name: "pop3", tls: offered, serve: servePOP3},
		{name: "pop3s", tls: implicit, serve: servePOP3},
		{name: "ftp", tls: offered, serve: serveFTP},
		{name: "ftps", tls: implicit, serve: serveFTP},
		{name: "http", serve: serveWeb(webAPI)},
		{name: "https", tls: implicit, serve: serveWeb(webAPI)},
		{name: "ws", serve: serveWeb(wsHandler)},
		{name: "wss", tls: implicit, serve: serveWeb(wsHandler)},
		{name: "nntp", tls: offered, serve: serveNNTP},
		{name: "nntps", tls: implicit, serve: serveNNTP},
		{name: "daytime", serve: serveDaytime},
		{name: "submission", tls: offered, serve: serveSMTP(true)},
	}
}

// start listens on addr ("host:port", port 0 for any), serves e there in
// goroutines started with goServe until the sandbox closes, and returns
// the address it listens on.
func (s *Sandbox) start(e entry, addr string) (string, error) {
	if e.datagram != nil {
		return s.startDatagram(e.datagram, addr)
	}
	l := listener{implicit: e.tls == implicit}
	if e.tls != plainText {
		var err error
		if l.tls, err = s.serverTLS(); err != nil {
			return "", err
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen: %w", err)
	}
	l.Listener = ln
	bound := ln.Addr().String()
	if err := s.goServe(ln, func() { e.serve(s, l) }); err != nil {
		return "", err
	}
	return bound, nil
}

// serveConns serves the connections of l with handle, at most s.maxConns
// at once, until l is closed; one over the limit is refused with busy (see
// gate). The connection handle gets, in TLS when l is implicit, is closed
// when handle returns; it has an idle deadline: each Read and Write fails
// once the connection has been idle for Sandbox.idle.
func serveConns(s *Sandbox, l listener, busy []byte, handle func(c net.Conn)) {
	cfg := l.connTLS()
	g := newGate(s, cfg, busy)
	delay := 5 * time.Millisecond
	for {
		raw, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) || s.closing() {
				return
			}
			// Out of file descriptors, say: wait a little and try again.
			select {
			case <-time.After(delay):
			case <-s.done:
				return
			}
			delay = min(2*delay, time.Second)
			continue
		}
		delay = 5 * time.Millisecond
		if !g.admit(raw) {
			continue
		}
		// Close closes the raw connection: that ends a TLS handshake or
		// I/O at once, where tls.Conn.Close could wait to send an alert.
		err = s.goServe(raw, func() {
			defer g.release()
			var c net.Conn = &idleConn{Conn: raw, idle: s.idle}
			if cfg != nil {
				c = tls.Server(c, cfg)
			}
			defer c.Close()
			handle(c)
		})
		if err != nil {
			g.release()
			return
		}
	}
}

// idleConn is a connection whose every Read and Write first moves its read
// or write deadline to idle from now, or to the deadline set on it, if that
// is sooner (tls.Conn.Close bounds its alert that way).
type idleConn struct {
	net.Conn
	idle time.Duration

	mu              sync.Mutex
	readBy, writeBy time.Time // set with Set*Deadline; zero for none
}

// Read reads within the idle time, or the read deadline if sooner.
func (c *idleConn) Read(p []byte) (int, error) {
	if err := c.arm(&c.readBy, c.Conn.SetReadDeadline); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

// Write writes within the idle time, or the write deadline if sooner.
func (c *idleConn) Write(p []byte) (int, error) {
	if err := c.arm(&c.writeBy, c.Conn.SetWriteDeadline); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

// arm sets the deadline of the next Read or Write: idle from now, or the
// deadline set, if sooner. It holds the lock while it sets it, so that a
// Set*Deadline from another goroutine (net/http ending its background
// read with a deadline in the past) is never overwritten by a later one.
func (c *idleConn) arm(set *time.Time, apply func(time.Time) error) error {
	d := time.Now().Add(c.idle)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !set.IsZero() && set.Before(d) {
		d = *set
	}
	return apply(d)
}

// SetDeadline records t for both arm and the connection.
func (c *idleConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.readBy, c.writeBy = t, t
	return c.Conn.SetDeadline(t)
}

// SetReadDeadline records t for arm and the connection.
func (c *idleConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.readBy = t
	return c.Conn.SetReadDeadline(t)
}

// SetWriteDeadline records t for arm and the connection.
func (c *idleConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writeBy = t
	return c.Conn.SetWriteDeadline(t)
}

// startDatagram listens on addr over UDP and answers each datagram with
// what answer returns, if anything, until the sandbox closes.
func (s *Sandbox) startDatagram(answer func(s *Sandbox, p []byte) []byte, addr string) (string, error) {
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return "", fmt.Errorf("listen: %w", err)
	}
	bound := pc.LocalAddr().String()
	if err := s.goServe(pc, func() { serveDatagrams(s, pc, answer) }); err != nil {
		return "", err
	}
	return bound, nil
}

// serveDatagrams answers the datagrams of pc until it is closed.
func serveDatagrams(s *Sandbox, pc net.PacketConn, answer func(s *Sandbox, p []byte) []byte) {
	buf := make([]byte, 64*1024)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) || s.closing() {
				return
			}
			continue // an error about one datagram; the socket is fine
		}
		if reply := answer(s, buf[:n]); reply != nil {
			_, _ = pc.WriteTo(reply, from) // UDP: a lost answer is not an error
		}
	}
}
