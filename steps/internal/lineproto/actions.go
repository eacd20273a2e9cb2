package lineproto

import (
	"context"
	"fmt"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// Talker is a connection that carries a Dialogue: the target of
// CommandAction and ExpectAction.
type Talker[R any] interface {
	// Dialogue returns the connection's dialogue.
	Dialogue() *Dialogue[R]
}

// CommandAction is send: { command } (Reply is true) or send: { line } on
// a connection C whose replies are R.
type CommandAction[R any, C Talker[R]] struct {
	// Text is the command line.
	Text engine.Template
	// Reply makes the action read the reply (command); otherwise the reply
	// is left for expect (line).
	Reply bool
	// Lines lets Text hold several lines (see Request.Text).
	Lines bool
	// Max caps the data block after a reply (see Request.Max).
	Max int
	// Check, when set, vets the line before it is sent.
	Check func(line string) error
	// Done, when set, completes a reply read without error with its data
	// block (POP3's lines, NNTP's data) and keeps what the plugin needs
	// of it.
	Done func(c C, line string, r *R, block []byte)
}

// Result is the zero R for a command, a wire.SendResult for a line
// (engine.TypedAction).
func (a *CommandAction[R, C]) Result() any {
	if a.Reply {
		var r R
		return r
	}
	return wire.SendResult{}
}

// Do writes the line and, for a command, reads its reply, the result.
func (a *CommandAction[R, C]) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[C](s)
	if err != nil {
		return nil, err
	}
	line, err := a.Text.String(s)
	if err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	if a.Check != nil {
		if err := a.Check(line); err != nil {
			return nil, err
		}
	}
	RegisterPassword(s, line)
	d := c.Dialogue()
	defer d.bind(ctx, s)()
	req := Request{Line: line, Text: a.Lines, Max: a.Max}
	if !a.Reply {
		return d.Send(ctx, s, req)
	}
	r, block, err := d.Command(ctx, s, req)
	if err != nil {
		return nil, err
	}
	if a.Done != nil {
		a.Done(c, line, &r, block)
	}
	return r, nil
}

// ExpectAction is expect on a 3-digit protocol whose connections are C
// and replies R: the next reply of the dialogue (see Dialogue.Next),
// checked against Expect. The reply is the result, also when it does not
// match.
type ExpectAction[R any, C Talker[R]] struct {
	engine.Returns[R]
	Expect *Expect
	// Max caps the data block after a reply.
	Max int
	// View completes r with its data block and returns its 3-digit reply;
	// nil when R is Reply.
	View func(r *R, block []byte) Reply
}

// DecodeExpectAction compiles expect (DecodeExpect) for ExpectAction,
// whose result is R. On an error it returns the action all the same, for
// its result type.
func DecodeExpectAction[R any, C Talker[R]](d *engine.Decoder, max int, view func(r *R, block []byte) Reply) (engine.TypedAction, error) {
	e, err := DecodeExpect(d)
	return &ExpectAction[R, C]{Expect: e, Max: max, View: view}, err
}

// Do reads the next reply and checks its code and text.
func (a *ExpectAction[R, C]) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[C](s)
	if err != nil {
		return nil, err
	}
	code, err := a.Expect.pattern(s)
	if err != nil {
		return nil, err
	}
	d := c.Dialogue()
	defer d.bind(ctx, s)()
	r, block, _, err := d.Next(ctx, s, a.Max)
	if err != nil {
		return nil, err
	}
	var reply Reply
	if a.View != nil {
		reply = a.View(&r, block)
	} else {
		reply, _ = any(r).(Reply)
	}
	return r, a.Expect.Check(s, code, reply)
}

// CommandForm returns the action of send's form command or line, a copy
// of a with its Text and Reply set, and names the step ("smtp send
// \"NOOP\"", "smtp send line \"NOOP\""); nil for another form. command and
// line are the values of the two keys, as loaded.
func CommandForm[R any, C Talker[R]](d *engine.Decoder, form string, command, line *engine.Template, a CommandAction[R, C]) *CommandAction[R, C] {
	switch form {
	case "command":
		a.Text, a.Reply = *command, true
		d.Name = d.Scheme + " send " + CommandName(command.Source())
	case "line":
		a.Text, a.Reply = *line, false
		d.Name = d.Scheme + " send line " + CommandName(line.Source())
	default:
		return nil
	}
	return &a
}
