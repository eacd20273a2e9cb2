package smtp

import (
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/mailform"
	"go.yaml.in/yaml/v4"
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

// sendKeys are the forms of send, of which it takes one.
var sendKeys = engine.OneOf{What: "send", Keys: []string{"command", "line", "mail"},
	Both: func(a, b string) string { return "send has both " + a + " and " + b + ": use one of " + sendForms }}

// decodeSend compiles send.
func decodeSend(d *engine.Decoder) (engine.TypedAction, error) {
	if engine.IsNull(d.Value) || d.Value.Kind != yaml.MappingNode {
		return nil, d.Errorf(d.Value, "%s send takes %s", d.Scheme, sendForms)
	}
	var spec sendSpec
	err := d.Load(d.Value, &spec)
	form, clash := sendKeys.Check(d.Value)
	// Without a form, the result is a reply, as for a command.
	var a engine.TypedAction = &lineproto.CommandAction[lineproto.Reply, *conn]{Reply: true}
	if c := lineproto.CommandForm(d, form, &spec.Command, &spec.Line, lineproto.CommandAction[lineproto.Reply, *conn]{Lines: true}); c != nil {
		a = c
	} else if form == "mail" {
		a = &mailAction{mail: spec.Mail}
	}
	switch {
	case err != nil:
		return a, err
	case form != "" && clash != nil:
		return a, clash
	case spec.Mail != nil:
		d.Name = d.Scheme + " send mail " + spec.Mail.Describe()
		return a, spec.Mail.Check(d, engine.MapKey(d.Value, "mail"))
	case spec.Line.IsSet(), spec.Command.IsSet():
		return a, nil
	}
	return a, d.Errorf(d.Value, "send needs one of %s", sendForms)
}
