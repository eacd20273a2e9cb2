package wire

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
)

// PeerClosedError is returned when the peer closed or reset the
// connection under a read or write.
type PeerClosedError struct {
	// Op is "read" or "write".
	Op  string
	Err error
}

// Error says what happened in words.
func (e *PeerClosedError) Error() string {
	if errors.Is(e.Err, syscall.ECONNRESET) {
		return e.Op + ": the peer reset the connection"
	}
	return e.Op + ": the peer closed the connection"
}

// Unwrap returns the original error.
func (e *PeerClosedError) Unwrap() error { return e.Err }

// explained is an error in words that still wraps the original, whose own
// text (often "dial tcp ...: connect: connection refused") it does not
// repeat.
type explained struct {
	msg string
	err error
}

func (e *explained) Error() string { return e.msg }
func (e *explained) Unwrap() error { return e.err }

// Explain returns an error whose text is msg and which wraps err, for
// messages that say in words what err says in codes.
func Explain(err error, format string, args ...any) error {
	return &explained{msg: fmt.Sprintf(format, args...), err: err}
}

// DialError explains a failed connect to addr (host:port) over network in
// words: an unknown host, a refused port, an unreachable network or a
// timeout. The original error stays wrapped.
func DialError(network, addr string, err error) error {
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns) && dns.IsNotFound:
		return Explain(err, "cannot resolve host %q: no such host", dns.Name)
	case errors.As(err, &dns) && dns.IsTimeout:
		return Explain(err, "cannot resolve host %q: the DNS lookup timed out", dns.Name)
	case errors.As(err, &dns):
		return Explain(err, "cannot resolve host %q: %s", dns.Name, dns.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return Explain(err, "connection refused by %s: nothing is listening on that %s port", addr, network)
	case errors.Is(err, syscall.EHOSTUNREACH):
		return Explain(err, "cannot connect to %s: host unreachable", addr)
	case errors.Is(err, syscall.ENETUNREACH):
		return Explain(err, "cannot connect to %s: network unreachable", addr)
	case IsTimeout(err):
		return fmt.Errorf("timed out connecting to %s: %w", addr, err)
	}
	return fmt.Errorf("connect %s %s: %w", network, addr, err)
}

// ReadError explains a failed read.
func ReadError(err error) error {
	if closedByPeer(err) {
		return &PeerClosedError{Op: "read", Err: err}
	}
	return fmt.Errorf("read: %w", err)
}

// WriteError explains a failed write.
func WriteError(err error) error {
	if closedByPeer(err) {
		return &PeerClosedError{Op: "write", Err: err}
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("write timed out: the peer does not read: %w", err)
	}
	return fmt.Errorf("write: %w", err)
}

func closedByPeer(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}
