package ftp

import (
	"bytes"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
)

// control is the FTP control connection, as both jlaffaye/ftp and netrun's
// own commands (the greeting, AUTH TLS, send: { command }) use it. It
// records what goes through it in the running step's transcript, follows
// the replies in the byte stream (so that results and errors can show the
// server's reply whatever the library made of it), and bounds memory: a
// line is at most lineproto.DefaultMaxLine bytes and a reply at most
// lineproto.MaxReplyLines lines and lineproto.MaxReplyBytes bytes. Past a
// cap, Read fails and the connection is not used again.
//
// Deadlines are set on raw, the TCP connection underneath, by conn.bind.
type control struct {
	nc  net.Conn // TCP, or TLS over it
	raw net.Conn // TCP
	s   *engine.Session

	// replay is returned by Read before anything from nc: the greeting,
	// read by netrun, once more for the library.
	replay []byte

	line    []byte // the line being received
	cur     *building
	last    lineproto.Reply
	lastRaw []byte
	// count is the number of replies received in all.
	count int
	// lastCmd is the command word of the last line written, upper case.
	lastCmd string
	// replies holds the last reply to each command word, such as FEAT.
	replies map[string]lineproto.Reply
	// pasv is the address a PASV reply named, as h1.h2.h3.h4.
	pasv string

	err error
}

// building is a reply whose last line has not arrived yet.
type building struct {
	code  int
	lines []string
	raw   []byte
}

func newControl(nc, raw net.Conn) *control {
	return &control{nc: nc, raw: raw, replies: map[string]lineproto.Reply{}}
}

// Read reads from the server, records what it got and follows the replies.
func (c *control) Read(p []byte) (int, error) {
	if len(c.replay) > 0 {
		n := copy(p, c.replay)
		c.replay = c.replay[n:]
		return n, nil
	}
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.nc.Read(p)
	if n > 0 {
		if c.s != nil {
			c.s.Received(p[:n])
		}
		if perr := c.take(p[:n]); perr != nil {
			c.err = perr
			return 0, perr
		}
	}
	return n, err
}

// Write sends p to the server and records it. The password of a PASS line
// is redacted by the engine, which knows it as a secret.
func (c *control) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if w, _, _ := strings.Cut(strings.TrimSpace(string(p)), " "); w != "" {
		c.lastCmd = strings.ToUpper(w)
	}
	n, err := c.nc.Write(p)
	if n > 0 && c.s != nil {
		c.s.Sent(p[:n])
	}
	return n, err
}

// take follows the replies in b, line by line.
func (c *control) take(b []byte) error {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		part := b
		if i >= 0 {
			part = b[:i+1]
		}
		b = b[len(part):]
		c.line = append(c.line, part...)
		if len(c.line) > lineproto.DefaultMaxLine {
			return &engine.Mismatch{Received: c.line[:512], Msg: fmt.Sprintf(
				"the server sent a line longer than %s on the control connection; the cap bounds memory, and the connection is not used after it",
				bytesize.Format(lineproto.DefaultMaxLine))}
		}
		if i < 0 {
			return nil
		}
		line := c.line
		c.line = nil
		if err := c.replyLine(line); err != nil {
			return err
		}
	}
	return nil
}

// replyLine adds a line, ending included, to the reply being received.
// RFC 959: a reply is "CODE text", or "CODE-text" then any lines up to
// one that starts with "CODE ".
func (c *control) replyLine(raw []byte) error {
	text := strings.TrimRight(string(raw), "\r\n")
	if c.cur == nil {
		code, sep, ok := replyCode(text)
		if !ok {
			return &engine.Mismatch{Received: raw, Msg: fmt.Sprintf(
				"%s is not an FTP reply line: a reply starts with a 3-digit code", engine.Quote(raw, 80))}
		}
		c.cur = &building{code: code}
		if sep != '-' {
			return c.finish(raw, rest(text))
		}
		c.cur.lines = append(c.cur.lines, rest(text))
		c.cur.raw = append(c.cur.raw, raw...)
		return nil
	}
	if code, sep, ok := replyCode(text); ok && code == c.cur.code && sep != '-' {
		return c.finish(raw, rest(text))
	}
	if code, sep, ok := replyCode(text); ok && code == c.cur.code && sep == '-' {
		text = rest(text)
	}
	c.cur.lines = append(c.cur.lines, text)
	c.cur.raw = append(c.cur.raw, raw...)
	if len(c.cur.lines) >= lineproto.MaxReplyLines || len(c.cur.raw) >= lineproto.MaxReplyBytes {
		return &engine.Mismatch{Received: tail(c.cur.raw), Msg: fmt.Sprintf(
			"the %03d reply goes on past %d lines or %s; the cap bounds memory, and the connection is not used after it",
			c.cur.code, lineproto.MaxReplyLines, bytesize.Format(lineproto.MaxReplyBytes))}
	}
	return nil
}

