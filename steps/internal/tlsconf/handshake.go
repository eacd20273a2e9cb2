package tlsconf

import (
	"context"
	"crypto/tls"
	"fmt"

	"github.com/netrunhq/netrun/engine"
)

// Handshake runs the client handshake of tc within ctx, which bounds it
// (a deadline or Ctrl-C interrupts it), and on success notes the session
// in the transcript of s and returns its facts. A failure names peer (the
// server's host:port as the step gave it) and, through Classify, why.
func Handshake(ctx context.Context, s *engine.Session, tc *tls.Conn, peer string) (*Info, error) {
	err := tc.HandshakeContext(ctx)
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return nil, fmt.Errorf("tls handshake with %s did not finish: %w", peer, err)
	default:
		return nil, fmt.Errorf("handshake with %s: %w", peer, Classify(err))
	}
	info := Facts(tc.ConnectionState())
	Note(s, info)
	return info, nil
}

// Note records a TLS session in the transcript: its version, its cipher
// and the peer's certificate.
func Note(s *engine.Session, info *Info) {
	s.Note("TLS %s %s; certificate %s issued by %s, %d days left", info.Version, info.Cipher,
		info.Cert.Subject, info.Cert.Issuer, info.Cert.DaysLeft)
}
