package nntp

import (
	"context"
	"fmt"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
)

// Reply is an NNTP response: the status line as lineproto gives every
// reply (`code`, `enhanced`, `text`, `lines`) and `data`, the lines of the
// data block of a multi-line response.
type Reply struct {
	lineproto.Reply
	// Data are the lines of the data block that follows a multi-line
	// response, dot-unstuffed, without their line ends and the final ".";
	// empty for a one-line response.
	Data []string `expr:"data" json:"data"`
}

// quitWait bounds how long Close waits for the reply to QUIT.
const quitWait = 2 * time.Second

// conn is an open NNTP session.
type conn struct {
	lp  *lineproto.Conn
	d   *lineproto.Dialogue[Reply]
	tls bool
	// caps are the capabilities last listed (CAPABILITIES); nil when the
	// server does not know the command.
	caps []string
}

// newConn starts the dialogue on lp with the server at remote.
func newConn(lp *lineproto.Conn, remote string, isTLS bool) *conn {
	d := lineproto.NewDialogue(lp, lineproto.Replies[Reply]{
		Read: func(lp *lineproto.Conn, ctx context.Context, s *engine.Session) (Reply, error) {
			st, err := lp.ReadStatus(ctx, s)
			return Reply{Reply: st, Data: []string{}}, err
		},
		Block: func(line string, r Reply) bool { return multiLine(line, r.Code) },
	}, "NNTP", remote)
	d.Noun = "response"
	return &conn{lp: lp, d: d, tls: isTLS}
}

// command sends line and reads its response, with the data block of a
// multi-line response, at most max bytes. It returns the block's bytes,
// dot-unstuffed, with their line endings. Data is left empty: callers
// that show the lines split the block (lineproto.SplitLines), and
// ARTICLE, which parses it, does not copy it into lines.
func (c *conn) command(ctx context.Context, s *engine.Session, line string, max int) (Reply, []byte, error) {
	return c.d.Command(ctx, s, lineproto.Request{Line: line, Max: max})
}

// multiLine reports whether a response with code to the command line is
// followed by a data block (RFC 3977 and RFC 2980): 211 only for
// LISTGROUP (GROUP's 211 is one line).
func multiLine(line string, code int) bool {
	switch code {
	case 100, 101, 215, 220, 221, 222, 224, 225, 230, 231, 282:
		return true
	case 211:
		return lineproto.Verb(line) == "LISTGROUP"
	}
	return false
}

// refused is the failure of a command whose response is not the one
// needed: it shows the response.
func refused(what string, r Reply) error {
	return &engine.Mismatch{Msg: fmt.Sprintf("%s: the server answered %s", what, r), Received: r.Raw()}
}

// has reports whether the server listed the capability name (the first
// word of a line, any case).
func (c *conn) has(name string) bool { return lineproto.HasCapability(c.caps, name) }

// Dialogue returns the session's dialogue (lineproto.Talker).
func (c *conn) Dialogue() *lineproto.Dialogue[Reply] { return c.d }

// Close says QUIT and waits for its reply (within ctx, and at most
// quitWait), then closes the socket. A server that left first, or does
// not answer, is not an error.
func (c *conn) Close(ctx context.Context) error {
	_, _ = c.d.Quit(ctx, quitWait)
	return lineproto.CloseConn(ctx, c.lp.NetConn(), c.tls)
}
