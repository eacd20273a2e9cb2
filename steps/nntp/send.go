package nntp

import (
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/mailform"
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

// sendKeys are the forms of send, of which it takes one.
var sendKeys = engine.OneOf{What: "send", Keys: []string{"command", "line", "post"},
	Both: func(a, b string) string { return "send has both " + a + " and " + b + ": use one of " + sendForms }}

// decodeSend compiles send.
func decodeSend(d *engine.Decoder) (engine.TypedAction, error) {
	if engine.IsNull(d.Value) || d.Value.Kind != yaml.MappingNode {
		return nil, d.Errorf(d.Value, "%s send takes %s", d.Scheme, sendForms)
	}
	var spec sendSpec
	err := d.Load(d.Value, &spec)
	form, clash := sendKeys.Check(d.Value)
	// Without a form, the result is a response, as for a command.
	var a engine.TypedAction = &lineproto.CommandAction[Reply, *conn]{Reply: true}
	command := lineproto.CommandAction[Reply, *conn]{Max: mailform.DefaultMaxSize, Done: withData}
	if c := lineproto.CommandForm(d, form, &spec.Command, &spec.Line, command); c != nil {
		a = c
	} else if form == "post" {
		a = &postAction{spec: spec.Post}
	}
	switch {
	case err != nil:
		return a, err
	case form != "" && clash != nil:
		return a, clash
	case spec.Post != nil:
		d.Name = d.Scheme + " post to " + spec.Post.describe()
		return a, spec.Post.check(d, engine.MapKey(d.Value, "post"))
	case spec.Line.IsSet(), spec.Command.IsSet():
		return a, nil
	}
	return a, d.Errorf(d.Value, "send needs one of %s", sendForms)
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
