package sandbox

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// service is one built-in server.
type service interface {
	// start listens on addr ("host:port", port 0 for any), serves in
	// goroutines started with Sandbox.goServe until the sandbox closes, and
	// returns the address it listens on.
	start(s *Sandbox, addr string) (string, error)
}

// entry names a service.
type entry struct {
	name string
	svc  service
}

// catalog returns the services in their fixed order, which is the order of
// their ports under Options.PortBase: append new services at the end.
func catalog() []entry {
	return []entry{
		{"echo-tcp", stream{handle: echo}},
		{"echo-udp", datagram{handle: echoDatagram}},
		{"echo-tls", stream{tls: true, handle: echo}},
		{"smtp", mailService{serve: serveSMTP}},
		{"smtps", mailService{implicit: true, serve: serveSMTP}},
		{"imap", mailService{serve: serveIMAP}},
		{"imaps", mailService{implicit: true, serve: serveIMAP}},
		{"pop3", mailService{serve: servePOP3}},
		{"pop3s", mailService{implicit: true, serve: servePOP3}},
		{"ftp", ftpService{}},
		{"ftps", ftpService{implicit: true}},
		{"http", webService{handler: webAPI}},
		{"https", webService{tls: true, handler: webAPI}},
		{"ws", webService{handler: wsHandler}},
		{"wss", webService{tls: true, handler: wsHandler}},
		{"nntp", newsService(false)},
		{"nntps", newsService(true)},
	}
}

// stream is a TCP service, plain or TLS, that runs handle for each
// connection. The connection handle gets is closed when handle returns; it
// has an idle deadline: each Read and Write fails once the connection has
// been idle for Sandbox.idle.
type stream struct {
	tls    bool
	handle func(s *Sandbox, c net.Conn)
	// busy is what a connection over the limit is told; nil closes it.
	busy []byte
}

func (st stream) start(s *Sandbox, addr string) (string, error) {
	var cfg *tls.Config
	if st.tls {
		var err error
		if cfg, err = s.serverTLS(); err != nil {
			return "", err
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen: %w", err)
	}
	bound := ln.Addr().String()
	if err := s.goServe(ln, func() { st.accept(s, ln, cfg) }); err != nil {
		return "", err
	}
	return bound, nil
}

// accept serves the connections of ln, at most s.maxConns at once, until ln
// is closed; one over the limit is refused with st.busy (see gate).
func (st stream) accept(s *Sandbox, ln net.Listener, cfg *tls.Config) {
	g := newGate(s, cfg, st.busy)
	delay := 5 * time.Millisecond
	for {
		raw, err := ln.Accept()
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
			st.handle(s, c)
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

func (c *idleConn) Read(p []byte) (int, error) {
	if err := c.arm(&c.readBy, c.Conn.SetReadDeadline); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

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

func (c *idleConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.readBy, c.writeBy = t, t
	return c.Conn.SetDeadline(t)
}

func (c *idleConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.readBy = t
	return c.Conn.SetReadDeadline(t)
}

func (c *idleConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writeBy = t
	return c.Conn.SetWriteDeadline(t)
}

// datagram is a UDP service that calls handle for each datagram and sends
// back what it returns, if anything, to the sender.
type datagram struct {
	handle func(s *Sandbox, p []byte) []byte
}

func (d datagram) start(s *Sandbox, addr string) (string, error) {
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return "", fmt.Errorf("listen: %w", err)
	}
	bound := pc.LocalAddr().String()
	if err := s.goServe(pc, func() { d.serve(s, pc) }); err != nil {
		return "", err
	}
	return bound, nil
}

// serve answers the datagrams of pc until it is closed.
func (d datagram) serve(s *Sandbox, pc net.PacketConn) {
	buf := make([]byte, 64*1024)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) || s.closing() {
				return
			}
			continue // an error about one datagram; the socket is fine
		}
		if reply := d.handle(s, buf[:n]); reply != nil {
			_, _ = pc.WriteTo(reply, from) // UDP: a lost answer is not an error
		}
	}
}
