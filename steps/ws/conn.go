package ws

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/coder/websocket"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

// closeWait bounds the wait for the peer's close frame when the last step
// has no sooner deadline: a peer answers a close frame within a round
// trip, and one that does not (it floods, or trickles a message) only
// costs the politeness of the close, which ends the connection anyway.
const closeWait = 500 * time.Millisecond

// closeFloor is the least time close gives to sending its close frame.
const closeFloor = 100 * time.Millisecond

// message is one message received.
type message struct {
	typ  websocket.MessageType
	data []byte
}

// conn is an open WebSocket. A goroutine reads it from connect to close and
// hands the messages, one at a time, to expect steps; so the step deadline
// never interrupts a read of the library, which would end the connection.
type conn struct {
	wc         *websocket.Conn
	nc         net.Conn // the TCP (or TLS) connection under wc
	remote     string
	maxMessage int

	msgs   chan message  // unbuffered: the reader holds one message at most
	done   chan struct{} // closed when the reader ends
	err    error         // why the reader ended; read after done
	cancel context.CancelFunc
	// deadline is that of the last step that used the connection.
	deadline time.Time
}

// stepped records the deadline of a step that uses the connection: closing
// waits for the peer's close frame only for what is left of it.
func (c *conn) stepped(ctx context.Context) {
	if d, ok := ctx.Deadline(); ok {
		c.deadline = d
	}
}

func newConn(wc *websocket.Conn, nc net.Conn, maxMessage int) *conn {
	ctx, cancel := context.WithCancel(context.Background())
	c := &conn{wc: wc, nc: nc, remote: nc.RemoteAddr().String(), maxMessage: maxMessage,
		msgs: make(chan message), done: make(chan struct{}), cancel: cancel}
	go c.read(ctx)
	return c
}

// read reads messages until the connection ends or Close cancels ctx.
func (c *conn) read(ctx context.Context) {
	defer close(c.done)
	for {
		typ, data, err := c.wc.Read(ctx)
		if err != nil {
			c.err = err
			return
		}
		select {
		case c.msgs <- message{typ: typ, data: data}:
		case <-ctx.Done():
			c.err = net.ErrClosed
			return
		}
	}
}

// ended describes, after done, why no more messages come: the peer's close
// frame, a message over max_message, or the connection breaking.
func (c *conn) ended() (code int, reason, desc string) {
	var ce websocket.CloseError
	switch {
	case errors.As(c.err, &ce):
		return int(ce.Code), ce.Reason, fmt.Sprintf("the peer closed the WebSocket with %s", closeText(int(ce.Code), ce.Reason))
	case errors.Is(c.err, websocket.ErrMessageTooBig):
		return int(websocket.StatusMessageTooBig), "", fmt.Sprintf("a message larger than max_message (%s) arrived, so netrun closed the WebSocket with 1009 (message too big)", bytesize.Format(c.maxMessage))
	case errors.Is(c.err, net.ErrClosed):
		return int(websocket.StatusAbnormalClosure), "", "the WebSocket is closed"
	}
	return int(websocket.StatusAbnormalClosure), "", fmt.Sprintf("the connection ended without a close frame (1006, abnormal closure): %v", c.err)
}

// closeText writes a close code and reason for a person: 1000 (normal
// closure) "bye".
func closeText(code int, reason string) string {
	s := fmt.Sprintf("%d", code)
	if name := codeNames[code]; name != "" {
		s += " (" + name + ")"
	}
	if reason != "" {
		s += fmt.Sprintf(" %q", reason)
	}
	return s
}

// codeNames names the close codes of RFC 6455 and its registry.
var codeNames = map[int]string{
	1000: "normal closure", 1001: "going away", 1002: "protocol error", 1003: "unsupported data",
	1005: "no status", 1006: "abnormal closure", 1007: "invalid payload data", 1008: "policy violation",
	1009: "message too big", 1010: "mandatory extension", 1011: "internal error", 1012: "service restart",
	1013: "try again later", 1014: "bad gateway", 1015: "TLS handshake",
}

// Close sends a close frame (1000, normal closure) and waits for the
// peer's, within ctx, at most closeWait (500 ms), and no longer than what was left
// of the last step that used the connection (at least closeFloor, to send
// the frame): a peer that floods or trickles and never answers the close
// does not make the scenario outlast its steps' timeouts. Then the
// connection is closed whatever the peer did.
func (c *conn) Close(ctx context.Context) error {
	wait := closeWait
	if !c.deadline.IsZero() {
		wait = min(wait, max(time.Until(c.deadline), closeFloor))
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	closed := make(chan error, 1)
	go func() { closed <- c.wc.Close(websocket.StatusNormalClosure, "") }()
	select {
	case <-closed:
	case <-ctx.Done():
		_ = c.nc.Close() // ends the close handshake at once
		<-closed
	}
	c.cancel()
	<-c.done
	_ = c.nc.Close()
	// A peer that left first, or broke the handshake, leaves the WebSocket
	// closed all the same.
	return nil
}
