package imap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// stepConn is the connection the IMAP client reads and writes. The client
// sets fixed timeouts of its own (30 seconds for a reply, 5 minutes for a
// literal); stepConn ignores them and applies the deadline of the step
// that is running instead, so that every command is bounded by the step's
// timeout and by Ctrl-C, and an idle connection between steps never times
// out.
//
// The client's reader goroutine always waits for the next response. Between
// steps stepConn does not read at all: what the server sends then waits in
// the socket for the next step (whose caps and deadline apply to it), so
// that nothing the server sends while no step runs (a sleep) costs memory.
// What is read goes through a framer, which cuts the connection when a
// line, a literal or a response is over its cap (MaxLine,
// DefaultMaxLiteral): the library has no cap of its own.
//
// It sits above TLS, so it also records the plain-text dialogue for the
// step's transcript.
type stepConn struct {
	net.Conn          // what the client reads and writes: TCP, or TLS over it
	raw      net.Conn // the TCP socket, whose deadline is set

	mu      sync.Mutex
	ctx     context.Context // of the running step; nil between steps
	began   time.Time       // when the running step began
	stepped *sync.Cond      // signalled when a step begins, or on close
	closed  bool
	// cut is why stepConn closed the connection (a cap), readErr the
	// error that ended reading (the server closing it, a reset) and
	// writeErr that of a write, or nil.
	cut, readErr, writeErr error
	// midResponse, got and excerpt say whether a response is under way,
	// how much of it has come and how it starts, as of the last read.
	midResponse bool
	got         int64
	excerpt     []byte
	// maxLiteral is the cap on a literal for the running step.
	maxLiteral int64

	frame framer // used by the reader alone
	rec   recorder

	// owned is set while send: { command } owns the connection: the
	// client's reader waits, parked is closed once it does, and pending
	// holds what the command read past its response, for the client.
	owned   bool
	parked  chan struct{}
	pending []byte
}

// newStepConn wraps conn (TCP, or TLS over raw).
func newStepConn(conn, raw net.Conn) *stepConn {
	c := &stepConn{Conn: conn, raw: raw, maxLiteral: DefaultMaxLiteral}
	c.stepped = sync.NewCond(&c.mu)
	return c
}

// SetDeadline ignores the client's own deadlines.
func (c *stepConn) SetDeadline(time.Time) error { return nil }

// SetReadDeadline ignores the client's own deadlines.
func (c *stepConn) SetReadDeadline(time.Time) error { return nil }

// SetWriteDeadline ignores the client's own deadlines.
func (c *stepConn) SetWriteDeadline(time.Time) error { return nil }

