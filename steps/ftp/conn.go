package ftp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"

	jftp "github.com/jlaffaye/ftp"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// conn is an open FTP session: the control connection, the library's
// client over it, and what data connections need.
type conn struct {
	ctrl *control
	sc   *jftp.ServerConn
	// peer is the server's address as the step gave it, for messages;
	// peerIP is the IP address of the control connection's peer, the
	// only one data connections go to.
	peer, peerIP string
	// tls configures TLS on data connections (PROT P); nil in plain text.
	tls *tls.Config

	// Set by bind for the running action.
	ctx   context.Context
	stops []func() bool
	data  []*dataConn
	// dataErr is why the last data connection could not be opened.
	dataErr error
	// limit caps what the next data connection receives; 0 for no cap.
	limit int64
	// keep makes the next data connection keep what it receives (LIST).
	keep bool
	// startCount is the number of replies received when bind ran.
	startCount int
	// controlGiven is set once the library has its control connection.
	controlGiven bool

	// d is the dialogue of netrun's own commands, send: { line } and
	// expect on the control connection; the library's commands go around
	// it, under bind.
	d *lineproto.Dialogue[lineproto.Reply]
}

// newConn returns the session on the control connection ctrl with the
// server at peer.
func newConn(ctrl *control, peer string) *conn {
	c := &conn{ctrl: ctrl, peer: peer}
	c.d = lineproto.NewDialogueOver[lineproto.Reply](controlTransport{ctrl}, "FTP", peer)
	c.d.Explain, c.d.Bind = c.explain, c.bind
	return c
}

// Dialogue returns the session's dialogue (lineproto.Talker).
func (c *conn) Dialogue() *lineproto.Dialogue[lineproto.Reply] { return c.d }

// controlTransport carries the dialogue over the control connection. Its
// deadline and transcript are those conn.bind gave it.
type controlTransport struct{ ctrl *control }

// Write sends the line.
func (t controlTransport) Write(_ context.Context, _ *engine.Session, req lineproto.Request) error {
	return t.ctrl.writeLine(req.Line)
}

// Read reads the next reply.
func (t controlTransport) Read(context.Context, *engine.Session, lineproto.Request) (lineproto.Reply, []byte, error) {
	r, _, err := t.ctrl.readReply()
	return r, nil, err
}

// Err says why the control connection cannot be used.
func (t controlTransport) Err() error { return t.ctrl.err }

// bind makes the action's context and session those of the connection's
// I/O until the returned function is called: the deadline of ctx bounds
// every read and write on the control connection and on every data
// connection opened meanwhile, and the transcript goes to s (nil for none).
func (c *conn) bind(ctx context.Context, s *engine.Session) func() {
	c.ctx, c.ctrl.s = ctx, s
	c.stops = append(c.stops[:0], engine.Deadline(ctx, c.ctrl.raw))
	c.dataErr, c.limit, c.keep = nil, 0, false
	c.startCount = c.ctrl.count
	return func() {
		for _, stop := range c.stops {
			stop()
		}
		for _, d := range c.data {
			_ = d.raw.Close()
		}
		c.stops, c.data = c.stops[:0], c.data[:0]
		c.ctx, c.ctrl.s = nil, nil
		if c.ctrl.midReply() && c.ctrl.err == nil {
			c.d.Break(errors.New("the server sent part of a reply nobody asked for"))
		}
	}
}

// dial is the library's dial function. Its first call returns the control
// connection, already set up by connect; every later call opens a data
// connection. Data connections go to the control connection's peer only:
// the library takes the port of EPSV or PASV and keeps our peer's address
// (it does not trust the address of a PASV reply), and dial refuses any
// other host, so that a reply cannot send netrun elsewhere.
func (c *conn) dial(network, addr string) (net.Conn, error) {
	if !c.controlGiven {
		c.controlGiven = true
		return c.ctrl, nil
	}
	s := c.ctrl.s
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || ip.String() != c.peerIP {
		c.dataErr = fmt.Errorf("refused to open a data connection to %s: data connections go to the control connection's peer, %s, only", addr, c.peerIP)
		return nil, c.dataErr
	}
	if s != nil {
		if c.ctrl.pasv != "" && c.ctrl.pasv != c.peerIP && c.ctrl.lastCmd == "PASV" {
			s.Note("the PASV reply names %s; netrun connects to %s, the control connection's peer, instead", c.ctrl.pasv, c.peerIP)
		}
	}
	ctx := c.ctx
	if ctx == nil {
		return nil, errors.New("a data connection outside of a step")
	}
	var d net.Dialer
	nc, err := d.DialContext(ctx, network, net.JoinHostPort(c.peerIP, port))
	if err != nil {
		c.dataErr = fmt.Errorf("cannot open the data connection (after %s): %w", c.ctrl.lastCmd, netconn.DialError("tcp", addr, err))
		return nil, c.dataErr
	}
	c.stops = append(c.stops, engine.Deadline(ctx, nc))
	dc := &dataConn{Conn: nc, raw: nc, limit: c.limit, keep: c.keep}
	if c.tls != nil {
		// The handshake runs on first use, after the transfer command:
		// some servers only answer it then. The configuration is the
		// control connection's, whose session cache lets the server see
		// the same TLS session resumed (vsftpd's require_ssl_reuse).
		dc.Conn = tls.Client(nc, c.tls)
	}
	c.data = append(c.data, dc)
	if s != nil {
		s.Note("data connection to %s from %s", nc.RemoteAddr(), nc.LocalAddr())
	}
	return dc, nil
}

