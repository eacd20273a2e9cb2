package tlsconf

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
)

// Handshake runs the client handshake of tc as ClientHandshake does, and
// on success notes the session in the transcript of s.
func Handshake(ctx context.Context, s *engine.Session, tc *tls.Conn, peer string) (*Info, error) {
	info, err := ClientHandshake(ctx, tc, peer)
	if err != nil {
		return nil, err
	}
	Note(s, info)
	return info, nil
}

// ClientHandshake runs the client handshake of tc within ctx, which
// bounds it (a deadline or Ctrl-C interrupts it), and returns the
// session's facts. A failure names peer (the server's host:port as the
// step gave it) and, through Classify, why. It needs no session: the web
// plugins' transports run it in goroutines of their own, and note
// NoteText in the step's transcript later.
func ClientHandshake(ctx context.Context, tc *tls.Conn, peer string) (*Info, error) {
	err := tc.HandshakeContext(ctx)
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return nil, fmt.Errorf("tls handshake with %s did not finish: %w", peer, err)
	default:
		return nil, fmt.Errorf("handshake with %s: %w", peer, Classify(err))
	}
	return Facts(tc.ConnectionState()), nil
}

// Note records a TLS session in the transcript (NoteText).
func Note(s *engine.Session, info *Info) { s.Note("%s", NoteText(info)) }

// NoteText is the transcript's note of a TLS session: its version, its
// cipher and the peer's certificate.
func NoteText(info *Info) string {
	return fmt.Sprintf("TLS %s %s; certificate %s issued by %s, %d days left", info.Version, info.Cipher,
		info.Cert.Subject, info.Cert.Issuer, info.Cert.DaysLeft)
}

// ServerTimeout bounds a client's TLS handshake on a listener.
const ServerTimeout = 30 * time.Second

// Serve runs the server handshake of a client that connected to a TLS
// listener, within ServerTimeout and ctx. On failure it closes nc and
// says which client failed and why; a handshake the client broke off,
// as one does that refuses the certificate, says so.
func Serve(ctx context.Context, nc net.Conn, cfg *tls.Config) (*tls.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, ServerTimeout)
	defer cancel()
	tc := tls.Server(nc, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		_ = nc.Close()
		return nil, fmt.Errorf("client %s failed the handshake%s: %w", nc.RemoteAddr(), refusedHint(err), Classify(err))
	}
	return tc, nil
}

// refusedHint explains a handshake that the client broke off, as one does
// that refuses the certificate: with an alert, or a close; Python's ssl
// (OpenSSL) refusing a TLS 1.3 certificate shows here as a bad record MAC.
func refusedHint(err error) string {
	msg := err.Error()
	if strings.Contains(msg, "bad record MAC") || strings.Contains(msg, "remote error") || errors.Is(err, io.EOF) {
		return " (the client broke it off: did it refuse the certificate?)"
	}
	return ""
}
