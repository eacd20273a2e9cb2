package ftp

import (
	"context"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
)

// decodeExpect compiles expect: the next reply's code and text
// (lineproto.Expect, shared with smtp and nntp).
func decodeExpect(d *engine.Decoder) (engine.Action, error) {
	d.Result = lineproto.Reply{}
	e, err := lineproto.DecodeExpect(d)
	if err != nil {
		return nil, err
	}
	return &expectAction{expect: e}, nil
}

// expectAction is expect.
type expectAction struct{ expect *lineproto.Expect }

// Do reads the next reply, the reply to a command written with send: {
// line }, and checks its code and text. The reply is the result, also when
// it does not match.
func (a *expectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	code, err := a.expect.Pattern(s)
	if err != nil {
		return nil, err
	}
	unbind := c.bind(ctx, s)
	defer unbind()
	r, _, _, err := c.d.Next(ctx, s, 0)
	if err != nil {
		return nil, err
	}
	return r, a.expect.Check(s, code, r)
}
