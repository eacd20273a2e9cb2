package nntp

import (
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
		return &lineproto.CommandAction[Reply, *conn]{Text: spec.Line}, nil
	case spec.Command.IsSet():
		d.Name = d.Scheme + " send " + lineproto.CommandName(spec.Command.Source())
		return &lineproto.CommandAction[Reply, *conn]{Text: spec.Command, Reply: true, Max: mailform.DefaultMaxSize, Done: withData}, nil
	}
	return nil, d.Errorf(d.Value, "send needs one of %s", sendForms)
}

// withData completes a response with the lines of its data block.
func withData(_ *conn, _ string, r *Reply, block []byte) { r.Data = lineproto.SplitLines(block) }

// decodeExpect compiles expect: the next response's code and text
// (lineproto.ExpectAction, as smtp's). The response to a command written
// by send: { line } is read as that command's, with its data block.
func decodeExpect(d *engine.Decoder) (engine.Action, error) {
	return lineproto.DecodeExpectAction[Reply, *conn](d, mailform.DefaultMaxSize, func(r *Reply, block []byte) lineproto.Reply {
		withData(nil, "", r, block)
		return r.Reply
	})
}
