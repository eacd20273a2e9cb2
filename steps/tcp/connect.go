package tcp

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/tlsconf"
	"github.com/netrunhq/netrun/steps/wire"
)

// openAction is connect or listen.
type openAction struct {
	url    engine.Template
	opts   options
	listen bool
	tls    bool
}

// Do connects or listens.
func (a *openAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	addr, err := wire.EvalURL(s, &a.url, a.listen)
	if err != nil {
		return nil, err
	}
	lineEnding, maxBuffer, err := a.opts.Resolve(s)
	if err != nil {
		return nil, err
	}
	if a.listen {
		return a.doListen(ctx, s, addr, lineEnding, maxBuffer)
	}
	var cfg *tls.Config
	if a.tls {
		if cfg, err = a.opts.TLS.Client(s, addr.Host); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	var dialer net.Dialer
	nc, err := dialer.DialContext(ctx, "tcp", addr.String())
	if err != nil {
		return nil, wire.DialError("tcp", addr.String(), err)
	}
	res := wire.ConnectResult{Remote: nc.RemoteAddr().String(), Local: nc.LocalAddr().String()}
	s.Note("connected to %s from %s", res.Remote, res.Local)
	if a.tls {
		tc := tls.Client(nc, cfg)
		if err := handshake(ctx, tc, addr.String()); err != nil {
			_ = nc.Close()
			return nil, err
		}
		res.TLS = tlsconf.Facts(tc.ConnectionState())
		noteTLS(s, res.TLS)
		nc = tc
	}
	res.Duration = time.Since(start)
	s.Open(ctx, newConn(nc, a.tls, lineEnding, maxBuffer))
	return res, nil
}

// handshake runs the TLS handshake within ctx and explains its failure.
func handshake(ctx context.Context, tc *tls.Conn, peer string) error {
	err := tc.HandshakeContext(ctx)
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("tls handshake with %s did not finish: %w", peer, err)
	}
	return fmt.Errorf("handshake with %s: %w", peer, tlsconf.Classify(err))
}

// noteTLS records the TLS session in the transcript.
func noteTLS(s *engine.Session, info *tlsconf.Info) {
	s.Note("TLS %s %s; certificate %s issued by %s, %d days left", info.Version, info.Cipher,
		info.Cert.Subject, info.Cert.Issuer, info.Cert.DaysLeft)
}
