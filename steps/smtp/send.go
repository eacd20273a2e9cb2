package smtp

import (
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/mailform"
)

// sendForms names the forms of send, for messages.
const sendForms = "{ command: TEXT }, { line: TEXT } or { mail: { from, to, subject, text, ... } }"

// sendSpec is the value of send: exactly one of its keys.
type sendSpec struct {
	// Command is written (each of its lines ending with CRLF), then one
	// reply is read and is the result.
	Command engine.Template `yaml:"command"`
	// Line is written like Command, and no reply is read: an expect step
	// reads it.
	Line engine.Template `yaml:"line"`
	// Mail is a whole mail transaction.
	Mail *mailform.Mail `yaml:"mail"`
}

// sends are the forms of send.
var sends = lineproto.Sends[lineproto.Reply, *conn]{Forms: sendForms, Own: []string{"mail"},
	Command: lineproto.CommandAction[lineproto.Reply, *conn]{Lines: true}}

// decodeSend compiles send.
func decodeSend(d *engine.Decoder) (engine.TypedAction, error) {
	var spec sendSpec
	form, a, err := sends.Decode(d, &spec, &spec.Command, &spec.Line, func(string) (engine.TypedAction, bool) {
		return &mailAction{mail: spec.Mail}, spec.Mail != nil
	})
	if err != nil || form != "mail" {
		return a, err
	}
	d.Name = d.Scheme + " send mail " + spec.Mail.Describe()
	return a, spec.Mail.Check(d, engine.MapKey(d.Value, "mail"))
}