// finish completes the reply being received with its last line.
func (c *control) finish(raw []byte, text string) error {
	b := c.cur
	c.cur = nil
	b.lines = append(b.lines, text)
	b.raw = append(b.raw, raw...)
	c.last = lineproto.Reply{Code: b.code, Text: strings.Join(b.lines, "\n"), Lines: b.lines}
	c.lastRaw = b.raw
	c.count++
	if _, seen := c.replies[c.lastCmd]; c.lastCmd != "" && (seen || len(c.replies) < 64) {
		c.replies[c.lastCmd] = c.last
	}
	if c.lastCmd == "PASV" && b.code == 227 {
		c.pasv = pasvHost(text)
	}
	return nil
}

// replyCode reads the code of a reply line and the character after it
// (' ', '-', or 0 at the end of the line).
func replyCode(line string) (code int, sep byte, ok bool) {
	if len(line) < 3 {
		return 0, 0, false
	}
	for i := 0; i < 3; i++ {
		if line[i] < '0' || line[i] > '9' {
			return 0, 0, false
		}
		code = code*10 + int(line[i]-'0')
	}
	switch {
	case len(line) == 3:
		return code, 0, true
	case line[3] == ' ' || line[3] == '-':
		return code, line[3], true
	}
	return 0, 0, false
}

// rest is a reply line without its code and separator.
func rest(line string) string {
	if len(line) <= 4 {
		return ""
	}
	return line[4:]
}

// pasvHost returns the address of a 227 reply, "(h1,h2,h3,h4,p1,p2)", as
// h1.h2.h3.h4; "" when there is none.
func pasvHost(text string) string {
	i, j := strings.Index(text, "("), strings.LastIndex(text, ")")
	if i < 0 || j < i {
		return ""
	}
	f := strings.Split(text[i+1:j], ",")
	if len(f) != 6 {
		return ""
	}
	ip := net.ParseIP(strings.Join(f[:4], "."))
	if ip == nil {
		return ""
	}
	return ip.String()
}

// tail returns the last 512 bytes of b.
func tail(b []byte) []byte {
	if len(b) > 512 {
		return b[len(b)-512:]
	}
	return b
}

// readReply reads one whole reply for netrun itself, a byte at a time, so
// that nothing after it is taken from the library, which reads the next
// ones. Replies are short; TLS buffers its records anyway.
func (c *control) readReply() (lineproto.Reply, []byte, error) {
	want := c.count + 1
	var b [1]byte
	for c.count < want {
		if _, err := c.Read(b[:]); err != nil {
			return lineproto.Reply{}, nil, err
		}
	}
	return c.last, c.lastRaw, nil
}

// midReply reports whether part of a reply was received and not finished:
// the library holds the start of a reply it did not ask for, and the
// dialogue is out of step.
func (c *control) midReply() bool { return c.cur != nil || len(c.line) > 0 }

// writeLine sends one command line with CRLF for netrun itself.
func (c *control) writeLine(line string) error {
	if strings.ContainsAny(line, "\r\n") {
		return fmt.Errorf("a command must not contain CR or LF: %s", engine.Quote([]byte(line), 80))
	}
	_, err := c.Write([]byte(line + "\r\n"))
	return err
}

// The remaining methods make control a net.Conn for the library.

// Close closes the connection.
func (c *control) Close() error { return c.nc.Close() }

// LocalAddr is our address.
func (c *control) LocalAddr() net.Addr { return c.raw.LocalAddr() }

// RemoteAddr is the server's address, a *net.TCPAddr: the library takes
// the host of data connections from it.
func (c *control) RemoteAddr() net.Addr { return c.raw.RemoteAddr() }

// SetDeadline sets the deadline of the TCP connection.
func (c *control) SetDeadline(t time.Time) error { return c.raw.SetDeadline(t) }

// SetReadDeadline sets the read deadline of the TCP connection.
func (c *control) SetReadDeadline(t time.Time) error { return c.raw.SetReadDeadline(t) }

// SetWriteDeadline sets the write deadline of the TCP connection.
func (c *control) SetWriteDeadline(t time.Time) error { return c.raw.SetWriteDeadline(t) }
