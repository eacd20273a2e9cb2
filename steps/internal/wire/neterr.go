package wire

import (
	"errors"
	"fmt"
	"io"
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
