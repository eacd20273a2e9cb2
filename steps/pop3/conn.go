package pop3

import (
	"context"
	"fmt"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
)

// Reply is a POP3 reply: `ok`, `enhanced`, `text` and, for a multi-line
// reply, `lines`.
type Reply struct {
	// OK is true for +OK, false for -ERR.
	OK bool `expr:"ok" json:"ok"`
	// Enhanced is the extended response code of RFC 2449 that opens the
	// text, without its brackets, such as "AUTH", "IN-USE" or "SYS/TEMP";
	// "" when there is none. It plays the part of SMTP's enhanced code.
	Enhanced string `expr:"enhanced" json:"enhanced"`
	// Text is the rest of the status line, after the response code, such
	// as "2 320" for STAT.
	Text string `expr:"text" json:"text"`
	// Lines are the lines after the status line of a multi-line reply
	// (CAPA, LIST, UIDL, RETR, TOP), dot-unstuffed, without their endings
	// and the final "."; empty otherwise.
	Lines []string `expr:"lines" json:"lines"`

	// raw is the status line as received, for a mismatch.
	raw []byte
}

// String renders the status line: "+OK 2 320", "-ERR [AUTH] no".
func (r Reply) String() string {
	s := "-ERR"
	if r.OK {
		s = "+OK"
	}
	if r.Enhanced != "" {
		s += " [" + r.Enhanced + "]"
	}
	if r.Text != "" {
		s += " " + r.Text
	}
	return s
}

// parseStatus reads a status line: "+OK text" or "-ERR [CODE] text".
func parseStatus(line string) (Reply, bool) {
	word, text, _ := strings.Cut(line, " ")
	r := Reply{Text: strings.TrimSpace(text), Lines: []string{}, raw: []byte(line)}
	switch strings.ToUpper(word) {
	case "+OK":
		r.OK = true
	case "-ERR":
	default:
		return r, false
	}
	if rest, ok := strings.CutPrefix(r.Text, "["); ok {
		// RFC 2449 section 8: resp-code = "[" resp-level *("/" resp-level) "]"
		if code, after, found := strings.Cut(rest, "]"); found && code != "" && !strings.ContainsAny(code, " []") {
			r.Enhanced, r.Text = code, strings.TrimSpace(after)
		}
	}
	return r, true
}

// conn is an open POP3 connection.
type conn struct {
	lp     *lineproto.Conn
	remote string
	// awaiting are the commands written by send: { line } whose replies
	// no expect has read yet, oldest first.
	awaiting []string
	// marked counts the messages marked for deletion in this session.
	marked int
	// broken says why the dialogue is out of step (a multi-line reply was
	// cut off), or nil.
	broken error
}

// usable fails when the connection can no longer carry commands.
func (c *conn) usable() error {
	err := c.broken
	if err == nil {
		err = c.lp.Err()
	}
	if err != nil {
		// %v: a check failure that broke the connection fails its own step;
		// a later step is an error, it cannot run.
		return fmt.Errorf("the POP3 connection to %s cannot be used: %v", c.remote, err)
	}
	return nil
}

// status reads a status line.
func (c *conn) status(ctx context.Context, s *engine.Session) (Reply, error) {
	line, err := c.lp.ReadLine(ctx, s)
	if err != nil {
		return Reply{}, err
	}
	r, ok := parseStatus(line)
	if !ok {
		return r, &engine.Mismatch{Msg: fmt.Sprintf("expected a POP3 reply (+OK or -ERR), got %q", line), Received: []byte(line)}
	}
	return r, nil
}

// command sends line and reads its reply; when multi is true and the reply
// is +OK, also the dot-terminated block after it, at most max bytes. It
// returns the block's bytes, dot-unstuffed, with their line endings.
func (c *conn) command(ctx context.Context, s *engine.Session, line string, multi bool, max int) (Reply, []byte, error) {
	return c.commandSized(ctx, s, line, multi, max, 0)
}

// commandSized is command for a block whose size LIST gave (RETR): its
// buffer starts at that size (lineproto.ReadDotBlockSize).
func (c *conn) commandSized(ctx context.Context, s *engine.Session, line string, multi bool, max, size int) (Reply, []byte, error) {
	if err := c.usable(); err != nil {
		return Reply{}, nil, err
	}
	if len(c.awaiting) > 0 {
		return Reply{}, nil, fmt.Errorf("%s: the reply to %s, sent with send: { line }, has not been read yet: expect it first",
			verbOf(line), verbOf(c.awaiting[0]))
	}
	if err := c.lp.WriteLine(ctx, s, line); err != nil {
		return Reply{}, nil, fmt.Errorf("%s: %w", verbOf(line), err)
	}
	r, block, err := c.reply(ctx, s, line, multi, max, size)
	if err != nil {
		return r, nil, fmt.Errorf("%s: %w", verbOf(line), err)
	}
	return r, block, nil
}

// reply reads the reply to line: the status line and, when multi is true
// and the status is +OK, the dot-terminated block after it. Lines is left
// empty: callers that show the lines split the block (lineproto.SplitLines),
// and those that parse a message do not copy it into lines.
func (c *conn) reply(ctx context.Context, s *engine.Session, line string, multi bool, max, size int) (Reply, []byte, error) {
	r, err := c.status(ctx, s)
	if err != nil || !r.OK || !multi {
		return r, nil, err
	}
	block, err := c.lp.ReadDotBlockSize(ctx, s, max, size)
	if err != nil {
		c.broken = fmt.Errorf("the reply to %s was cut off: %w", verbOf(line), err)
		return r, nil, err
	}
	return r, block, nil
}

// verbOf returns the command word of line, upper case, for messages.
func verbOf(line string) string {
	w, _, _ := strings.Cut(strings.TrimSpace(line), " ")
	return strings.ToUpper(w)
}

// isMulti reports whether a +OK reply to line is multi-line: CAPA, LIST
// and UIDL without an argument, RETR and TOP.
func isMulti(line string) bool {
	f := strings.Fields(line)
	if len(f) == 0 {
		return false
	}
	switch strings.ToUpper(f[0]) {
	case "CAPA", "RETR", "TOP":
		return true
	case "LIST", "UIDL":
		return len(f) == 1
	}
	return false
}

// Close sends QUIT, which makes the server remove the messages marked for
// deletion, and closes the connection. It fails only when messages were
// marked and the server did not confirm QUIT, since they were then
// possibly not removed.
func (c *conn) Close(ctx context.Context) error {
	defer func() { _ = c.lp.NetConn().Close() }()
	if c.usable() != nil {
		return c.unconfirmed("the connection was unusable, so QUIT was not sent")
	}
	if err := c.lp.WriteLine(ctx, nil, "QUIT"); err != nil {
		return c.unconfirmed(fmt.Sprintf("QUIT: %v", err))
	}
	r, err := c.status(ctx, nil)
	switch {
	case err != nil:
		return c.unconfirmed(fmt.Sprintf("QUIT: %v", err))
	case !r.OK:
		return c.unconfirmed(fmt.Sprintf("QUIT: the server answered %s", r))
	}
	return nil
}

// unconfirmed is the error of a QUIT that failed, when it matters.
func (c *conn) unconfirmed(why string) error {
	if c.marked == 0 {
		return nil
	}
	return fmt.Errorf("%s; %d messages marked for deletion on %s were possibly not removed", why, c.marked, c.remote)
}
