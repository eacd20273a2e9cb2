package wire

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

// Expect is the configuration of an expect step on a byte stream or a
// datagram socket. A scalar `expect: TEXT` means `{ contains: TEXT }`. See
// the package documentation for what each key does.
type Expect struct {
	// Framing: at most one of Line, Until, Bytes and Closed.
	Line       bool            `yaml:"line"`
	LineEnding engine.Template `yaml:"line_ending"`
	Until      engine.Template `yaml:"until"`
	Bytes      engine.Template `yaml:"bytes" netrun:"int"`
	Closed     bool            `yaml:"closed"`
	// Partial, beside a framing, takes the data received so far as the
	// frame when the frame's end does not come: the peer closes, or the
	// step timeout passes.
	Partial bool `yaml:"partial"`
	// Matching: at most one of Equals, Contains and Match; Reject beside
	// any of them.
	Equals   engine.Template `yaml:"equals"`
	Contains engine.Template `yaml:"contains"`
	Match    engine.Template `yaml:"match" netrun:"regexp"`
	Reject   engine.Template `yaml:"reject" netrun:"regexp"`
	// Nothing passes when no data arrives within the step timeout; it
	// takes no other key.
	Nothing bool `yaml:"nothing"`

	// keys are the key nodes of the mapping form, for positioned errors.
	keys map[string]*yaml.Node
	// node is the expect's value node.
	node *yaml.Node
	// fixed is the Matcher of an expect without {{ }}, built once by
	// loaded; each step reads with a copy.
	fixed *Matcher
}

// plainExpect has the fields of Expect without its UnmarshalYAML.
type plainExpect Expect

// UnmarshalYAML decodes the scalar or mapping form and checks which keys go
// together.
func (e *Expect) UnmarshalYAML(n *yaml.Node) error {
	*e = Expect{node: n, keys: map[string]*yaml.Node{}}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" || n.Value == "" {
			return engine.ErrorAt(n, "expect needs text to wait for, or a mapping such as { line: true, equals: OK }")
		}
		return e.Contains.UnmarshalYAML(n)
	case yaml.MappingNode:
	default:
		return engine.ErrorAt(n, "expect takes text to wait for, or a mapping such as { line: true, equals: OK }")
	}
	var p plainExpect
	err := engine.Strict(n, &p)
	p.node, p.keys = n, e.keys
	*e = Expect(p) // kept on error too, so that its templates are checked as well
	if err != nil {
		return err
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		e.keys[n.Content[i].Value] = n.Content[i]
	}
	return e.check()
}

// check reports keys that do not go together, and literal values that
// cannot work.
func (e *Expect) check() error {
	var errs engine.ErrorList
	add := func(key, msg string) { errs = append(errs, engine.ErrorAt(e.keys[key], "%s", msg)) }
	if e.Nothing {
		given := e.given("line", "line_ending", "until", "bytes", "closed", "partial", "equals", "contains", "match", "reject")
		if len(given) > 0 {
			add(given[0], fmt.Sprintf("nothing: true waits for silence; it cannot go with %s", given[0]))
			return errs
		}
		return nil
	}
	if f := e.given("line", "until", "bytes", "closed"); len(f) > 1 {
		add(f[1], fmt.Sprintf("%s and %s both frame the data: use one of line, until, bytes or closed", f[0], f[1]))
	}
	if f := e.given("equals", "contains", "match"); len(f) > 1 {
		add(f[1], fmt.Sprintf("%s and %s both match the data: use one of equals, contains or match", f[0], f[1]))
	}
	if e.set("partial") && len(e.given("line", "until", "bytes", "closed")) == 0 {
		add("partial", "partial goes with a framing (line, until, bytes or closed): it says what to take when the frame's end does not come")
	}
	if e.set("line_ending") && !e.Line {
		add("line_ending", "line_ending goes with line: true")
	}
	errs = append(errs, e.checkValues()...)
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// checkValues checks the literal values of line_ending, until and bytes.
func (e *Expect) checkValues() engine.ErrorList {
	var errs engine.ErrorList
	if v, ok := literal(e.node, "line_ending"); ok && e.set("line_ending") {
		if _, err := ParseLineEnding(v.Value); err != nil {
			errs = append(errs, engine.ErrorAt(v, "%s", err))
		}
	}
	if v, ok := literal(e.node, "until"); ok && v.Value == "" {
		errs = append(errs, engine.ErrorAt(v, "until needs the delimiter to read up to"))
	}
	if v, ok := literal(e.node, "bytes"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v.Value)); err == nil && n <= 0 {
			errs = append(errs, engine.ErrorAt(v, "bytes must be 1 or more"))
		}
	}
	return errs
}

// set reports whether key was given: true for the booleans, present for
// the others.
func (e *Expect) set(key string) bool {
	switch key {
	case "line":
		return e.Line
	case "closed":
		return e.Closed
	case "nothing":
		return e.Nothing
	case "partial":
		return e.Partial
	}
	return e.keys[key] != nil
}

// given returns those of keys that were given, in their order.
func (e *Expect) given(keys ...string) []string {
	var out []string
	for _, k := range keys {
		if e.set(k) {
			out = append(out, k)
		}
	}
	return out
}