// begin binds the connection to a step: ctx's deadline, and its
// cancellation, apply to every read and write until end is called.
// Literals up to DefaultMaxLiteral are taken unless setMaxLiteral says
// more.
func (c *stepConn) begin(ctx context.Context) (end func()) {
	c.mu.Lock()
	c.ctx, c.began, c.maxLiteral = ctx, time.Now(), DefaultMaxLiteral
	c.stepped.Broadcast()
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

// setMaxLiteral raises the cap on a literal to n for the running step
// (fetch's max_size); it never lowers it below DefaultMaxLiteral.
func (c *stepConn) setMaxLiteral(n int) {
	c.mu.Lock()
	c.maxLiteral = max(int64(n), DefaultMaxLiteral)
	c.mu.Unlock()
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

// waitStep blocks while no step runs; it fails once the connection is
// closed. It returns the step's cap on a literal.
func (c *stepConn) waitStep() (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for (c.ctx == nil || (c.owned && !c.frame.midResponse())) && !c.closed {
		if c.owned && c.parked != nil {
			close(c.parked)
			c.parked = nil
		}
		c.stepped.Wait()
	}
	if c.closed {
		return 0, net.ErrClosed
	}
	return c.maxLiteral, nil
}

// Read reads from the server while a step runs, through the framer. A
// timeout is passed on only when the running step's time is up: a deadline
// left over from a step that has finished is waited out, so that the
// client's reader does not break an idle connection.
func (c *stepConn) Read(p []byte) (int, error) {
	for {
		lim, err := c.waitStep()
		if err != nil {
			return 0, err
		}
		c.frame.maxLiteral = lim
		n, err := c.takePending(p)
		if n == 0 {
			n, err = c.Conn.Read(p)
			c.rec.add('<', p[:n])
		}
		ferr := c.frame.feed(p[:n])
		c.mu.Lock()
		c.midResponse, c.got = c.frame.midResponse(), c.frame.received()
		c.excerpt = append(c.excerpt[:0], c.frame.excerpt...)
		c.mu.Unlock()
		if ferr != nil {
			c.ended(ferr, nil)
			_ = c.Conn.Close()
			return 0, ferr
		}
		if err == nil || n > 0 || !wire.IsTimeout(err) || c.expired() {
			if err != nil && !wire.IsTimeout(err) {
				c.ended(nil, err)
			}
			return n, err
		}
		c.finishResponse()
	}
}

// ended records why reading ended: a cap (cut), or a read error.
func (c *stepConn) ended(cut, readErr error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cut != nil || c.readErr != nil {
		return
	}
	c.cut, c.readErr = cut, readErr
}

// lost reports whether reading has ended: a cap passed, or a read error.
func (c *stepConn) lost() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cut != nil || c.readErr != nil
}

// Close closes the connection and wakes a reader waiting for a step.
func (c *stepConn) Close() error {
	c.mu.Lock()
	c.closed = true
	c.stepped.Broadcast()
	c.mu.Unlock()
	return c.Conn.Close()
}

// Write writes to the server. What is written is recorded first, so
// that the transcript shows it before the reply, which the client's reader
// may receive before Write returns.
func (c *stepConn) Write(p []byte) (int, error) {
	c.rec.add('>', p)
	n, err := c.Conn.Write(p)
	if err != nil && !wire.IsTimeout(err) {
		c.mu.Lock()
		if c.writeErr == nil {
			c.writeErr = err
		}
		c.mu.Unlock()
	}
	return n, err
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

// budget is how long a step that began at start could wait: the time to
// ctx's deadline, which is the step's timeout, rounded; or how long it
// waited when ctx has none.
func budget(ctx context.Context, start time.Time) time.Duration {
	if d, ok := ctx.Deadline(); ok {
		return d.Sub(start).Round(10 * time.Millisecond)
	}
	return wire.Waited(start)
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
	// commands counts the commands of send: { command }, for their tags.
	commands int
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

// fail explains the error of an IMAP command in netrun's words, from what
// happened on the connection rather than from the library's message: the
// server's NO or BAD answer; a cap passed; no reply in the step's time;
// the server closing the connection, before a response or in the middle
// of one; a response that is not IMAP. Whatever the server did or did not
// send is a check failure (engine.Mismatch); a reset, Ctrl-C and the
// server's NO or BAD of a command netrun needs are errors.
func (c *conn) fail(ctx context.Context, what string, err error) error {
	var refused *imap.Error
	if errors.As(err, &refused) {
		return fmt.Errorf("%s: %w", what, serverError(err))
	}
	sc := c.sc
	sc.mu.Lock()
	cut, readErr, writeErr, mid, got, began := sc.cut, sc.readErr, sc.writeErr, sc.midResponse, sc.got, sc.began
	excerpt := bytes.Clone(sc.excerpt)
	sc.mu.Unlock()
	if cut != nil {
		c.broken = "it was cut after the server sent more than a cap allows"
		return fmt.Errorf("%s: %w", what, cut)
	}
	if sc.expired() {
		c.broken = "a step timed out waiting for the server, so the dialogue is out of step"
		cause := expiredErr(ctx)
		if errors.Is(cause, context.Canceled) {
			c.broken = "a step was interrupted while it waited for the server"
			return netconn.Explain(cause, "%s: interrupted", what)
		}
		waited := budget(ctx, began)
		if mid {
			return &engine.Mismatch{Received: excerpt, Msg: fmt.Sprintf(
				"%s: the server sent %s of a response, then nothing more within %s (lines end with CRLF)",
				what, bytesize.Format(int(got)), waited)}
		}
		return &engine.Mismatch{Msg: fmt.Sprintf("%s: no reply from the server within %s", what, waited)}
	}
	if readErr == nil && writeErr != nil {
		// The command could not be sent: the server had closed the
		// connection (or reset it).
		c.broken = "the server closed it"
		return &engine.Mismatch{Msg: fmt.Sprintf("%s: the server closed the connection before the command could be sent", what)}
	}
	if readErr != nil && !errors.Is(readErr, io.EOF) && !errors.Is(readErr, net.ErrClosed) {
		c.broken = "reading from the server failed"
		return fmt.Errorf("%s: %w", what, wire.ReadError(tlsconf.ClassifyAlert(readErr)))
	}
	if readErr != nil || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
		c.broken = "the server closed it"
		if mid {
			return &engine.Mismatch{Msg: fmt.Sprintf("%s: the server closed the connection in the middle of a response (after %s of it)",
				what, bytesize.Format(int(got)))}
		}
		return &engine.Mismatch{Msg: fmt.Sprintf("%s: the server closed the connection without answering", what)}
	}
	select {
	case <-c.client.Closed():
		// The reader stopped on something it could not read.
		c.broken = "the server sent something that is not IMAP"
		return &engine.Mismatch{Received: excerpt, Msg: fmt.Sprintf(
			"%s: the server sent a response that is not valid IMAP (%s)", what, libraryDetail(err))}
	default:
	}
	return fmt.Errorf("%s: %s", what, libraryDetail(err))
}

// libraryDetail keeps the last part of a message of the IMAP library
// ("in response-data: in resp-text-code: imapwire: expected SP, got \"x\""
// gives "expected SP, got \"x\""), so that its grammar rules and package
// names stay out of netrun's messages.
func libraryDetail(err error) string {
	msg := err.Error()
	for _, prefix := range []string{"got error before greeting: ", "imapclient: "} {
		msg = strings.TrimPrefix(msg, prefix)
	}
	for {
		rest, ok := strings.CutPrefix(msg, "in ")
		if !ok {
			break
		}
		_, after, found := strings.Cut(rest, ": ")
		if !found {
			break
		}
		msg = after
	}
	return strings.ReplaceAll(msg, "imapwire: ", "")
}
