package nntp

import (
	"context"
	"fmt"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/mailform"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// sendForms names the forms of send, for messages.
const sendForms = "{ command: TEXT }, { line: TEXT } or { post: { newsgroups, from, subject, body, headers } }"

// sendSpec is the value of send: exactly one of its keys.
type sendSpec struct {
	// Command is written, then its response (with its data block) is read
	// and is the result.
	Command engine.Template `yaml:"command"`
	// Line is written and no response is read: an expect step reads it.
	Line engine.Template `yaml:"line"`
	// Post is a whole POST: the command, the article and the response.
	Post *postSpec `yaml:"post"`
}

// decodeSend compiles send.
func decodeSend(d *engine.Decoder) (engine.Action, error) {
	if d.Value == nil || d.Value.Kind != yaml.MappingNode {
		return nil, d.Errorf(d.Value, "%s send takes %s", d.Scheme, sendForms)
	}
	// The result type must be known before Load compiles the templates.
	switch {
	case engine.MapKey(d.Value, "post") != nil:
		d.Result = PostResult{}
	case engine.MapKey(d.Value, "line") != nil:
		d.Result = wire.SendResult{}
	default:
		d.Result = Reply{}
	}
	var spec sendSpec
	if err := d.Load(d.Value, &spec); err != nil {
		return nil, err
	}
	if n, a, b, at := engine.Clash(d.Value, "command", "line", "post"); n > 1 {
		return nil, d.Errorf(at, "send has both %s and %s: use one of %s", a, b, sendForms)
	}
	switch {
	case spec.Post != nil:
		if err := spec.Post.check(d, engine.MapKey(d.Value, "post")); err != nil {
			return nil, err
		}
		d.Name = d.Scheme + " post to " + spec.Post.describe()
		return &postAction{spec: spec.Post}, nil
	case spec.Line.IsSet():
		d.Name = d.Scheme + " send line " + lineproto.CommandName(spec.Line.Source())
		return &commandAction{text: spec.Line}, nil
	case spec.Command.IsSet():
		d.Name = d.Scheme + " send " + lineproto.CommandName(spec.Command.Source())
		return &commandAction{text: spec.Command, reply: true}, nil
	}
	return nil, d.Errorf(d.Value, "send needs one of %s", sendForms)
}

// commandAction is send: { command } (reply is true) or send: { line }.
type commandAction struct {
	text  engine.Template
	reply bool
}

// Do writes the line, then reads the response for a command.
func (a *commandAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	line, err := a.text.String(s)
	if err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	lineproto.RegisterPassword(s, line)
	if a.reply {
		r, block, err := c.command(ctx, s, line, mailform.DefaultMaxSize)
		r.Data = lineproto.SplitLines(block)
		if err != nil {
			return nil, err
		}
		return r, nil
	}
	return c.d.Send(ctx, s, lineproto.Request{Line: line})
}

// decodeExpect compiles expect: the next response's code and text
// (lineproto.Expect, as smtp's).
func decodeExpect(d *engine.Decoder) (engine.Action, error) {
	d.Result = Reply{}
	e, err := lineproto.DecodeExpect(d)
	if err != nil {
		return nil, err
	}
	return &expectAction{expect: e}, nil
}

// expectAction is expect.
type expectAction struct{ expect *lineproto.Expect }

// Do reads the next response and checks its code and text. The response
// to a command written by send: { line } is read as that command's, with
// its data block. The response is the result, also when it does not
// match.
func (a *expectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	code, err := a.expect.Pattern(s)
	if err != nil {
		return nil, err
	}
	r, block, _, err := c.d.Next(ctx, s, mailform.DefaultMaxSize)
	r.Data = lineproto.SplitLines(block)
	if err != nil {
		return nil, err
	}
	return r, a.expect.Check(s, code, r.Reply)
}
