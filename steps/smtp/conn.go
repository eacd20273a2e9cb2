package smtp

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
)

// quitWait bounds how long Close waits for the reply to QUIT.
const quitWait = 2 * time.Second

// conn is an open SMTP session.
type conn struct {
	lp *lineproto.Conn
	d  *lineproto.Dialogue[lineproto.Reply]
	// caps are the lines of the last EHLO reply after the first.
	caps []string
	tls  bool
}

func newConn(nc net.Conn, isTLS bool) *conn {
	lp := lineproto.New(nc, 0)
	d := lineproto.NewDialogue(lp, lineproto.Replies[lineproto.Reply]{Read: (*lineproto.Conn).ReadReply}, "SMTP", nc.RemoteAddr().String())
	// The callers say which command failed.
	d.Explain = func(_ string, err error) error { return err }
	return &conn{lp: lp, d: d, tls: isTLS}
}

// Dialogue returns the session's dialogue (lineproto.Talker).
func (c *conn) Dialogue() *lineproto.Dialogue[lineproto.Reply] { return c.d }

// Close says QUIT and waits for its reply (within ctx, and at most
// quitWait), then closes the socket. A server that left first, or does not
// answer, is not an error: the connection is closed whatever it did.
func (c *conn) Close(ctx context.Context) error {
	_, _ = c.d.Quit(ctx, quitWait)
	return lineproto.CloseConn(ctx, c.lp.NetConn(), c.tls)
}

// has reports whether the server listed the extension keyword (such as
// STARTTLS or SIZE) in its EHLO reply.
func (c *conn) has(keyword string) bool {
	_, ok := c.capability(keyword)
	return ok
}

// capability returns the parameters of an extension, such as "PLAIN LOGIN"
// for AUTH, and whether the server listed it (lineproto.Capability).
// AUTH=PLAIN, an old form, counts as AUTH PLAIN when no line is AUTH.
func (c *conn) capability(keyword string) (string, bool) {
	params, ok := lineproto.Capability(c.caps, keyword)
	if ok || keyword != "AUTH" {
		return params, ok
	}
	for _, line := range c.caps {
		name, params, _ := strings.Cut(strings.TrimSpace(line), " ")
		if strings.HasPrefix(strings.ToUpper(name), "AUTH=") {
			return name[len("AUTH="):] + " " + params, true
		}
	}
	return "", false
}

// command writes line and reads the reply.
func (c *conn) command(ctx context.Context, s *engine.Session, line string) (lineproto.Reply, error) {
	r, _, err := c.d.Command(ctx, s, lineproto.Request{Line: line})
	return r, err
}

// rejected is the failure of a command whose reply is not of the class
// wanted: it shows the reply.
func rejected(what string, r lineproto.Reply) error {
	return &engine.Mismatch{Msg: fmt.Sprintf("%s: %s", what, r), Received: r.Raw()}
}

// reset sends RSET after a refused command, so that the session is clean
// for the steps that follow; its outcome does not matter.
func (c *conn) reset(ctx context.Context, s *engine.Session) {
	if c.d.Ready("RSET") == nil && ctx.Err() == nil {
		_, _ = c.command(ctx, s, "RSET")
	}
}
