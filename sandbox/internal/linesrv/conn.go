// Package linesrv is what the sandbox's line-protocol servers (pop3d,
// nntpd, smtpd) share: a connection with a bounded line reader, an
// optional idle deadline, a count of failed commands in a row, the
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
	"io"
	"net"
	"net/textproto"
	"strings"
	"time"
)

// ErrQuit ends a session after its last reply.
var ErrQuit = errors.New("quit")

// ErrLineTooLong is a line longer than the reader's buffer, Conn.MaxLine.
var ErrLineTooLong = errors.New("line too long")

// ErrBlockTooLarge is a dot-terminated block over its cap.
var ErrBlockTooLarge = errors.New("block too large")

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
	idle      time.Duration
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
	// Idle, when not 0, bounds the wait for each read: the read deadline
	// is set to Idle from now before it.
	Idle time.Duration
}

// NewConn returns the session connection of c, which may be a *tls.Conn
// already.
func NewConn(c net.Conn, o Options) *Conn {
	_, isTLS := c.(*tls.Conn)
	lc := &Conn{maxLine: o.MaxLine, maxErrors: o.MaxErrors, idle: o.Idle, isTLS: isTLS}
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
// (bufio.ErrBufferFull past that), within the idle deadline.
func (c *Conn) readSlice() ([]byte, error) {
	if c.idle > 0 {
		if err := c.conn.SetReadDeadline(time.Now().Add(c.idle)); err != nil {
			return nil, err
		}
	}
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
// line end; the idle deadline (or the caller's) bounds a line without end.
func (c *Conn) SkipLine() error {
	for {
		_, err := c.readSlice()
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// Block bounds a dot-terminated block that ReadBlock reads.
type Block struct {
	// Max is the most bytes of the block, without dot-stuffing.
	Max int
	// LongLines takes a line longer than MaxLine in pieces; without it
	// such a line is ErrLineTooLong, and nothing more is read.
	LongLines bool
	// Drain reads on to the lone dot past Max, keeping nothing, and
	// then returns ErrBlockTooLarge; without it ErrBlockTooLarge comes at
	// once, and the rest of the block is not read.
	Drain bool
}

// ReadBlock reads a dot-terminated block up to its lone dot (after CRLF
// or a bare LF), undoes the dot-stuffing and returns the block with its
// line ends as the client sent them. The end of the connection before the
// dot is io.ErrUnexpectedEOF.
func (c *Conn) ReadBlock(b Block) ([]byte, error) {
	var buf []byte
	atStart, tooBig := true, false // the next piece starts a line
	for {
		line, err := c.readSlice()
		whole := err == nil
		switch {
		case errors.Is(err, bufio.ErrBufferFull) && b.LongLines:
			err = nil // a long line: take it in pieces
		case errors.Is(err, bufio.ErrBufferFull):
			return nil, ErrLineTooLong
		case err == io.EOF:
			return nil, io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
		start := atStart
		atStart = whole
		if start && (string(line) == ".\r\n" || string(line) == ".\n") {
			if tooBig {
				return nil, ErrBlockTooLarge
			}
			return buf, nil
		}
		if start && len(line) > 0 && line[0] == '.' {
			line = line[1:]
		}
		if tooBig || len(buf)+len(line) > b.Max {
			if !b.Drain {
				return nil, ErrBlockTooLarge
			}
			tooBig, buf = true, nil
			continue
		}
		buf = append(buf, line...)
	}
}

// WriteBlock writes data as a dot-terminated block and flushes it:
// CRLF line ends, a leading dot doubled, a final line end added when data
// lacks one, then the lone dot. Empty data is the dot alone, where
// textproto's DotWriter writes an empty line before it (which poplib and
// nntplib read as a line of the block).
func (c *Conn) WriteBlock(data []byte) error {
	if len(data) == 0 {
		if _, err := c.W.W.WriteString(".\r\n"); err != nil {
			return err
		}
		return c.W.W.Flush()
	}
	dw := c.W.DotWriter()
	if _, err := dw.Write(data); err != nil {
		return err
	}
	return dw.Close()
}

// WriteLines writes lines, each ending with CRLF, as a block (WriteBlock).
func (c *Conn) WriteLines(lines []string) error {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l + "\r\n")
	}
	return c.WriteBlock([]byte(b.String()))
}
