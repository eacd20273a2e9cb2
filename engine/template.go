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
	// d is nil when the template was not given. It is a pointer, so that
	// a struct of many templates (an expect has seven) stays small; it is
	// shared by copies, and compile replaces it rather than changing it.
	d *tmplData
}

// tmplData is a template as written and compiled.
type tmplData struct {
	src string
	pos Pos
	// quoted is set when the scalar was quoted in the file, boolTag when
	// YAML read it as a boolean; they replace the YAML node, which is not
	// kept after loading.
	quoted, boolTag bool
	// compiled is set once compile has run on this data: compiling again
	// (a default, for another step) makes new data.
	compiled bool
	env      *envType
	parts    []tmplPart
	whole    *vm.Program
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
	d := &tmplData{src: w.src, pos: w.pos, quoted: n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0,
		boolTag: n.ShortTag() == "!!bool"}
	if n.Tag == "!!null" {
		d.src = ""
	}
	t.d = d
	return nil
}

// NewTemplate returns a literal template holding s; it needs no compiling.
func NewTemplate(s string) Template {
	return Template{d: &tmplData{src: s, parts: []tmplPart{{lit: s}}, compiled: true}}
}

// sourceTemplate returns a template of src, to compile.
func sourceTemplate(src string) *Template { return &Template{d: &tmplData{src: src}} }

// IsSet reports whether the template was given in the file.
func (t *Template) IsSet() bool { return t != nil && t.d != nil }

// Source returns the template as written.
func (t *Template) Source() string {
	if !t.IsSet() {
		return ""
	}
	return t.d.src
}

// Pos returns where the template stands in the file.
func (t *Template) Pos() Pos {
	if !t.IsSet() {
		return Pos{}
	}
	return t.d.pos
}

// setFile records the file the template was read from. Compiled data,
// which copies share, is never changed: a copy of a compiled template gets
// data of its own.
func (t *Template) setFile(file string) {
	switch {
	case !t.IsSet() || t.d.pos.File == file:
	case t.d.compiled:
		d := *t.d
		d.pos.File = file
		t.d = &d
	default:
		t.d.pos.File = file
	}
}

// parsedValue is the literal's value parsed at load time, or nil.
func (t *Template) parsedValue() any {
	if !t.IsSet() {
		return nil
	}
	return t.d.parsed
}

// Literal returns the text and true when the template was given and has no
// {{ }}, so that its value can be checked at load time.
func (t *Template) Literal() (string, bool) {
	if !t.IsSet() || strings.Contains(t.d.src, "{{") {
		return "", false
	}
	return t.d.src, true
}

// compile parses the {{ }} parts and compiles each against env. Compiled
// data is never changed: compiling a copy of a compiled template (a
// default, for another step) gives the copy data of its own.
func (t *Template) compile(c *compiler, env *envType, kind string) error {
	if !t.IsSet() {
		return nil
	}
	d := t.d
	if d.compiled {
		d = &tmplData{src: d.src, pos: d.pos, quoted: d.quoted, boolTag: d.boolTag}
		t.d = d
	}
	d.compiled = true
	d.parts, d.whole, d.parsed, d.parsedKind = nil, nil, nil, ""
	if strings.Contains(d.src, "{{") {
		env = c.narrow(env, d.src)
		d.env = env // a literal evaluates without one, and keeps none
	}
	if err := t.compileParts(c, env); err != nil {
		return err
	}
	if len(d.parts) == 1 && d.parts[0].prog != nil {
		d.whole = d.parts[0].prog
	}
	if lit, ok := t.Literal(); ok && kind != "" {
		if kind == "bool" && !d.boolTag {
			// As for plain boolean keys: "yes", "1" or a quoted "true" are
			// not booleans, and must not turn an option on.
			return &Error{Pos: d.pos, Msg: fmt.Sprintf("expected true or false, got a string %q", lit)}
		}
		v, err := parseKind(lit, kind)
		if err != nil {
			return &Error{Pos: d.pos, Msg: err.Error()}
		}
		d.parsed, d.parsedKind = v, kind
	}
	return nil
}

// compileParts splits the text into literal parts and {{ }} parts, each
// compiled against env.
func (t *Template) compileParts(c *compiler, env *envType) error {
	d := t.d
	s := d.src
	offset := 0
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			if s != "" || len(d.parts) == 0 {
				d.parts = append(d.parts, tmplPart{lit: s})
			}
			return nil
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
			d.parts = append(d.parts, tmplPart{lit: s[:i]})
		}
		d.parts = append(d.parts, tmplPart{prog: prog})
		offset += i + 2 + j + 2
		s = s[i+2+j+2:]
	}
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
	d := t.d
	p := d.pos
	if p.Line == 0 || strings.Contains(d.src, "\n") {
		return p
	}
	if d.quoted {
		p.Col++
	}
	p.Col += len([]rune(d.src[:min(off, len(d.src))]))
	return p
}

// Value evaluates the template. A whole-string template keeps its type.
func (t *Template) Value(s *Session) (any, error) {
	if t.IsSet() && t.d.whole != nil {
		return s.run(t.d.whole, t.d.env, nil)
	}
	return t.String(s)
}

// String evaluates the template to text.
func (t *Template) String(s *Session) (string, error) {
	if !t.IsSet() {
		return "", nil
	}
	if p := t.d.parts; len(p) == 1 && p[0].prog == nil {
		return p[0].lit, nil
	}
	if lit, ok := t.Literal(); ok && !t.d.compiled {
		return lit, nil
	}
	return t.text(s, textOf)
}

// text evaluates the template, each value written as show renders it.
func (t *Template) text(s *Session, show func(any) string) (string, error) {
	if !t.IsSet() {
		return "", nil
	}
	var b strings.Builder
	for _, p := range t.d.parts {
		if p.prog == nil {
			b.WriteString(p.lit)
			continue
		}
		v, err := s.run(p.prog, t.d.env, nil)
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
	if t.IsSet() && t.d.parsed != nil && t.d.parsedKind == kind {
		return t.d.parsed, nil
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
		return nil, fmt.Errorf("%s: %w", t.Pos(), err)
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
