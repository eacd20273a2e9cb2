package smtp

import (
	"context"
	"errors"
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
	// caps are the lines of the last EHLO reply after the first.
	caps   []string
	tls    bool
	remote string
}

func newConn(nc net.Conn, isTLS bool) *conn {
	return &conn{lp: lineproto.New(nc, 0), tls: isTLS, remote: nc.RemoteAddr().String()}
}

// Close says QUIT and waits for its reply (within ctx, and at most
// quitWait), then closes the socket. A server that left first, or does not
// answer, is not an error: the connection is closed whatever it did.
func (c *conn) Close(ctx context.Context) error {
	if c.lp.Err() == nil {
		qctx, cancel := context.WithTimeout(ctx, quitWait)
		if c.lp.WriteLine(qctx, nil, "QUIT") == nil {
			_, _ = c.lp.ReadReply(qctx, nil)
		}
		cancel()
	}
	nc := c.lp.NetConn()
	stop := engine.Deadline(ctx, nc)
	defer stop()
	err := nc.Close()
	if err == nil || c.tls || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return fmt.Errorf("close %s: %w", c.remote, err)
}

// has reports whether the server listed the extension keyword (such as
// STARTTLS or SIZE) in its EHLO reply.
func (c *conn) has(keyword string) bool {
	_, ok := c.capability(keyword)
	return ok
}

// capability returns the parameters of an extension, such as "PLAIN LOGIN"
// for AUTH, and whether the server listed it. AUTH=PLAIN, an old form,
// counts as AUTH PLAIN.
func (c *conn) capability(keyword string) (string, bool) {
	for _, line := range c.caps {
		name, params, _ := strings.Cut(strings.TrimSpace(line), " ")
		if keyword == "AUTH" && strings.HasPrefix(strings.ToUpper(name), "AUTH=") {
			return name[len("AUTH="):] + " " + params, true
		}
		if strings.EqualFold(name, keyword) {
			return params, true
		}
	}
	return "", false
}

// command writes line and reads the reply.
func (c *conn) command(ctx context.Context, s *engine.Session, line string) (lineproto.Reply, error) {
	if err := c.lp.WriteLine(ctx, s, line); err != nil {
		return lineproto.Reply{}, err
	}
	return c.lp.ReadReply(ctx, s)
}

// rejected is the failure of a command whose reply is not of the class
// wanted: it shows the reply.
func rejected(what string, r lineproto.Reply) error {
	return &engine.Mismatch{Msg: fmt.Sprintf("%s: %s", what, r), Received: r.Raw()}
}

// reset sends RSET after a refused command, so that the session is clean
// for the steps that follow; its outcome does not matter.
func (c *conn) reset(ctx context.Context, s *engine.Session) {
	if c.lp.Err() == nil && ctx.Err() == nil {
		_, _ = c.command(ctx, s, "RSET")
	}
}
