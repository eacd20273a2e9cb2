package smtp

import (
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/mailform"
	"github.com/netrunhq/netrun/steps/internal/wire"
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

// decodeSend compiles send.
func decodeSend(d *engine.Decoder) (engine.Action, error) {
	if isNull(d.Value) || d.Value.Kind != yaml.MappingNode {
		return nil, d.Errorf(d.Value, "%s send takes %s", d.Scheme, sendForms)
	}
	var spec sendSpec
	// The result type must be known before Load compiles the templates.
	switch {
	case engine.MapKey(d.Value, "mail") != nil:
		d.Result = MailResult{}
	case engine.MapKey(d.Value, "line") != nil:
		d.Result = wire.SendResult{}
	default:
		d.Result = lineproto.Reply{}
	}
	if err := d.Load(d.Value, &spec); err != nil {
		return nil, err
	}
	if n, a, b, at := engine.Clash(d.Value, "command", "line", "mail"); n > 1 {
		return nil, d.Errorf(at, "send has both %s and %s: use one of %s", a, b, sendForms)
	}
	switch {
	case spec.Mail != nil:
		if err := spec.Mail.Check(d, engine.MapKey(d.Value, "mail")); err != nil {
			return nil, err
		}
		d.Name = d.Scheme + " send mail " + spec.Mail.Describe()
		return &mailAction{mail: spec.Mail}, nil
	case spec.Line.IsSet():
		d.Name = d.Scheme + " send line " + lineproto.CommandName(spec.Line.Source())
		return &lineproto.CommandAction[lineproto.Reply, *conn]{Text: spec.Line, Lines: true}, nil
	case spec.Command.IsSet():
		d.Name = d.Scheme + " send " + lineproto.CommandName(spec.Command.Source())
		return &lineproto.CommandAction[lineproto.Reply, *conn]{Text: spec.Command, Reply: true, Lines: true}, nil
	}
	return nil, d.Errorf(d.Value, "send needs one of %s", sendForms)
}
