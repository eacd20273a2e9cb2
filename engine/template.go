package engine

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr/vm"
	"go.yaml.in/yaml/v4"
)

// Template is a scalar of a scenario file: literal text with {{ expr }}
// interpolations, compiled at load time. A string that is exactly one
// {{ expr }} keeps the value's type.
//
// A struct field of type Template may carry a `netrun:"KIND"` tag, with KIND
// one of int, duration, bool or regexp: a literal value is then checked (and
// parsed once) at load time.
type Template struct {
	written
	set   bool
	env   *envType
	parts []tmplPart
	whole *vm.Program
	// parsed holds a literal's value parsed as parsedKind, at load time.
	parsed     any
	parsedKind string
}

type tmplPart struct {
	lit  string
	prog *vm.Program
}

// UnmarshalYAML records the scalar; compilation happens later, when the
// scope is known.
func (t *Template) UnmarshalYAML(n *yaml.Node) error {
	w, err := writtenAt(n, "a scalar value")
	if err != nil {
		return err
	}
	*t = Template{written: w, set: true}
	if n.Tag == "!!null" {
		t.src = ""
	}
	return nil
}

// NewTemplate returns a literal template holding s; it needs no compiling.
func NewTemplate(s string) Template {
	return Template{written: written{src: s}, set: true, parts: []tmplPart{{lit: s}}}
}

// IsSet reports whether the template was given in the file.
func (t *Template) IsSet() bool { return t != nil && t.set }

// Source returns the template as written.
func (t *Template) Source() string { return t.src }

// Pos returns where the template stands in the file.
func (t *Template) Pos() Pos { return t.pos }

// Literal returns the text and true when the template was given and has no
// {{ }}, so that its value can be checked at load time.
func (t *Template) Literal() (string, bool) {
	if t == nil || !t.set || strings.Contains(t.src, "{{") {
		return "", false
	}
	return t.src, true
}

// compile parses the {{ }} parts and compiles each against env.
func (t *Template) compile(c *compiler, env *envType, kind string) error {
	if strings.Contains(t.src, "{{") {
		env = c.narrow(env, t.src)
	}
	t.env = env
	t.parts = t.parts[:0]
	s := t.src
	offset := 0
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			if s != "" || len(t.parts) == 0 {
				t.parts = append(t.parts, tmplPart{lit: s})
			}
			break
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			return t.errAt(offset+i, "unclosed {{ in template")
		}
		code := s[i+2 : i+2+j]
		if strings.TrimSpace(code) == "" {
			return t.errAt(offset+i, "empty {{ }}: write an expression between the braces")
		}
		prog, err := c.compileExpr(code, env, false)
		if err != nil {
			return t.exprErr(offset+i+2, code, env, err)
		}
		if i > 0 {
			t.parts = append(t.parts, tmplPart{lit: s[:i]})
		}
		t.parts = append(t.parts, tmplPart{prog: prog})
		offset += i + 2 + j + 2
		s = s[i+2+j+2:]
	}
	if len(t.parts) == 1 && t.parts[0].prog != nil {
		t.whole = t.parts[0].prog
	}
	if lit, ok := t.Literal(); ok && kind != "" {
		if kind == "bool" && t.node != nil && t.node.ShortTag() != "!!bool" {
			// As for plain boolean keys: "yes", "1" or a quoted "true" are
			// not booleans, and must not turn an option on.
			return &Error{Pos: t.pos, Msg: fmt.Sprintf("expected true or false, got a string %q", lit)}
		}
		v, err := parseKind(lit, kind)
		if err != nil {
			return &Error{Pos: t.pos, Msg: err.Error()}
		}
		t.parsed, t.parsedKind = v, kind
	}
	return nil
}

// errAt positions an error at byte offset off of the template's text.
func (t *Template) errAt(off int, msg string) error {
	return &Error{Pos: t.posAt(off), Msg: msg}
}

func (t *Template) exprErr(off int, code string, env *envType, err error) error {
	col, msg := exprErrorAt(err, code, env)
	return &Error{Pos: t.posAt(off + col), Msg: msg}
}

// posAt maps a byte offset of the value to a file position. It is exact for
// one-line plain and quoted scalars without escapes.
func (t *Template) posAt(off int) Pos {
	p := t.pos
	if t.node == nil || strings.Contains(t.src, "\n") {
		return p
	}
	if t.node.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
		p.Col++
	}
	p.Col += len([]rune(t.src[:min(off, len(t.src))]))
	return p
}

// Value evaluates the template. A whole-string template keeps its type.
func (t *Template) Value(s *Session) (any, error) {
	if t.whole != nil {
		return s.run(t.whole, t.env, nil)
	}
	return t.String(s)
}

// String evaluates the template to text.
func (t *Template) String(s *Session) (string, error) {
	if len(t.parts) == 1 && t.parts[0].prog == nil {
		return t.parts[0].lit, nil
	}
	return t.text(s, textOf)
}

// text evaluates the template, each value written as show renders it.
func (t *Template) text(s *Session, show func(any) string) (string, error) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.prog == nil {
			b.WriteString(p.lit)
			continue
		}
		v, err := s.run(p.prog, t.env, nil)
		if err != nil {
			return "", err
		}
		b.WriteString(show(v))
	}
	return b.String(), nil
}

// textOf joins an interpolated value into text.
func textOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		return x.Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

// Int evaluates the template as a whole number.
func (t *Template) Int(s *Session) (int, error) {
	v, err := t.kindValue(s, "int")
	if err != nil {
		return 0, err
	}
	return v.(int), nil
}

// Duration evaluates the template as a Go duration such as 500ms or 2m.
func (t *Template) Duration(s *Session) (time.Duration, error) {
	v, err := t.kindValue(s, "duration")
	if err != nil {
		return 0, err
	}
	return v.(time.Duration), nil
}

// Bool evaluates the template as true or false.
func (t *Template) Bool(s *Session) (bool, error) {
	v, err := t.kindValue(s, "bool")
	if err != nil {
		return false, err
	}
	return v.(bool), nil
}

// Regexp evaluates the template as a regular expression (RE2 syntax).
func (t *Template) Regexp(s *Session) (*regexp.Regexp, error) {
	v, err := t.kindValue(s, "regexp")
	if err != nil {
		return nil, err
	}
	return v.(*regexp.Regexp), nil
}

func (t *Template) kindValue(s *Session, kind string) (any, error) {
	if t.parsed != nil && t.parsedKind == kind {
		return t.parsed, nil
	}
	v, err := t.Value(s)
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case int:
		if kind == "int" {
			return x, nil
		}
	case bool:
		if kind == "bool" {
			return x, nil
		}
	case time.Duration:
		if kind == "duration" {
			return x, nil
		}
	}
	out, err := parseKind(textOf(v), kind)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.pos, err)
	}
	return out, nil
}

// parseKind parses literal text as kind.
func parseKind(s, kind string) (any, error) {
	switch kind {
	case "int":
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", s)
		}
		return n, nil
	case "duration":
		d, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not a duration: use a number with a unit, such as 500ms, 10s or 2m", s)
		}
		if d < 0 {
			return nil, fmt.Errorf("duration %q is negative", s)
		}
		return d, nil
	case "bool":
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", s)
		}
		return b, nil
	case "regexp":
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("bad regular expression %q: %w", s, err)
		}
		return re, nil
	}
	return s, nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return "a scalar"
}
