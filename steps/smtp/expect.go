package smtp

import (
	"context"
	"fmt"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/lineproto"
	"github.com/netrunhq/netrun/steps/wire"
	"go.yaml.in/yaml/v4"
)

// expectSpec is the value of expect: the next reply's code and text. A
// scalar `expect: 250` or `expect: 2xx` means `{ code: ... }`; an empty
// mapping takes any reply.
type expectSpec struct {
	// Code is 250, 25x or 2xx.
	Code engine.Template `yaml:"code"`
	// Text is a regular expression, unanchored, that the reply's text must
	// match.
	Text engine.Template `yaml:"text" netrun:"regexp"`
}

// plainExpect has the fields of expectSpec without its UnmarshalYAML.
type plainExpect expectSpec

// UnmarshalYAML decodes the scalar or the mapping form.
func (e *expectSpec) UnmarshalYAML(n *yaml.Node) error {
	*e = expectSpec{}
	switch n.Kind {
	case yaml.ScalarNode:
		return e.Code.UnmarshalYAML(n)
	case yaml.MappingNode:
		var p plainExpect
		if err := engine.Strict(n, &p); err != nil {
			return err
		}
		*e = expectSpec(p)
		return nil
	}
	return errAt(n, "expect takes a reply code such as 250 or 2xx, or { code, text }")
}

// decodeExpect compiles expect.
func decodeExpect(d *engine.Decoder) (engine.Action, error) {
	d.Result = lineproto.Reply{}
	if isNull(d.Value) {
		return nil, d.Errorf(d.Value, "expect needs a reply code such as 250 or 2xx, or { code, text }")
	}
	var e expectSpec
	if err := d.Load(d.Value, &e); err != nil {
		return nil, err
	}
	if lit, ok := wire.Literal(&e.Code); ok {
		if _, err := lineproto.ParseCode(lit); err != nil {
			return nil, &engine.Error{Pos: e.Code.Pos(), Msg: err.Error()}
		}
	}
	d.Name = d.Scheme + " expect " + e.describe()
	return &expectAction{expect: e}, nil
}

// describe renders the expect for a default step name: "250", "2xx text
// /Ok/", "any reply".
func (e *expectSpec) describe() string {
	s := ""
	if e.Code.IsSet() {
		s = e.Code.Source()
	}
	if e.Text.IsSet() {
		if s != "" {
			s += " "
		}
		s += "text /" + e.Text.Source() + "/"
	}
	if s == "" {
		return "any reply"
	}
	return s
}

// expectAction is expect.
type expectAction struct{ expect expectSpec }

// Do reads the next reply and checks its code and text. The reply is the
// result, also when it does not match.
func (a *expectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	var code lineproto.CodePattern
	if a.expect.Code.IsSet() {
		v, err := a.expect.Code.String(s)
		if err != nil {
			return nil, fmt.Errorf("expect code: %w", err)
		}
		if code, err = lineproto.ParseCode(v); err != nil {
			return nil, fmt.Errorf("expect: %w", err)
		}
	}
	r, err := c.lp.ReadReply(ctx, s)
	if err != nil {
		return nil, err
	}
	if !code.Match(r.Code) {
		return r, &engine.Mismatch{Received: r.Raw(), Msg: fmt.Sprintf("expected a %s reply, received %s", code, r)}
	}
	if a.expect.Text.IsSet() {
		re, err := a.expect.Text.Regexp(s)
		if err != nil {
			return r, fmt.Errorf("expect text: %w", err)
		}
		if !re.MatchString(r.Text) {
			return r, &engine.Mismatch{Received: r.Raw(), Msg: fmt.Sprintf("the reply's text does not match /%s/: %s", re, r)}
		}
	}
	return r, nil
}
