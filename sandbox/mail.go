package sandbox

import (
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"sync"

	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/netrunhq/netrun/sandbox/internal/mailstore"
	"github.com/netrunhq/netrun/sandbox/internal/pop3d"
	"github.com/netrunhq/netrun/sandbox/internal/smtpd"
)

// The mail servers share the sandbox's mail store; their certificate is
// signed by the sandbox CA.

// serveSMTP returns the serve function of an SMTP service, the sandbox's
// own server. With authNeedsTLS, AUTH is taken only after STARTTLS, as on
// a mail submission port (587) where Postfix has smtpd_tls_auth_only = yes.
func serveSMTP(authNeedsTLS bool) func(s *Sandbox, l listener) {
	return func(s *Sandbox, l listener) {
		srv := smtpd.NewServer(smtpd.Config{Store: s.mail, TLS: l.tls, AuthNeedsTLS: authNeedsTLS})
		serveConns(s, l, busySMTP, srv.ServeConn)
	}
}

// serveIMAP serves IMAP with go-imap's imapserver over the mail store.
func serveIMAP(s *Sandbox, l listener) {
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return s.mail.NewSession(), nil, nil
		},
		Caps:         mailstore.Caps(),
		Logger:       log.New(io.Discard, "", 0),
		TLSConfig:    l.tls,
		InsecureAuth: true, // the format promises auth on plain connections
	})
	cl := newConnListener(s, l, busyIMAP)
	_ = srv.Serve(cl)
	cl.wait()
	_ = srv.Close()
}

// servePOP3 serves POP3 with the sandbox's own server.
func servePOP3(s *Sandbox, l listener) {
	srv := &pop3d.Server{Store: s.mail, TLS: l.tls}
	serveConns(s, l, busyPOP3, srv.ServeConn)
}

// connListener hands a library's server the connections of a listener the
// way serveConns serves them: at most Sandbox.maxConns at once (one over
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

// newConnListener returns the listener of l's connections; one over the
// limit is told busy.
func newConnListener(s *Sandbox, l listener, busy []byte) *connListener {
	cfg := l.connTLS()
	return &connListener{Listener: l.Listener, s: s, cfg: cfg, gate: newGate(s, cfg, busy)}
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
