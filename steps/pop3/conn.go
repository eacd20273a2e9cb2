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
	lp *lineproto.Conn
	d  *lineproto.Dialogue[Reply]
	// marked counts the messages marked for deletion in this session.
	marked int
	// pipelining is whether the server listed PIPELINING in its
	// capabilities (RFC 2449): fetch then sends its commands in batches.
	pipelining bool
}

// window is how many commands may be written ahead of their replies.
func (c *conn) window() int {
	if c.pipelining {
		return lineproto.Window
	}
	return 1
}

// newConn starts the dialogue on lp with the server at remote.
func newConn(lp *lineproto.Conn, remote string) *conn {
	return &conn{lp: lp, d: lineproto.NewDialogue(lp, lineproto.Replies[Reply]{
		Read:  readStatus,
		Block: func(line string, r Reply) bool { return r.OK && isMulti(line) },
	}, "POP3", remote)}
}

// readStatus reads a status line.
func readStatus(lp *lineproto.Conn, ctx context.Context, s *engine.Session) (Reply, error) {
	line, err := lp.ReadLine(ctx, s)
	if err != nil {
		return Reply{}, err
	}
	r, ok := parseStatus(line)
	if !ok {
		return r, &engine.Mismatch{Msg: fmt.Sprintf("expected a POP3 reply (+OK or -ERR), got %q", line), Received: []byte(line)}
	}
	return r, nil
}

// command sends line and reads its reply; when the reply is +OK and the
// command has a multi-line reply (isMulti), also the dot-terminated block
// after it, at most max bytes. It returns the block's bytes,
// dot-unstuffed, with their line endings. Lines is left empty: callers
// that show the lines split the block (lineproto.SplitLines), and those
// that parse a message do not copy it into lines.
func (c *conn) command(ctx context.Context, s *engine.Session, line string, max int) (Reply, []byte, error) {
	return c.d.Command(ctx, s, lineproto.Request{Line: line, Max: max})
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

// Dialogue returns the session's dialogue (lineproto.Talker).
func (c *conn) Dialogue() *lineproto.Dialogue[Reply] { return c.d }

// Close sends QUIT, which makes the server remove the messages marked for
// deletion, and closes the connection. It fails only when messages were
// marked and the server did not confirm QUIT, since they were then
// possibly not removed. Closing is bounded by ctx, as smtp's and nntp's
// (lineproto.CloseConn); its error is not one of the step's.
func (c *conn) Close(ctx context.Context) error {
	defer func() { _ = lineproto.CloseConn(ctx, c.lp.NetConn(), false) }()
	r, err := c.d.Quit(ctx, 0)
	switch {
	case err != nil:
		return c.unconfirmed(err.Error())
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
	return fmt.Errorf("%s; %d messages marked for deletion on %s were possibly not removed", why, c.marked, c.d.Remote)
}
