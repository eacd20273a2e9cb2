package imap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// CommandResult is the result of send: { command }: the server's
// responses to one command that netrun wrote as it was given.
type CommandResult struct {
	// Tag is the tag netrun gave the command, such as N1.
	Tag string `expr:"tag" json:"tag"`
	// Status is OK, NO or BAD, from the tagged response.
	Status string `expr:"status" json:"status"`
	// OK is true when Status is OK.
	OK bool `expr:"ok" json:"ok"`
	// Text is the rest of the tagged response, a response code in
	// brackets included: "[READ-WRITE] SELECT completed".
	Text string `expr:"text" json:"text"`
	// Lines are the untagged responses that came before it, each without
	// its "* "; a literal ({N} and N bytes) stays inside its line, CRLF
	// included.
	Lines []string `expr:"lines" json:"lines"`
}

// refusedCommands are commands that send: { command } cannot carry out
// alone: they change the connection, or wait for more from the client.
var refusedCommands = map[string]string{
	"STARTTLS":     "use connect's starttls: true",
	"AUTHENTICATE": "use connect's auth",
	"IDLE":         "IDLE waits for DONE, which a command of one line cannot send",
	"COMPRESS":     "netrun does not compress the connection",
	"APPEND":       "use send: { append }, which sends the message as a literal",
}

// checkCommand checks a command given as a literal at load time.
func checkCommand(d *engine.Decoder, t *engine.Template, at *yaml.Node) error {
	lit, ok := wire.Literal(t)
	if !ok {
		return nil
	}
	if err := commandError(lit); err != nil {
		return d.Errorf(at, "%v", err)
	}
	return nil
}

// commandError says why line cannot be sent as a command, or nil.
func commandError(line string) error {
	if strings.TrimSpace(line) == "" {
		return errors.New("command is empty: give the command without its tag, such as NOOP or 'SELECT INBOX'")
	}
	if strings.ContainsAny(line, "\r\n") {
		return errors.New("command is one line: it holds a line break")
	}
	verb, _, _ := strings.Cut(strings.TrimSpace(line), " ")
	if why, ok := refusedCommands[strings.ToUpper(verb)]; ok {
		return fmt.Errorf("send: { command } does not take %s: %s", strings.ToUpper(verb), why)
	}
	if strings.HasSuffix(line, "}") {
		return errors.New("command ends with a literal ({N}), which needs the server's go-ahead: send: { command } sends one line")
	}
	return nil
}

// doCommand writes line with a tag of netrun's own and reads every
// response up to the tagged one. The library's reader is parked
// meanwhile, so what the command reads never reaches it.
func (c *conn) doCommand(ctx context.Context, s *engine.Session, t *engine.Template) (any, error) {
	line, err := t.String(s)
	if err != nil {
		return nil, fmt.Errorf("command: %w", err)
	}
	if err := commandError(line); err != nil {
		return nil, err
	}
	lineproto.RegisterPassword(s, line) // LOGIN user password, written in the file
	end, err := c.begin(ctx, s)
	if err != nil {
		return nil, err
	}
	defer end()
	release, err := c.sc.own(ctx)
	var m *engine.Mismatch
	if errors.As(err, &m) {
		c.broken = "a step timed out waiting for the server"
		m.Msg = "command " + line + ": " + m.Msg
		return nil, m
	}
	if err != nil {
		return nil, netconn.Explain(err, "command %s: interrupted", line)
	}
	defer release()
	c.commands++
	tag := "N" + strconv.Itoa(c.commands)
	if _, err := c.sc.Write([]byte(tag + " " + line + "\r\n")); err != nil {
		c.broken = "a command could not be written"
		return nil, &engine.Mismatch{Msg: fmt.Sprintf("command %s: the server closed the connection before the command could be sent", line)}
	}
	res, err := c.sc.readTagged(tag)
	if err != nil {
		c.broken = "a command's responses were not read to their end"
		return nil, c.rawFail(ctx, line, err)
	}
	return res, nil
}

// rawFail words an error of reading a command's responses.
func (c *conn) rawFail(ctx context.Context, line string, err error) error {
	var m *engine.Mismatch
	switch {
	case errors.As(err, &m):
		m.Msg = "command " + line + ": " + m.Msg
		return m
	case wire.IsTimeout(err):
		if errors.Is(ctx.Err(), context.Canceled) {
			return netconn.Explain(ctx.Err(), "command %s: interrupted", line)
		}
		return &engine.Mismatch{Msg: fmt.Sprintf("command %s: no tagged response from the server within %s", line, budget(ctx, c.sc.began))}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &engine.Mismatch{Msg: fmt.Sprintf("command %s: the server closed the connection before its tagged response", line)}
	}
	return fmt.Errorf("command %s: %w", line, wire.ReadError(tlsconf.ClassifyAlert(err)))
}

// own parks the library's reader, which may be blocked in a read (a
// deadline in the past wakes it), and gives the connection to the caller
// until release.
func (c *stepConn) own(ctx context.Context) (release func(), err error) {
	c.mu.Lock()
	parked := make(chan struct{})
	c.owned, c.parked = true, parked
	c.stepped.Broadcast()
	c.mu.Unlock()
	release = func() {
		c.mu.Lock()
		c.owned, c.parked = false, nil
		c.stepped.Broadcast()
		c.mu.Unlock()
	}
	_ = c.raw.SetReadDeadline(time.Now())
	select {
	case <-parked:
	case <-ctx.Done():
		release()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			c.mu.Lock()
			excerpt := bytes.Clone(c.excerpt)
			c.mu.Unlock()
			return nil, &engine.Mismatch{Received: excerpt, Msg: fmt.Sprintf(
				"the server was sending a response nobody asked for, and did not finish it within %s", budget(ctx, c.began))}
		}
		return nil, ctx.Err()
	}
	d, _ := ctx.Deadline()
	_ = c.raw.SetDeadline(d)
	return release, nil
}

// finishResponse is called by the library's reader after a read timed out
// before the step's time was up: a deadline left over, or own() waking
// it. When own() woke it in the middle of a response, the reader gets the
// step's deadline back and reads the response to its end for the library
// before it parks, so that a command never starts reading mid-response.
func (c *stepConn) finishResponse() {
	c.mu.Lock()
	owned, ctx := c.owned, c.ctx
	c.mu.Unlock()
	if !owned || ctx == nil || !c.frame.midResponse() {
		return
	}
	d, _ := ctx.Deadline()
	_ = c.raw.SetReadDeadline(d)
}
