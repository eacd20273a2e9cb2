package netconn

import (
	"errors"
	"fmt"
	"net"
	"syscall"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// failure is a check failure that also wraps the error that ended the
// wait (the step's deadline), so that the engine can name it.
type failure struct {
	m     *engine.Mismatch
	cause error
}

func (f *failure) Error() string   { return f.m.Msg }
func (f *failure) Unwrap() []error { return []error{f.m, f.cause} }

// Fail returns a check failure (engine.Mismatch) with the text of format,
// which wraps cause as well: a peer that said nothing in time fails the
// check, and the step's timeout is still named.
func Fail(cause error, format string, args ...any) error {
	return &failure{m: &engine.Mismatch{Msg: fmt.Sprintf(format, args...)}, cause: cause}
}

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
	case wire.IsTimeout(err):
		return fmt.Errorf("timed out connecting to %s: %w", addr, err)
	}
	return fmt.Errorf("connect %s %s: %w", network, addr, err)
}
