package pop3

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/mailform"
	"go.yaml.in/yaml/v4"
)

// sendSpec is the value of send: one of `{ command: TEXT }`,
// `{ line: TEXT }` or `{ delete: N }`.
type sendSpec struct {
	// Command is written, then its reply is read and is the result.
	Command engine.Template `yaml:"command"`
	// Line is written and no reply is read: an expect step reads it.
	Line engine.Template `yaml:"line"`
	// Delete marks message N for deletion (DELE N); -ERR fails the step.
	Delete engine.Template `yaml:"delete" netrun:"int"`
}

// sendForms names the forms of send, for messages.
const sendForms = "{ command: TEXT }, { line: TEXT } or { delete: N }"

// sends are the forms of send.
var sends = lineproto.Sends[Reply, *conn]{Forms: sendForms, Own: []string{"delete"},
	Command: lineproto.CommandAction[Reply, *conn]{Max: mailform.DefaultMaxSize, Done: withLines}}

// decodeSend compiles send. Without a form, the result is a reply, as
// for a command or delete.
func decodeSend(d *engine.Decoder) (engine.TypedAction, error) {
	var spec sendSpec
	form, a, err := sends.Decode(d, &spec, &spec.Command, &spec.Line, func(string) (engine.TypedAction, bool) {
		return &deleteAction{n: spec.Delete}, spec.Delete.IsSet()
	})
	if err == nil && form == "delete" {
		d.Name = d.Scheme + " delete message " + spec.Delete.Source()
	}
	return a, err
}

// withLines completes a reply with the lines of its block, and counts a
// DELE the server accepted.
func withLines(c *conn, line string, r *Reply, block []byte) {
	r.Lines = lineproto.SplitLines(block)
	c.countDele(line, r.OK)
}

// deleteAction is send: { delete: N }.
type deleteAction struct {
	engine.Returns[Reply]
	n engine.Template
}

// Do marks the message for deletion.
func (a *deleteAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	n, err := a.n.Int(s)
	if err != nil {
		return nil, fmt.Errorf("delete: %w", err)
	}
	if n < 1 {
		return nil, fmt.Errorf("delete: message numbers start at 1, not %d", n)
	}
	return c.dele(ctx, s, n)
}

// countDele counts a DELE the server accepted (ok), so that close can tell
// whether QUIT mattered.
func (c *conn) countDele(line string, ok bool) {
	if ok && lineproto.Verb(line) == "DELE" {
		c.marked++
	}
}

// dele marks message n for deletion; -ERR fails.
func (c *conn) dele(ctx context.Context, s *engine.Session, n int) (Reply, error) {
	r, _, err := c.command(ctx, s, "DELE "+strconv.Itoa(n), 0)
	if err != nil {
		return r, err
	}
	return r, c.deleted(s, n, r)
}

// deleted takes r, the reply to DELE n: it counts the message as marked,
// or fails on -ERR.
func (c *conn) deleted(s *engine.Session, n int, r Reply) error {
	if !r.OK {
		return &engine.Mismatch{Msg: fmt.Sprintf("DELE %d: the server answered %s", n, r), Received: r.raw}
	}
	c.marked++
	s.Note("message %d is marked for deletion; the server removes it at QUIT (close)", n)
	return nil
}

// expectSpec is the value of expect: `{ ok: BOOL, text: REGEX }`, or the
// scalar +OK or -ERR for `{ ok: true }` or `{ ok: false }`.
type expectSpec struct {
	// OK is the status wanted: true for +OK, false for -ERR.
	OK engine.Template `yaml:"ok" netrun:"bool"`
	// Text is a regular expression, unanchored, that the reply's text
	// must match.
	Text engine.Template `yaml:"text" netrun:"regexp"`
}

// plainExpect has the fields of expectSpec without its UnmarshalYAML.
type plainExpect expectSpec

// UnmarshalYAML decodes the scalar or the mapping form.
func (e *expectSpec) UnmarshalYAML(n *yaml.Node) error {
	*e = expectSpec{}
	switch n.Kind {
	case yaml.ScalarNode:
		v := "true"
		switch strings.ToUpper(strings.TrimSpace(n.Value)) {
		case "+OK", "OK", "TRUE":
		case "-ERR", "ERR", "FALSE":
			v = "false"
		default:
			return engine.ErrorAt(n, "expect %q: use +OK or -ERR, or { ok, text }", n.Value)
		}
		ok := *n
		ok.Value, ok.Tag, ok.Style = v, "!!bool", 0
		return e.OK.UnmarshalYAML(&ok)
	case yaml.MappingNode:
		var p plainExpect
		if err := engine.Strict(n, &p); err != nil {
			return err
		}
		*e = expectSpec(p)
		return nil
	}
	return engine.ErrorAt(n, "expect takes +OK or -ERR, or { ok, text }")
}

// expectAction is expect.
type expectAction struct {
	engine.Returns[Reply]
	spec expectSpec
}

// decodeExpect compiles expect.
func decodeExpect(d *engine.Decoder) (engine.TypedAction, error) {
	a := &expectAction{}
	if engine.IsNull(d.Value) {
		return a, d.Errorf(d.Value, "pop3 expect takes +OK or -ERR, or { ok, text }")
	}
	if err := d.Load(d.Value, &a.spec); err != nil {
		return a, err
	}
	var parts []string
	if a.spec.OK.IsSet() {
		parts = append(parts, "ok "+a.spec.OK.Source())
	}
	if a.spec.Text.IsSet() {
		parts = append(parts, "text /"+a.spec.Text.Source()+"/")
	}
	if len(parts) == 0 {
		parts = []string{"any reply"}
	}
	d.Name = d.Scheme + " expect " + strings.Join(parts, ", ")
	return a, nil
}

// Do reads the next reply and matches it. The reply to a command written
// by send: { line } is read as that command's reply (multi-line or not).
func (a *expectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	r, block, cmd, err := c.d.Next(ctx, s, mailform.DefaultMaxSize)
	if err != nil {
		return nil, err
	}
	withLines(c, cmd, &r, block)
	if a.spec.OK.IsSet() {
		want, err := a.spec.OK.Bool(s)
		if err != nil {
			return nil, fmt.Errorf("ok: %w", err)
		}
		if r.OK != want {
			return nil, &engine.Mismatch{Msg: fmt.Sprintf("expected %s, got %s", status(want), r), Received: r.raw}
		}
	}
	if a.spec.Text.IsSet() {
		re, err := a.spec.Text.Regexp(s)
		if err != nil {
			return nil, fmt.Errorf("text: %w", err)
		}
		if !re.MatchString(r.Text) {
			return nil, &engine.Mismatch{Msg: fmt.Sprintf("the reply text %q does not match /%s/", r.Text, re), Received: r.raw}
		}
	}
	return r, nil
}

// status names +OK or -ERR.
func status(ok bool) string {
	if ok {
		return "+OK"
	}
	return "-ERR"
}
