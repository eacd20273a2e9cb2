package imap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/wire"
)

// stepConn is the connection the IMAP client reads and writes. The client
// sets fixed timeouts of its own (30 seconds for a reply, 5 minutes for a
// literal); stepConn ignores them and applies the deadline of the step
// that is running instead, so that every command is bounded by the step's
// timeout and by Ctrl-C, and an idle connection between steps never times
// out.
//
// It sits above TLS, so it also records the plain-text dialogue for the
// step's transcript.
type stepConn struct {
	net.Conn          // what the client reads and writes: TCP, or TLS over it
	raw      net.Conn // the TCP socket, whose deadline is set

	mu  sync.Mutex
	ctx context.Context // of the running step; nil between steps
	rec recorder
}

// SetDeadline ignores the client's own deadlines.
func (c *stepConn) SetDeadline(time.Time) error { return nil }

// SetReadDeadline ignores the client's own deadlines.
func (c *stepConn) SetReadDeadline(time.Time) error { return nil }

// SetWriteDeadline ignores the client's own deadlines.
func (c *stepConn) SetWriteDeadline(time.Time) error { return nil }

// begin binds the connection to a step: ctx's deadline, and its
// cancellation, apply to every read and write until end is called.
func (c *stepConn) begin(ctx context.Context) (end func()) {
	c.mu.Lock()
	c.ctx = ctx
	c.mu.Unlock()
	stop := engine.Deadline(ctx, c.raw)
	return func() {
		stop()
		c.mu.Lock()
		c.ctx = nil
		c.mu.Unlock()
		_ = c.raw.SetDeadline(time.Time{})
	}
}

// expired reports whether the running step's time is up (or it was
// interrupted). Between steps it is false.
func (c *stepConn) expired() bool {
	c.mu.Lock()
	ctx := c.ctx
	c.mu.Unlock()
	if ctx == nil {
		return false
	}
	if ctx.Err() != nil {
		return true
	}
	d, ok := ctx.Deadline()
	return ok && !time.Now().Before(d)
}

// Read reads from the server. A timeout is passed on only when the running
// step's time is up: a deadline left over from a step that has finished is
// waited out, so that the client's reader, which always waits for the next
// response, does not break an idle connection.
func (c *stepConn) Read(p []byte) (int, error) {
	for {
		n, err := c.Conn.Read(p)
		c.rec.add('<', p[:n])
		if err == nil || n > 0 || !isTimeout(err) || c.expired() {
			return n, err
		}
	}
}

// Write writes to the server. What is written is recorded first, so
// that the transcript shows it before the reply, which the client's reader
// may receive before Write returns.
func (c *stepConn) Write(p []byte) (int, error) {
	c.rec.add('>', p)
	return c.Conn.Write(p)
}

// expiredErr returns ctx's error once its deadline has passed: the
// connection's deadline, set from it, can fire a moment before ctx's own
// timer does.
func expiredErr(ctx context.Context) error {
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		<-ctx.Done()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return context.DeadlineExceeded
}

// isTimeout reports whether err is a timeout.
func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// conn is an open IMAP connection.
type conn struct {
	client *imapclient.Client
	sc     *stepConn
	remote string
	// broken says why the connection can no longer be used, once a step
	// timed out under a command (the reply it waited for is lost) or the
	// server closed it.
	broken string
}

// begin binds the connection to the step and returns the function that
// ends the binding and writes what was said to the step's transcript. It
// fails when the connection is closed.
func (c *conn) begin(ctx context.Context, s *engine.Session) (end func(), err error) {
	why := c.broken
	select {
	case <-c.client.Closed():
		if why == "" {
			why = "the server closed it"
		}
	default:
	}
	if why != "" {
		return nil, fmt.Errorf("the IMAP connection to %s is closed: %s", c.remote, why)
	}
	stop := c.sc.begin(ctx)
	return func() {
		stop()
		c.sc.rec.flush(s)
	}, nil
}

// Close logs out politely, bounded by ctx, and closes the connection.
func (c *conn) Close(ctx context.Context) error {
	select {
	case <-c.client.Closed():
		return nil
	default:
	}
	if c.broken != "" {
		_ = c.client.Close()
		return nil
	}
	stop := c.sc.begin(ctx)
	defer stop()
	err := c.client.Logout().Wait()
	_ = c.client.Close()
	if err != nil && c.sc.expired() {
		return fmt.Errorf("logout from %s: no reply in time; the connection is closed", c.remote)
	}
	return nil
}

// fail explains the error of an IMAP command: the server's NO or BAD
// answer, the step's time running out, or the connection breaking.
func (c *conn) fail(ctx context.Context, what string, err error) error {
	if c.sc.expired() {
		c.broken = "a step timed out waiting for the server, so the dialogue is out of step"
		cause := expiredErr(ctx)
		if errors.Is(cause, context.Canceled) {
			c.broken = "a step was interrupted while it waited for the server"
			return wire.Explain(cause, "%s: interrupted", what)
		}
		return wire.Explain(cause, "%s: no reply from the server in time", what)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
		if c.broken == "" {
			c.broken = "the server closed it"
		}
		return fmt.Errorf("%s: %w", what, wire.ReadError(io.EOF))
	}
	return fmt.Errorf("%s: %w", what, serverError(err))
}