// reply is the last reply received by the running action, or the zero
// Reply when none came.
func (c *conn) reply() lineproto.Reply {
	if c.ctrl.count > c.startCount {
		return c.ctrl.last
	}
	return lineproto.Reply{}
}

// lastData is the latest data connection of the running action, or nil.
func (c *conn) lastData() *dataConn {
	if len(c.data) == 0 {
		return nil
	}
	return c.data[len(c.data)-1]
}

// explain turns an error of the library (or of our own I/O under it) into
// one that says what happened in words, with the server's reply when there
// is one. Errors that leave the dialogue out of step make the connection
// unusable.
func (c *conn) explain(what string, err error) error {
	var te *textproto.Error
	var pe textproto.ProtocolError
	switch {
	case err == nil:
		return nil
	case c.ctrl.err != nil:
		return fmt.Errorf("%s: %w", what, c.ctrl.err)
	case errors.As(err, &te):
		return c.refused(what, te.Code)
	case c.dataErr != nil && errors.Is(err, c.dataErr):
		return fmt.Errorf("%s: %w", what, c.dataErr)
	case errors.As(err, &pe):
		c.d.Break(err)
		return &engine.Mismatch{Received: c.ctrl.lastRaw, Msg: fmt.Sprintf("%s: the server's reply is not an FTP reply: %v", what, err)}
	case wire.IsTimeout(err):
		c.d.Break(fmt.Errorf("a timeout in the middle of %s", what))
		return c.timeout(what, err)
	case c.ctrl.count > c.startCount && c.ctrl.last.Code >= 400:
		// The library gave the reply's text without its code (USER).
		return c.refused(what, c.ctrl.last.Code)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		// The server closed the connection while we waited: a check that
		// failed, as for every protocol (format.md, Failures and errors).
		c.d.Break(err)
		return &engine.Mismatch{Msg: fmt.Sprintf("%s: the server closed the connection while we waited for the %s", what, c.awaited())}
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, net.ErrClosed) {
		c.d.Break(err)
		return fmt.Errorf("%s: %w", what, wire.ReadError(tlsconf.ClassifyAlert(err)))
	}
	var tlsErr *tlsconf.Error
	if c.tls != nil && errors.As(tlsconf.Classify(err), &tlsErr) {
		c.d.Break(err)
		return fmt.Errorf("%s: %w", what, tlsErr)
	}
	// The library found fault with a reply (a PASV reply without an
	// address, say); the dialogue is still in step.
	return &engine.Mismatch{Received: c.ctrl.lastRaw, Msg: fmt.Sprintf("%s: %v", what, err)}
}

// refused is the error of a reply that says no: the last reply, whose code
// is code.
func (c *conn) refused(what string, code int) error {
	r := c.ctrl.last
	if r.Code != code {
		return &engine.Mismatch{Msg: fmt.Sprintf("%s: the server answered %d", what, code)}
	}
	return &engine.Mismatch{Received: c.ctrl.lastRaw, Msg: fmt.Sprintf("%s: the server answered %s", what, r)}
}

// timeout explains a deadline that passed: on a data connection (which
// stalled, or was never served) or waiting for a reply.
func (c *conn) timeout(what string, err error) error {
	if interrupted(c.ctx) {
		return fmt.Errorf("%s: interrupted: %w", what, context.Cause(c.ctx))
	}
	// Silence in time is a check that failed (format.md, Failures and
	// errors); the timeout stays wrapped, for the engine to name it.
	if d := c.lastData(); d != nil && d.sent {
		if d.unclosed {
			return netconn.Fail(err, "%s: the server did not close the data connection after the upload (%s sent, then TLS close_notify and the end of netrun's side) within the step's timeout", what, bytesize.Format(int(d.put)))
		}
		return netconn.Fail(err, "%s: the upload stalled: %s sent, then the server read nothing more until the step's timeout", what, bytesize.Format(int(d.put)))
	}
	if d := c.lastData(); d != nil && !d.done {
		if d.got == 0 {
			return netconn.Fail(err, "%s: the data connection received nothing within the step's timeout (the server never sent on it, or never accepted it)", what)
		}
		return netconn.Fail(err, "%s: the data connection stalled: %s received, then nothing until the step's timeout", what, bytesize.Format(int(d.got)))
	}
	return netconn.Fail(err, "%s: no %s within the step's timeout", what, c.awaited())
}

// awaited names what the control connection waits for: the greeting, or
// the reply to the last command.
func (c *conn) awaited() string {
	if c.ctrl.lastCmd == "" {
		return "greeting"
	}
	return "reply to " + c.ctrl.lastCmd
}

// interrupted reports whether ctx was cancelled rather than timed out.
func interrupted(ctx context.Context) bool {
	if ctx == nil {
		return false
	}
	err := ctx.Err()
	return err != nil && !errors.Is(err, context.DeadlineExceeded)
}

// command writes line and reads its reply, for netrun's own commands,
// under bind.
func (c *conn) command(line string) (lineproto.Reply, error) {
	r, _, err := c.d.Command(c.ctx, c.ctrl.s, lineproto.Request{Line: line})
	return r, err
}

// Close reads the replies still awaited, says QUIT, reads its reply within
// ctx and closes the connection. A session already unusable is only
// closed.
func (c *conn) Close(ctx context.Context) error {
	defer func() { _ = c.ctrl.raw.Close() }()
	if c.d.Usable() != nil {
		return nil
	}
	unbind := c.bind(ctx, nil)
	defer unbind()
	_, _ = c.d.Quit(ctx, 0)
	return nil
}
