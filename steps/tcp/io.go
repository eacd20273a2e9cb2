package tcp

import (
	"context"
	"fmt"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// target returns the step's connection, or an error that says what to do
// when it is a listener.
func target(s *engine.Session) (*conn, error) {
	t, err := s.Target()
	if err != nil {
		return nil, err
	}
	if l, ok := t.(*listener); ok {
		return nil, fmt.Errorf("%s is a listener: accept a client first", l.ln.Addr())
	}
	return engine.TargetAs[*conn](s)
}

// sendAction sends a payload.
type sendAction struct {
	engine.Returns[wire.SendResult]
	payload wire.Payload
}

// Do writes the payload to the connection.
func (a *sendAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := target(s)
	if err != nil {
		return nil, err
	}
	b, err := a.payload.Bytes(s, c.lineEnding)
	if err != nil {
		return nil, err
	}
	stop := engine.Deadline(ctx, c.nc)
	defer stop()
	n, err := c.nc.Write(b)
	s.Sent(b[:n])
	if err != nil {
		return nil, wire.WriteError(err)
	}
	return wire.SendResult{Bytes: n}, nil
}

// expectAction waits for data and matches it.
type expectAction struct {
	engine.Returns[wire.ExpectResult]
	expect wire.Expect
}

// Do reads until the expect holds or fails.
func (a *expectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := target(s)
	if err != nil {
		return nil, err
	}
	return a.expect.ReadStream(ctx, s, c.nc, c.rd, c.remote)
}
