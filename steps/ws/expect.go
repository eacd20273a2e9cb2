package ws

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/coder/websocket"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// ExpectResult is the result of expect: the message, or the close.
type ExpectResult struct {
	wire.ExpectResult
	// Type is "text" or "binary"; empty after closed: true.
	Type string `expr:"type" json:"type"`
	// Hex is the message in lower-case hex, for binary messages.
	Hex string `expr:"hex" json:"hex"`
	// Code and Reason are the peer's close code and reason after closed:
	// true (1006 when the connection ended without a close frame).
	Code   int    `expr:"code" json:"code"`
	Reason string `expr:"reason" json:"reason"`
}

// expectAction waits for one message, or for the close.
type expectAction struct {
	engine.Returns[ExpectResult]
	expect wire.Expect
	closed bool
}

// oneMessage are the wire.Expect keys that read a stream, not a message.
var oneMessage = []string{"line", "line_ending", "until", "bytes", "partial"}

func decodeExpect(d *engine.Decoder) (engine.TypedAction, error) {
	e, err := wire.DecodeExpect(d)
	a := &expectAction{expect: e, closed: e.Closed}
	if err != nil {
		return a, err
	}
	var errs wire.LoadErrors
	for _, k := range oneMessage {
		if key := engine.MapKey(d.Value, k); key != nil {
			errs.Add(d.Errorf(key, "%s expects one message at a time: %s does not apply (match with equals, contains or match)", d.Scheme, k))
		}
	}
	if e.Closed {
		for _, k := range []string{"equals", "contains", "match", "reject"} {
			if key := engine.MapKey(d.Value, k); key != nil {
				errs.Add(d.Errorf(key, "closed: true waits for the peer to close; check its code and reason with assert: result.code == 1000"))
			}
		}
	}
	return a, errs.Err()
}

// Do takes the next message, or waits for one within the step timeout.
func (a *expectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	c.stepped(ctx)
	m, err := a.expect.Resolve(s)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	select {
	case msg := <-c.msgs:
		return a.message(s, c, m, msg)
	case <-c.done:
		return a.closedResult(s, c, m)
	case <-ctx.Done():
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("expect interrupted: %w", ctx.Err())
		}
		if a.closed {
			return nil, &engine.Mismatch{Msg: fmt.Sprintf("timed out after %s waiting for the peer to close the WebSocket", wire.Waited(start))}
		}
		res, err := m.NoMessage(wire.Waited(start))
		if err != nil {
			return nil, err
		}
		return ExpectResult{ExpectResult: *res}, nil
	}
}

// message matches a message received.
func (a *expectAction) message(s *engine.Session, c *conn, m *wire.Matcher, msg message) (any, error) {
	s.Received(msg.data)
	typ := "text"
	if msg.typ == websocket.MessageBinary {
		typ = "binary"
	}
	if a.closed {
		return nil, &engine.Mismatch{Msg: fmt.Sprintf("waiting for the peer to close the WebSocket, received a %s message of %s",
			typ, bytesize.Format(len(msg.data))), Received: msg.data}
	}
	res, err := m.Message(msg.data, c.remote)
	if err != nil {
		var mm *engine.Mismatch
		if errors.As(err, &mm) {
			mm.Msg = typ + " message: " + mm.Msg
		}
		return nil, err
	}
	return ExpectResult{ExpectResult: *res, Type: typ, Hex: hex.EncodeToString(msg.data)}, nil
}

// closedResult is the outcome when the WebSocket has ended: success for
// closed: true, a mismatch otherwise.
func (a *expectAction) closedResult(s *engine.Session, c *conn, m *wire.Matcher) (any, error) {
	code, reason, why := c.ended()
	s.Note("%s", why)
	if !a.closed || errors.Is(c.err, websocket.ErrMessageTooBig) {
		wanted := "a message"
		if m.Nothing() {
			wanted = "silence"
		} else if w := m.Want(); w != "" {
			wanted = w
		}
		return nil, &engine.Mismatch{Msg: fmt.Sprintf("%s while we waited for %s", why, wanted)}
	}
	return ExpectResult{ExpectResult: wire.ExpectResult{Closed: true, From: c.remote}, Code: code, Reason: reason}, nil
}
