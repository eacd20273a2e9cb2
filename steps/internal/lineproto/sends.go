package lineproto

import (
	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

// Sends are the forms of send on a line protocol that has, beside command
// and line, one form of its own, such as SMTP's mail or NNTP's post.
type Sends[R any, C Talker[R]] struct {
	// Forms lists the forms for messages: "{ command: TEXT }, { line:
	// TEXT } or { mail: { ... } }".
	Forms string
	// Own is the key of the plugin's own form: "mail".
	Own string
	// Command is the action of command and line, as CommandForm takes it.
	Command CommandAction[R, C]
}

// Decode loads send's value, d.Value, into spec, whose command and line
// are the values of those keys, and returns the form given and its
// action: CommandForm's for command and line, the one own makes for the
// plugin's form (own also says whether its value was given), and without
// a form a command's, whose result is a reply. The error is of a value
// that is not a mapping, of loading, of two forms, or of none.
func (f Sends[R, C]) Decode(d *engine.Decoder, spec any, command, line *engine.Template, own func() (engine.TypedAction, bool)) (string, engine.TypedAction, error) {
	if engine.IsNull(d.Value) || d.Value.Kind != yaml.MappingNode {
		return "", nil, d.Errorf(d.Value, "%s send takes %s", d.Scheme, f.Forms)
	}
	err := d.Load(d.Value, spec)
	keys := engine.OneOf{What: "send", Keys: []string{"command", "line", f.Own},
		Both: func(a, b string) string { return "send has both " + a + " and " + b + ": use one of " + f.Forms }}
	form, clash := keys.Check(d.Value)
	var a engine.TypedAction = &CommandAction[R, C]{Reply: true}
	given := false
	if c := CommandForm(d, form, command, line, f.Command); c != nil {
		a, given = c, c.Text.IsSet()
	} else if form == f.Own {
		a, given = own()
	}
	switch {
	case err != nil:
		return form, a, err
	case form != "" && clash != nil:
		return form, a, clash
	case given:
		return form, a, nil
	}
	return "", a, d.Errorf(d.Value, "send needs one of %s", f.Forms)
}
