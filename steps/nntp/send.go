package nntp

import (
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/mailform"
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

// sends are the forms of send.
var sends = lineproto.Sends[Reply, *conn]{Forms: sendForms, Own: []string{"post"},
	Command: lineproto.CommandAction[Reply, *conn]{Max: mailform.DefaultMaxSize, Done: withData}}

// decodeSend compiles send.
func decodeSend(d *engine.Decoder) (engine.TypedAction, error) {
	var spec sendSpec
	form, a, err := sends.Decode(d, &spec, &spec.Command, &spec.Line, func(string) (engine.TypedAction, bool) {
		return &postAction{spec: spec.Post}, spec.Post != nil
	})
	if err != nil || form != "post" {
		return a, err
	}
	d.Name = d.Scheme + " post to " + spec.Post.describe()
	return a, spec.Post.check(d, engine.MapKey(d.Value, "post"))
}

// withData completes a response with the lines of its data block.
func withData(_ *conn, _ string, r *Reply, block []byte) { r.Data = lineproto.SplitLines(block) }

// decodeExpect compiles expect: the next response's code and text
// (lineproto.ExpectAction, as smtp's). The response to a command written
// by send: { line } is read as that command's, with its data block.
func decodeExpect(d *engine.Decoder) (engine.TypedAction, error) {
	return lineproto.DecodeExpectAction[Reply, *conn](d, mailform.DefaultMaxSize, func(r *Reply, block []byte) lineproto.Reply {
		withData(nil, "", r, block)
		return r.Reply
	})
}
