// Package lineproto is a connection for line protocols (SMTP, POP3, FTP,
// NNTP): lines of bounded length, a deadline from the step's context on
// every read and write, the step's transcript, dot-terminated blocks, and
// 3-digit replies such as SMTP's "250-..." / "250 ...".
//
// Lines end with CRLF; a bare LF is accepted when reading. Whatever a peer
// sends that does not fit (no line ending before the deadline or the close,
// a line that is not a reply) is a check failure, engine.Mismatch, that
// shows the raw bytes received, so that a wrong line ending is visible.
//
// Memory is bounded: a line is at most maxLine bytes (64 KiB by default), a
// reply at most MaxReplyLines lines and MaxReplyBytes bytes, a block at most
// the cap its caller gives. A peer that sends more fails the step, and the
// connection is then unusable (Err says why), because the rest of what it
// sent was not read.
//
// Every method that takes an *engine.Session records what it sends and
// receives there; s may be nil, for no transcript. Secrets are redacted by
// the engine from what is recorded: register a value derived from a secret
// (an AUTH blob) with s.Secret before writing it.
package lineproto

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// DefaultMaxLine is the longest line read when New is given no cap.
const DefaultMaxLine = 64 << 10

// bufSize is the size of the read buffer.
const bufSize = 4 << 10

// Conn is a line-protocol connection: a net.Conn with a bounded line
// reader. It is not safe for concurrent use.
type Conn struct {
	nc  net.Conn
	rd  *bufio.Reader
	max int
	// pending holds the start of a line received before a timeout, kept for
	// the next read; recorded is how much of it is in a transcript.
	pending  []byte
	recorded int
	// err is set when the connection can no longer be used.
	err error
}

// New wraps nc. maxLine is the longest line accepted, line ending
// included; DefaultMaxLine when maxLine <= 0.
func New(nc net.Conn, maxLine int) *Conn {
	if maxLine <= 0 {
		maxLine = DefaultMaxLine
	}
	return &Conn{nc: nc, rd: bufio.NewReaderSize(nc, bufSize), max: maxLine}
}

// NetConn returns the connection underneath, such as for a TLS handshake
// after STARTTLS, or to close it.
func (c *Conn) NetConn() net.Conn { return c.nc }

// buffered returns how many bytes were received but not yet read as lines.
func (c *Conn) buffered() int { return c.rd.Buffered() + len(c.pending) }

// Err returns why the connection can no longer be used (the peer closed
// it, or sent more than a cap allows), or nil.
func (c *Conn) Err() error { return c.err }

// Upgrade replaces the connection underneath with nc, the TLS connection
// after STARTTLS (or STLS, AUTH TLS), and drops what was buffered. Data
// received after the server's reply to STARTTLS and before the handshake
// was sent in plain text and could have been injected by an attacker, to be
// read as if it came over TLS: when there was any, Upgrade returns an error
// that shows it, and the connection is unusable from then on, whether or
// not the caller looks at the error.
func (c *Conn) Upgrade(nc net.Conn) error {
	var stale []byte
	if n := c.rd.Buffered(); n > 0 {
		stale, _ = c.rd.Peek(n)
	}
	stale = append(append([]byte(nil), c.pending...), stale...)
	c.nc, c.rd = nc, bufio.NewReaderSize(nc, bufSize)
	c.pending, c.recorded = nil, 0
	if len(stale) > 0 {
		c.err = &engine.Mismatch{Received: stale, Msg: fmt.Sprintf(
			"the server sent %s in plain text after its reply to the TLS upgrade, before the handshake (possible command injection); they were dropped and the connection is not used",
			bytesize.Format(len(stale)))}
		return c.err
	}
	return nil
}

// WriteLine sends line and CRLF. The line must not contain CR or LF, so
// that a value cannot smuggle in a second command.
func (c *Conn) WriteLine(ctx context.Context, s *engine.Session, line string) error {
	if err := checkLine(line); err != nil {
		return err
	}
	return c.write(ctx, s, []byte(line+"\r\n"))
}

// checkLine fails when line holds CR or LF.
func checkLine(line string) error {
	if i := strings.IndexAny(line, "\r\n"); i >= 0 {
		// Not echoed: a password read with file() often ends in a newline,
		// and a cut echo would show a part the redactor cannot match.
		verb, _, _ := strings.Cut(line, " ")
		return fmt.Errorf("a line to send must not contain CR or LF: the %s line has one at byte %d", wire.Short(verb), i)
	}
	return nil
}

// writeData sends data as it is, such as a message body dot-stuffed by
// hand. The transcript shows its first lines and its size.
func (c *Conn) writeData(ctx context.Context, s *engine.Session, data []byte) error {
	return c.write(ctx, s, data)
}

// write sends b within ctx and records it: its first lines and its size.
func (c *Conn) write(ctx context.Context, s *engine.Session, b []byte) error {
	return c.send(ctx, b, func(sent []byte) { recordLines(s, sent, true) })
}

// writeLines sends b, command lines, within ctx and records every line
// (the engine caps a step's transcript).
func (c *Conn) writeLines(ctx context.Context, s *engine.Session, b []byte) error {
	return c.send(ctx, b, func(sent []byte) {
		if s != nil && len(sent) > 0 {
			s.Sent(sent)
		}
	})
}