// CheckDatagram reports, at load time, the framing keys that a datagram
// protocol does not take: a datagram is its own frame. n is the expect's
// value node (an Expect drops its nodes once decoded).
func CheckDatagram(n *yaml.Node, scheme string) error {
	var errs engine.ErrorList
	for _, k := range []string{"line", "line_ending", "until", "bytes", "closed", "partial"} {
		if key := engine.MapKey(n, k); key != nil {
			errs = append(errs, engine.ErrorAt(key, "%s expects one datagram at a time: %s does not apply (match with equals, contains or match)", scheme, k))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Describe renders the expect for a step's default name, such as
// `line equals "OK"` or `"220"` for the scalar form.
func (e *Expect) Describe() string {
	if e.node != nil && e.node.Kind == yaml.ScalarNode {
		return Short(e.Contains.Source())
	}
	var parts []string
	switch {
	case e.Nothing:
		return "nothing"
	case e.Line:
		parts = append(parts, "line")
	case e.Until.IsSet():
		parts = append(parts, "until "+Short(e.Until.Source()))
	case e.Bytes.IsSet():
		parts = append(parts, e.Bytes.Source()+" bytes")
	case e.Closed:
		parts = append(parts, "closed")
	}
	if e.Partial && len(parts) > 0 {
		parts[0] += " (or partial)"
	}
	switch {
	case e.Equals.IsSet():
		parts = append(parts, "equals "+Short(e.Equals.Source()))
	case e.Contains.IsSet():
		parts = append(parts, "contains "+Short(e.Contains.Source()))
	case e.Match.IsSet():
		parts = append(parts, "match /"+e.Match.Source()+"/")
	}
	if len(parts) == 0 {
		return "data"
	}
	return strings.Join(parts, " ")
}

// loaded is called once the expect is decoded and checked (by
// DecodeExpect): it drops the YAML nodes, which only loading needs (they
// hold the file), and when no template has {{ }} builds the Matcher, and
// works out its search windows, once instead of at every step.
func (e *Expect) loaded() {
	e.keys, e.node = nil, nil
	for _, t := range []*engine.Template{&e.LineEnding, &e.Until, &e.Bytes, &e.Equals, &e.Contains, &e.Match, &e.Reject} {
		if _, lit := t.Literal(); t.IsSet() && !lit {
			return
		}
	}
	m, err := e.resolve(nil)
	if err != nil {
		return
	}
	// Work out the search windows once too: each copy inherits them.
	if m.match != nil {
		m.matchScan.learn(m.match)
	}
	if m.reject != nil {
		m.rejectScan.learn(m.reject)
	}
	e.fixed = m
}

// Resolve evaluates the templates of the expect into a Matcher.
func (e *Expect) Resolve(s *engine.Session) (*Matcher, error) {
	if e.fixed != nil {
		m := *e.fixed
		return &m, nil
	}
	return e.resolve(s)
}

// resolve builds the Matcher; s may be nil when every template is literal.
func (e *Expect) resolve(s *engine.Session) (*Matcher, error) {
	m := &Matcher{nothing: e.Nothing, partial: e.Partial}
	if err := e.resolveFrame(s, m); err != nil {
		return nil, err
	}
	var err error
	if m.equals, err = evalText(s, "equals", &e.Equals); err != nil {
		return nil, err
	}
	if m.contains, err = evalText(s, "contains", &e.Contains); err != nil {
		return nil, err
	}
	if m.match, err = evalRegexp(s, "match", &e.Match); err != nil {
		return nil, err
	}
	if m.reject, err = evalRegexp(s, "reject", &e.Reject); err != nil {
		return nil, err
	}
	return m, nil
}

// resolveFrame evaluates the framing into m: line (and line_ending),
// until, bytes or closed; none leaves the stream frame.
func (e *Expect) resolveFrame(s *engine.Session, m *Matcher) error {
	var err error
	switch {
	case e.Line:
		m.frame = frameLine
		if e.LineEnding.IsSet() {
			if m.delim, err = EvalLineEnding(s, &e.LineEnding, ""); err != nil {
				return fmt.Errorf("expect: %w", err)
			}
		}
	case e.Until.IsSet():
		m.frame = frameUntil
		d, err := evalText(s, "until", &e.Until)
		if err != nil {
			return err
		}
		if *d == "" {
			return fmt.Errorf("expect until: the delimiter is empty")
		}
		m.delim = *d
	case e.Bytes.IsSet():
		m.frame = frameBytes
		if m.count, err = e.Bytes.Int(s); err != nil {
			return fmt.Errorf("expect bytes: %w", err)
		}
		if m.count <= 0 {
			return fmt.Errorf("expect bytes: %d is not 1 or more", m.count)
		}
	case e.Closed:
		m.frame = frameClosed
	}
	return nil
}

// evalText evaluates the key name of an expect: nil when it is not set.
func evalText(s *engine.Session, name string, t *engine.Template) (*string, error) {
	if !t.IsSet() {
		return nil, nil
	}
	v, err := t.String(s)
	if err != nil {
		return nil, fmt.Errorf("expect %s: %w", name, err)
	}
	return &v, nil
}

// evalRegexp evaluates the regular expression of the key name of an
// expect: nil when it is not set.
func evalRegexp(s *engine.Session, name string, t *engine.Template) (*regexp.Regexp, error) {
	if !t.IsSet() {
		return nil, nil
	}
	r, err := t.Regexp(s)
	if err != nil {
		return nil, fmt.Errorf("expect %s: %w", name, err)
	}
	return r, nil
}
