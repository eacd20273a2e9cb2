package lineproto

import (
	"fmt"

	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

// Expect is the value of expect on the protocols of 3-digit replies (smtp,
// nntp): what the next reply must be. A scalar `expect: 250` or `expect:
// 2xx` means `{ code: ... }`; an empty mapping takes any reply.
type Expect struct {
	// Code is 250, 25x or 2xx (see ParseCode).
	Code engine.Template `yaml:"code"`
	// Text is a regular expression, unanchored, that the reply's text must
	// match.
	Text engine.Template `yaml:"text" netrun:"regexp"`
}

// plainExpect has the fields of Expect without its UnmarshalYAML.
type plainExpect Expect

// UnmarshalYAML decodes the scalar or the mapping form.
func (e *Expect) UnmarshalYAML(n *yaml.Node) error {
	*e = Expect{}
	switch n.Kind {
	case yaml.ScalarNode:
		return e.Code.UnmarshalYAML(n)
	case yaml.MappingNode:
		var p plainExpect
		if err := engine.Strict(n, &p); err != nil {
			return err
		}
		*e = Expect(p)
		return nil
	}
	return engine.ErrorAt(n, "expect takes a reply code such as 250 or 2xx, or { code, text }")
}

// DecodeExpect compiles the value of an expect step, d.Value, and sets
// d.Name ("smtp expect 250"). The action says the type of the step's
// result (see DecodeExpectAction).
func DecodeExpect(d *engine.Decoder) (*Expect, error) {
	if engine.IsNull(d.Value) {
		return nil, d.Errorf(d.Value, "expect needs a reply code such as 250 or 2xx, or { code, text }")
	}
	e := &Expect{}
	if err := d.Load(d.Value, e); err != nil {
		return nil, err
	}
	if lit, ok := e.Code.Literal(); ok {
		if _, err := ParseCode(lit); err != nil {
			return nil, &engine.Error{Pos: e.Code.Pos(), Msg: err.Error()}
		}
	}
	d.Name = d.Scheme + " expect " + e.Describe()
	return e, nil
}

// Describe renders the expect for a default step name: "250", "2xx text
// /Ok/", "any reply".
func (e *Expect) Describe() string {
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

// pattern evaluates the code; the zero CodePattern, which matches every
// code, when none is given. Call it before reading the reply, so that a
// bad template fails the step before the reply is taken.
func (e *Expect) pattern(s *engine.Session) (CodePattern, error) {
	if !e.Code.IsSet() {
		return CodePattern{}, nil
	}
	v, err := e.Code.String(s)
	if err != nil {
		return CodePattern{}, fmt.Errorf("expect code: %w", err)
	}
	p, err := ParseCode(v)
	if err != nil {
		return CodePattern{}, fmt.Errorf("expect: %w", err)
	}
	return p, nil
}

// Check matches r against code (from pattern) and the text: a reply that
// does not match is an engine.Mismatch that shows it.
func (e *Expect) Check(s *engine.Session, code CodePattern, r Reply) error {
	if !code.Match(r.Code) {
		return &engine.Mismatch{Received: r.Raw(), Msg: fmt.Sprintf("expected a %s reply, received %s", code, r)}
	}
	if e.Text.IsSet() {
		re, err := e.Text.Regexp(s)
		if err != nil {
			return fmt.Errorf("expect text: %w", err)
		}
		if !re.MatchString(r.Text) {
			return &engine.Mismatch{Received: r.Raw(), Msg: fmt.Sprintf("the reply's text does not match /%s/: %s", re, r)}
		}
	}
	return nil
}