// send sends b within ctx and gives record what was sent.
func (c *Conn) send(ctx context.Context, b []byte, record func([]byte)) error {
	if c.err != nil {
		return c.err
	}
	stop := engine.Deadline(ctx, c.nc)
	defer stop()
	n, err := c.nc.Write(b)
	record(b[:n])
	if err == nil {
		return nil
	}
	if interrupted(ctx) {
		return fmt.Errorf("write interrupted: %w", context.Cause(ctx))
	}
	err = wire.WriteError(tlsconf.ClassifyAlert(err))
	var closed *wire.PeerClosedError
	if errors.As(err, &closed) || n > 0 {
		// The peer has part of what was written; nothing later can be
		// understood in step with it.
		c.err = err
	}
	return err
}

// ReadLine reads one line and returns it without its line ending (CRLF, or
// a bare LF).
func (c *Conn) ReadLine(ctx context.Context, s *engine.Session) (string, error) {
	stop := engine.Deadline(ctx, c.nc)
	defer stop()
	line, _, err := c.readLine(ctx, s, awaited{what: "a line"}, time.Now())
	return line, err
}

// readLine reads one line under a deadline already set. It returns the line
// without its ending and the raw bytes received, ending included. what
// names what is awaited, for messages; start is when waiting began.
func (c *Conn) readLine(ctx context.Context, s *engine.Session, what awaited, start time.Time) (string, []byte, error) {
	if c.err != nil {
		return "", nil, c.err
	}
	line := c.pending
	c.pending = nil
	for {
		chunk, err := c.rd.ReadSlice('\n')
		if len(line)+len(chunk) > c.max {
			got := append(line, chunk[:min(len(chunk), 512)]...)
			c.err = &engine.Mismatch{Received: got, Msg: fmt.Sprintf(
				"received a line longer than %s while waiting for %s; the line cap bounds memory, and the connection is not used after it",
				bytesize.Format(c.max), what)}
			c.record(s, got)
			return "", nil, c.err
		}
		line = append(line, chunk...)
		if err == nil {
			c.record(s, line)
			c.recorded = 0
			text := strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r")
			return text, line, nil
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return "", nil, c.readFailed(ctx, s, line, err, what, start)
	}
}

// awaited names what a read waits for, for messages: "a line", "a
// reply", or, when line > 1, line number line of a reply with code. It is
// formatted only for an error.
type awaited struct {
	what       string
	line, code int
}

func (a awaited) String() string {
	if a.line > 1 {
		return fmt.Sprintf("line %d of a %03d reply", a.line, a.code)
	}
	return a.what
}

// readFailed explains a read that ended before a line did; partial is what
// was received of the line.
func (c *Conn) readFailed(ctx context.Context, s *engine.Session, partial []byte, err error, what awaited, start time.Time) error {
	c.record(s, partial)
	got := "nothing received"
	if len(partial) > 0 {
		got = fmt.Sprintf("received %s without a line ending: lines end with CRLF", bytesize.Format(len(partial)))
	}
	switch {
	case errors.Is(err, io.EOF):
		c.err = &engine.Mismatch{Received: partial, Msg: fmt.Sprintf(
			"the peer closed the connection while we waited for %s (%s)", what, got)}
		return c.err
	case wire.IsTimeout(err):
		// Keep what came, for a later read (a retry, or a slow peer).
		c.pending = partial
		if interrupted(ctx) {
			return fmt.Errorf("read interrupted: %w", context.Cause(ctx))
		}
		return &engine.Mismatch{Received: partial, Msg: fmt.Sprintf(
			"timed out after %s waiting for %s (%s)", wire.Waited(start), what, got)}
	}
	err = wire.ReadError(tlsconf.ClassifyAlert(err))
	c.err = err
	return err
}

// record adds to the transcript what of line is not there yet.
func (c *Conn) record(s *engine.Session, line []byte) {
	if s != nil && len(line) > c.recorded {
		s.Received(line[c.recorded:])
	}
	c.recorded = len(line)
}

// interrupted reports whether ctx was cancelled rather than timed out.
func interrupted(ctx context.Context) bool {
	err := ctx.Err()
	return err != nil && !errors.Is(err, context.DeadlineExceeded)
}

// transcriptLines is how many lines of a block or of data sent the
// transcript shows, one entry each; a note gives the size of the rest.
const transcriptLines = 20

// recordLines records data sent (sent is true) or received, one entry per
// line for the first lines, then a note of what was left out.
func recordLines(s *engine.Session, data []byte, sent bool) {
	if s == nil || len(data) == 0 {
		return
	}
	record := s.Received
	if sent {
		record = s.Sent
	}
	rest := data
	for i := 0; i < transcriptLines && len(rest) > 0; i++ {
		n := len(rest)
		if j := bytes.IndexByte(rest, '\n'); j >= 0 {
			n = j + 1
		}
		record(rest[:n])
		rest = rest[n:]
	}
	if len(rest) > 0 {
		s.Note("… %d more lines, %s (%s in all)", bytes.Count(rest, []byte("\n")),
			bytesize.Format(len(rest)), bytesize.Format(len(data)))
	}
}
