// Package linesrv is what the sandbox's line-protocol servers (pop3d,
// nntpd, smtpd) share: a connection with a bounded line reader (how long a
// silent client may wait is the sandbox's idle deadline on the connection
// it hands over), a count of failed commands in a row, the
// STARTTLS swap and dot-terminated blocks (Conn), and a table of commands,
// each with the states it runs in, that a session loop dispatches to
// (Table).
//
// The protocols keep their own words: the replies, the greeting, what a
// command out of state or a line too long is told.
package linesrv

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
)

// ErrQuit ends a session after its last reply.
var ErrQuit = errors.New("quit")

// ErrLineTooLong is a line longer than the reader's buffer, Conn.MaxLine.
var ErrLineTooLong = errors.New("line too long")

// Conn is the connection of one session: reads bounded by MaxLine (CRLF
// included), replies through W, and once StartTLS succeeded, both over TLS.
// It is used by the session's goroutine only.
type Conn struct {
	// W writes the replies; flush it (PrintfLine does) to send them.
	W *textproto.Writer

	conn      net.Conn // *tls.Conn once in TLS
	r         *bufio.Reader
	maxLine   int
	maxErrors int
	isTLS     bool
	errors    int // failed commands in a row
}

// Options bound a Conn.
type Options struct {
	// MaxLine is the longest line read, CRLF included (at least 16).
	MaxLine int
	// MaxErrors is how many failed commands in a row end the session;
	// 0 is no limit.
	MaxErrors int
}

// NewConn returns the session connection of c, which may be a *tls.Conn
// already.
func NewConn(c net.Conn, o Options) *Conn {
	_, isTLS := c.(*tls.Conn)
	lc := &Conn{maxLine: o.MaxLine, maxErrors: o.MaxErrors, isTLS: isTLS}
	lc.use(c)
	return lc
}

// use reads and writes c from now on; what the old reader held is dropped.
func (c *Conn) use(nc net.Conn) {
	c.conn = nc
	c.r = bufio.NewReaderSize(nc, c.maxLine)
	c.W = textproto.NewWriter(bufio.NewWriter(nc))
}

// Net returns the connection read and written now.
func (c *Conn) Net() net.Conn { return c.conn }

// IsTLS reports whether the connection is in TLS.
func (c *Conn) IsTLS() bool { return c.isTLS }

// Close closes the connection, or the TLS connection StartTLS made of it.
func (c *Conn) Close() error { return c.conn.Close() }

// StartTLS runs the server's side of a TLS handshake on the connection,
// after the reply that invites it was sent. What the client sent before
// the handshake and the reader holds is dropped (RFC 3207, 2595, 4642:
// no plain-text command may be taken as sent over TLS).
func (c *Conn) StartTLS(cfg *tls.Config) error {
	tc := tls.Server(c.conn, cfg)
	if err := tc.Handshake(); err != nil {
		return fmt.Errorf("tls handshake: %w", err)
	}
	c.use(tc)
	c.isTLS = true
	return nil
}

// Succeeded counts a command as a success: the failures in a row start
// again from 0.
func (c *Conn) Succeeded() { c.errors = 0 }

// Failed counts a failed command and returns ErrQuit once MaxErrors
// failed in a row.
func (c *Conn) Failed() error {
	c.errors++
	if c.maxErrors > 0 && c.errors >= c.maxErrors {
		return ErrQuit
	}
	return nil
}

// readSlice reads up to and including the next LF, at most MaxLine bytes
// (bufio.ErrBufferFull past that). The sandbox bounds how long a session
// may stay silent on the connection it hands over (its idle deadline).
func (c *Conn) readSlice() ([]byte, error) {
	return c.r.ReadSlice('\n')
}

// ReadLine reads one line without its line ending. A line longer than
// MaxLine returns its first MaxLine bytes (line ending cut) and
// ErrLineTooLong; the rest is still to be read (SkipLine).
func (c *Conn) ReadLine() (string, error) {
	line, err := c.readSlice()
	if errors.Is(err, bufio.ErrBufferFull) {
		return strings.TrimRight(string(line), "\r\n"), ErrLineTooLong
	}
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

// SkipLine reads and drops what is left of a line too long, up to its
// line end; the connection's idle deadline bounds a line without end.
func (c *Conn) SkipLine() error {
	for {
		_, err := c.readSlice()
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}
