package nntp

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
	lp     *lineproto.Conn
	remote string
	tls    bool
	// caps are the capabilities last listed (CAPABILITIES); nil when the
	// server does not know the command.
	caps []string
	// awaiting are the commands written by send: { line } whose responses
	// no expect has read yet, oldest first.
	awaiting []string
	// broken says why the dialogue is out of step (a data block was cut
	// off), or nil.
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
		return fmt.Errorf("the NNTP connection to %s cannot be used: %v", c.remote, err)
	}
	return nil
}

// command sends line and reads its response, with the data block of a
// multi-line response, at most max bytes. It returns the block's bytes,
// dot-unstuffed, with their line endings.
func (c *conn) command(ctx context.Context, s *engine.Session, line string, max int) (Reply, []byte, error) {
	if err := c.usable(); err != nil {
		return Reply{}, nil, err
	}
	if len(c.awaiting) > 0 {
		return Reply{}, nil, fmt.Errorf("%s: the response to %s, sent with send: { line }, has not been read yet: expect it first",
			verbOf(line), verbOf(c.awaiting[0]))
	}
	if err := c.lp.WriteLine(ctx, s, line); err != nil {
		return Reply{}, nil, fmt.Errorf("%s: %w", verbOf(line), err)
	}
	r, block, err := c.response(ctx, s, line, max)
	if err != nil {
		return r, nil, fmt.Errorf("%s: %w", verbOf(line), err)
	}
	return r, block, nil
}

// response reads the response to the command line: the status line and,
// when the code says one follows, the data block. Data is left empty:
// callers that show the lines split the block (lineproto.SplitLines), and
// ARTICLE, which parses it, does not copy it into lines.
func (c *conn) response(ctx context.Context, s *engine.Session, line string, max int) (Reply, []byte, error) {
	st, err := c.lp.ReadStatus(ctx, s)
	r := Reply{Reply: st, Data: []string{}}
	if err != nil || !multiLine(line, r.Code) {
		return r, nil, err
	}
	block, err := c.lp.ReadDotBlock(ctx, s, max)
	if err != nil {
		c.broken = fmt.Errorf("the response to %s was cut off: %w", verbOf(line), err)
		return r, nil, err
	}
	return r, block, nil
}

// multiLine reports whether a response with code to the command line is
// followed by a data block (RFC 3977 and RFC 2980): 211 only for
// LISTGROUP (GROUP's 211 is one line).
func multiLine(line string, code int) bool {
	switch code {
	case 100, 101, 215, 220, 221, 222, 224, 225, 230, 231, 282:
		return true
	case 211:
		return verbOf(line) == "LISTGROUP"
	}
	return false
}

// verbOf returns the command word of line, upper case, for messages.
func verbOf(line string) string {
	w, _, _ := strings.Cut(strings.TrimSpace(line), " ")
	return strings.ToUpper(w)
}

// refused is the failure of a command whose response is not the one
// needed: it shows the response.
func refused(what string, r Reply) error {
	return &engine.Mismatch{Msg: fmt.Sprintf("%s: the server answered %s", what, r), Received: r.Raw()}
}

// has reports whether the server listed the capability name (the first
// word of a line, any case).
func (c *conn) has(name string) bool {
	for _, line := range c.caps {
		if w, _, _ := strings.Cut(strings.TrimSpace(line), " "); strings.EqualFold(w, name) {
			return true
		}
	}
	return false
}

// Close says QUIT and waits for its reply (within ctx, and at most
// quitWait), then closes the socket. A server that left first, or does
// not answer, is not an error.
func (c *conn) Close(ctx context.Context) error {
	if c.usable() == nil && len(c.awaiting) == 0 {
		qctx, cancel := context.WithTimeout(ctx, quitWait)
		if c.lp.WriteLine(qctx, nil, "QUIT") == nil {
			_, _ = c.lp.ReadStatus(qctx, nil)
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
