package smtp

import (
	"context"
	"fmt"
	netmail "net/mail"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/mail"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/mailform"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// mailAction is send: { mail }.
type mailAction struct {
	engine.Returns[MailResult]
	mail *mailform.Mail
}

// Do builds the message and runs the transaction: MAIL FROM, RCPT TO for
// each recipient, DATA, the message. A reply of the wrong class fails the
// step with that reply, after RSET; the result holds the replies so far.
func (a *mailAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	spec, err := a.mail.Spec(s)
	if err != nil {
		return nil, err
	}
	from, err := envelope("from", spec.From)
	if err != nil {
		return nil, err
	}
	var rcpts []string
	seen := map[string]bool{}
	for _, list := range [][]string{spec.To, spec.Cc, spec.Bcc} {
		for _, v := range list {
			addr, err := envelope("recipient", v)
			if err != nil {
				return nil, err
			}
			if !seen[strings.ToLower(addr)] {
				seen[strings.ToLower(addr)] = true
				rcpts = append(rcpts, addr)
			}
		}
	}
	if len(rcpts) == 0 {
		return nil, fmt.Errorf("send mail: no recipient: to, cc and bcc are all empty")
	}
	raw, id, err := mail.Build(spec)
	if err != nil {
		return nil, fmt.Errorf("build the mail: %w", err)
	}
	res := MailResult{MessageID: id, Size: len(raw)}
	err = c.transaction(ctx, s, from, rcpts, raw, &res)
	return res, err
}

// transaction runs MAIL, RCPT, DATA and the message, recording each reply.
func (c *conn) transaction(ctx context.Context, s *engine.Session, from string, rcpts []string, raw []byte, res *MailResult) error {
	if err := c.envelope(ctx, s, "MAIL FROM:<"+from+">"+c.mailParams(from, rcpts, raw), rcpts, res); err != nil {
		return err
	}
	r, err := c.command(ctx, s, "DATA")
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	res.add(r)
	if r.Class() != 3 {
		c.reset(ctx, s)
		return rejected("DATA refused", r)
	}
	if err := c.lp.WriteDotBlock(ctx, s, raw); err != nil {
		return fmt.Errorf("sending the message (%s) after DATA: %w", bytesize.Format(len(raw)), err)
	}
	if r, err = c.lp.ReadReply(ctx, s); err != nil {
		return fmt.Errorf("the reply to the message (%s) after DATA: %w", bytesize.Format(len(raw)), err)
	}
	res.add(r)
	if r.Class() != 2 {
		c.reset(ctx, s)
		return rejected("the message was refused", r)
	}
	return nil
}

// envelope sends mail, the MAIL FROM line, and RCPT TO for each of rcpts,
// recording each reply. On a server that lists PIPELINING (RFC 2920) they
// go in groups of up to lineproto.Window, before their replies are read; DATA is not in the group, so
// that a refused recipient still stops the mail before it is sent. A
// reply that is not 2xx fails, after RSET, with the first such reply.
func (c *conn) envelope(ctx context.Context, s *engine.Session, mail string, rcpts []string, res *MailResult) error {
	group := []lineproto.Request{{Line: mail}}
	for _, to := range rcpts {
		group = append(group, lineproto.Request{Line: "RCPT TO:<" + to + ">"})
	}
	window := 1
	if c.has("PIPELINING") {
		window = lineproto.Window
	}
	read := 0
	var refused error
	err := c.d.Pipeline(ctx, s, group, window, func(i int, r lineproto.Reply, _ []byte) error {
		read++
		if refused != nil {
			res.Replies = append(res.Replies, r) // Reply stays the first refusal
			return refused
		}
		res.add(r)
		if r.Class() != 2 {
			refused = rejected(group[i].Line+" refused", r)
		}
		return refused
	})
	switch {
	case refused != nil:
		c.reset(ctx, s)
		return refused
	case err != nil:
		return fmt.Errorf("%s: %w", group[min(read, len(group)-1)].Line, err)
	}
	return nil
}

// mailParams returns the MAIL FROM parameters the server's extensions call
// for: SIZE, BODY=8BITMIME for 8-bit data, SMTPUTF8 for non-ASCII
// addresses.
func (c *conn) mailParams(from string, rcpts []string, raw []byte) string {
	var p string
	if c.has("SIZE") {
		p += fmt.Sprintf(" SIZE=%d", len(raw))
	}
	if c.has("8BITMIME") && !isASCII(raw) {
		p += " BODY=8BITMIME"
	}
	if c.has("SMTPUTF8") && !isASCII(from+strings.Join(rcpts, "")) {
		p += " SMTPUTF8"
	}
	return p
}

// isASCII reports whether s, a string or the bytes of a message (not
// copied), holds only ASCII.
func isASCII[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// envelope returns the address of v, which may have a display name:
// "Bob <bob@example.test>" gives bob@example.test.
func envelope(what, v string) (string, error) {
	a, err := netmail.ParseAddress(v)
	if err != nil {
		return "", fmt.Errorf("%s %s is not an address: %w", what, wire.Short(v), err)
	}
	return a.Address, nil
}
