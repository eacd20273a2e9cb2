package udp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// maxSend is the largest UDP payload over IPv4.
const maxSend = 65507

// maxDatagram is the largest datagram received: 64 KiB.
const maxDatagram = 64 << 10

// conn is a UDP socket: connected (connect) or bound (listen).
type conn struct {
	pc         *net.UDPConn
	connected  bool
	lineEnding string
	// resend and last: see receive.
	resend time.Duration
	last   []byte
	// peer is whom a bound socket last heard from; send replies to it.
	peer net.Addr
}

// Close closes the socket.
func (c *conn) Close(context.Context) error {
	if err := c.pc.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("close udp %s: %w", c.pc.LocalAddr(), err)
	}
	return nil
}

// describe names the socket in messages.
func (c *conn) describe() string {
	if c.connected {
		return "udp " + c.pc.RemoteAddr().String()
	}
	return "udp listener " + c.pc.LocalAddr().String()
}

// openAction is connect or listen.
type openAction struct {
	netconn.Opens
	url  engine.Template
	opts options
}

// Do makes the socket.
func (a *openAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	addr, err := netconn.EvalURL(s, &a.url, a.Listen)
	if err != nil {
		return nil, err
	}
	lineEnding, err := wire.EvalLineEnding(s, &a.opts.LineEnding, wire.DefaultLineEnding)
	if err != nil {
		return nil, err
	}
	if a.Listen {
		var lc net.ListenConfig
		pc, err := lc.ListenPacket(ctx, "udp", addr.String())
		if err != nil {
			return nil, fmt.Errorf("cannot listen on udp %s: %w", addr, err)
		}
		uc := pc.(*net.UDPConn)
		bound := uc.LocalAddr().(*net.UDPAddr)
		s.Note("listening on udp %s", bound)
		s.Open(ctx, &conn{pc: uc, lineEnding: lineEnding})
		return netconn.ListenResult{Address: bound.String(), Host: bound.IP.String(), Port: bound.Port}, nil
	}
	start := time.Now()
	var dialer net.Dialer
	nc, err := dialer.DialContext(ctx, "udp", addr.String())
	if err != nil {
		return nil, netconn.DialError("udp", addr.String(), err)
	}
	uc := nc.(*net.UDPConn)
	res := netconn.Connected(uc, start, nil)
	s.Note("udp socket %s connected to %s", res.Local, res.Remote)
	resend, err := a.resendEvery(s)
	if err != nil {
		uc.Close()
		return nil, err
	}
	s.Open(ctx, &conn{pc: uc, connected: true, lineEnding: lineEnding, resend: resend})
	return res, nil
}

// sendAction sends one datagram.
type sendAction struct {
	engine.Returns[wire.SendResult]
	payload wire.Payload
}

// Do sends the datagram: to the server, or to a listener's last peer.
func (a *sendAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	b, err := a.payload.Bytes(s, c.lineEnding)
	if err != nil {
		return nil, err
	}
	if len(b) > maxSend {
		return nil, fmt.Errorf("a datagram holds at most %d bytes; this one has %d", maxSend, len(b))
	}
	if !c.connected && c.peer == nil {
		return nil, fmt.Errorf("%s has no peer to reply to yet: expect a datagram first", c.describe())
	}
	stop := engine.Deadline(ctx, c.pc)
	defer stop()
	var n int
	if c.connected {
		n, err = c.pc.Write(b)
	} else {
		n, err = c.pc.WriteTo(b, c.peer)
	}
	if err != nil {
		return nil, c.ioError("send to", err)
	}
	s.Sent(b[:n])
	c.last = append(c.last[:0], b[:n]...)
	if !c.connected {
		s.Note("sent to %s", c.peer)
	}
	return wire.SendResult{Bytes: n}, nil
}

// expectAction receives one datagram and matches it.
type expectAction struct {
	engine.Returns[wire.ExpectResult]
	expect wire.Expect
}

// Do waits for one datagram within the step timeout.
func (a *expectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	m, err := a.expect.Resolve(s)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	buf := make([]byte, maxDatagram)
	wctx, stopGone := ctx, func() bool { return false }
	if !c.connected {
		// Only a program of the scenario may be the peer of a listener:
		// once they have all ended, no datagram can come.
		var cancel context.CancelFunc
		wctx, cancel = engine.UntilProcessesGone(ctx, s)
		defer cancel()
		stopGone = context.AfterFunc(wctx, func() { _ = c.pc.SetDeadline(time.Now()) })
	}
	n, from, err := c.receive(ctx, s, buf)
	stopGone()
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) && engine.ProcessesGone(wctx) && ctx.Err() == nil {
		// Once more, briefly: a datagram already queued is read at once.
		_ = c.pc.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
		n, from, err = c.pc.ReadFrom(buf)
	}
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(ctxErr, context.DeadlineExceeded) {
				return nil, fmt.Errorf("expect interrupted: %w", ctxErr)
			}
			res, err := m.NoDatagram(wire.Waited(start))
			if err != nil {
				if engine.ProcessesGone(wctx) && ctx.Err() == nil {
					return nil, fmt.Errorf("%w, so no datagram can come: %w", engine.ErrProcessesGone, err)
				}
				return nil, err
			}
			return *res, nil
		}
		return nil, c.ioError("receive from", err)
	}
	data := buf[:n]
	s.Received(data)
	if !c.connected {
		c.peer = from
		s.Note("from %s", from)
	}
	res, err := m.Datagram(data, from.String())
	if err != nil {
		return nil, err
	}
	return *res, nil
}

// ioError explains a failed send or receive; a refused port is the usual
// one.
func (c *conn) ioError(op string, err error) error {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("%s refused: nothing is listening on that port (ICMP port unreachable): %w", c.describe(), err)
	}
	return fmt.Errorf("%s %s: %w", op, c.describe(), err)
}
