package sandbox

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"

	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/netrunhq/netrun/sandbox/internal/mailstore"
	"github.com/netrunhq/netrun/sandbox/internal/pop3d"
	"github.com/netrunhq/netrun/sandbox/internal/smtpd"
)

// mailService is a mail server over the sandbox's mail store: its TLS
// certificate is signed by the sandbox CA, and used from the first byte when
// implicit is set, or offered with STARTTLS (STLS) otherwise.
type mailService struct {
	implicit bool
	// serve serves the connections of ln until it is closed, then waits
	// for them to end. cfg is the TLS configuration, for STARTTLS or for
	// the connections of ln when implicit.
	serve func(s *Sandbox, ln net.Listener, cfg *tls.Config, implicit bool)
}

func (m mailService) start(s *Sandbox, addr string) (string, error) {
	cfg, err := s.serverTLS()
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen: %w", err)
	}
	bound := ln.Addr().String()
	if err := s.goServe(ln, func() { m.serve(s, ln, cfg, m.implicit) }); err != nil {
		return "", err
	}
	return bound, nil
}

// serveSMTP serves SMTP with the sandbox's own server.
func serveSMTP(s *Sandbox, ln net.Listener, cfg *tls.Config, implicit bool) {
	srv := smtpd.NewServer(smtpd.Config{Store: s.mail, TLS: cfg})
	st := stream{handle: func(_ *Sandbox, c net.Conn) { srv.ServeConn(c) }, busy: busySMTP}
	st.accept(s, ln, implicitTLS(cfg, implicit))
}

// serveIMAP serves IMAP with go-imap's imapserver over the mail store.
func serveIMAP(s *Sandbox, ln net.Listener, cfg *tls.Config, implicit bool) {
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return s.mail.NewSession(), nil, nil
		},
		Caps:         mailstore.Caps(),
		Logger:       log.New(io.Discard, "", 0),
		TLSConfig:    cfg,
		InsecureAuth: true, // the format promises auth on plain connections
	})
	l := newConnListener(s, ln, implicitTLS(cfg, implicit), busyIMAP)
	_ = srv.Serve(l)
	l.wait()
	_ = srv.Close()
}

// servePOP3 serves POP3 with the sandbox's own server.
func servePOP3(s *Sandbox, ln net.Listener, cfg *tls.Config, implicit bool) {
	srv := &pop3d.Server{Store: s.mail, TLS: cfg}
	st := stream{handle: func(_ *Sandbox, c net.Conn) { srv.ServeConn(c) }, busy: busyPOP3}
	st.accept(s, ln, implicitTLS(cfg, implicit))
}

// implicitTLS returns cfg when implicit is set, nil otherwise.
func implicitTLS(cfg *tls.Config, implicit bool) *tls.Config {
	if implicit {
		return cfg
	}
	return nil
}

// connListener hands a library's server the connections of a listener the
// way stream.accept serves them: at most Sandbox.maxConns at once (one over
// the limit is refused, see gate), each with idle deadlines, in TLS when
// cfg is set, and closed by Sandbox.Close. The library must close each
// connection it accepts when done with it.
type connListener struct {
	net.Listener
	s     *Sandbox
	cfg   *tls.Config
	gate  *gate
	conns sync.WaitGroup // accepted and not yet closed
}

func newConnListener(s *Sandbox, ln net.Listener, cfg *tls.Config, busy []byte) *connListener {
	return &connListener{Listener: ln, s: s, cfg: cfg, gate: newGate(s, cfg, busy)}
}

// Accept waits for a connection that may be served. Once the sandbox
// closes it returns net.ErrClosed.
func (l *connListener) Accept() (net.Conn, error) {
	for {
		raw, err := l.Listener.Accept()
		if err != nil {
			if l.s.closing() {
				return nil, errors.Join(net.ErrClosed, err)
			}
			return nil, err // the library retries temporary errors
		}
		if !l.gate.admit(raw) {
			continue
		}
		// Close closes the raw connection, which ends a TLS handshake or
		// any I/O at once.
		if !l.s.track(raw) {
			_ = raw.Close()
			l.gate.release()
			return nil, net.ErrClosed
		}
		l.conns.Add(1)
		c := &ownedConn{Conn: &idleConn{Conn: raw, idle: l.s.idle}}
		c.release = func() {
			l.s.untrack(raw)
			l.gate.release()
			l.conns.Done()
		}
		if l.cfg != nil {
			return tls.Server(c, l.cfg), nil
		}
		return c, nil
	}
}

// wait waits until every accepted connection is closed.
func (l *connListener) wait() { l.conns.Wait() }

// ownedConn is a connection that calls release once, when first closed.
type ownedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *ownedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
