package lineproto

import (
	"slices"

	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

// Sends are the forms of send on a line protocol that has, beside command
// and line, forms of its own, such as SMTP's mail, NNTP's post or FTP's
// upload and delete.
type Sends[R any, C Talker[R]] struct {
	// Forms lists the forms for messages: "{ command: TEXT }, { line:
	// TEXT } or { mail: { ... } }".
	Forms string
	// Own are the keys of the plugin's own forms: "mail".
	Own []string
	// Command is the action of command and line, as CommandForm takes it.
	Command CommandAction[R, C]
}

// Decode loads send's value, d.Value, into spec, whose command and line
// are the values of those keys, and returns the form given and its
// action: CommandForm's for command and line, the one own makes for one
// of the plugin's forms (own also says whether its value was given), and
// without a form a command's, whose result is a reply. The error is of a
// value that is not a mapping, of loading, of two forms, or of none.
func (f Sends[R, C]) Decode(d *engine.Decoder, spec any, command, line *engine.Template, own func(form string) (engine.TypedAction, bool)) (string, engine.TypedAction, error) {
	keys := engine.OneOf{What: "send", Keys: append([]string{"command", "line"}, f.Own...),
		Both: func(a, b string) string { return "send has both " + a + " and " + b + ": use one of " + f.Forms }}
	form, clash, err := LoadForms(d, spec, keys, d.Scheme+" send takes "+f.Forms)
	if form == "" && clash == nil {
		return "", nil, err // not a mapping
	}
	var a engine.TypedAction = &CommandAction[R, C]{Reply: true}
	given := false
	if c := CommandForm(d, form, command, line, f.Command); c != nil {
		a, given = c, c.Text.IsSet()
	} else if slices.Contains(f.Own, form) {
		a, given = own(form)
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

// LoadForms loads d.Value, a mapping that takes exactly one of keys (the
// forms of send), into spec. It returns the key given, the error of two
// keys or of none (keys.Check), and the error of loading. A value that is
// not a mapping is the error usage, with no form and no clash (a mapping
// without a form is a clash).
func LoadForms(d *engine.Decoder, spec any, keys engine.OneOf, usage string) (form string, clash, err error) {
	if engine.IsNull(d.Value) || d.Value.Kind != yaml.MappingNode {
		return "", nil, d.Errorf(d.Value, "%s", usage)
	}
	err = d.Load(d.Value, spec)
	form, clash = keys.Check(d.Value)
	return form, clash, err
}
