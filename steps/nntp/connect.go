package nntp

import (
	"context"
	"crypto/tls"
	"fmt"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
)

// ConnectResult is the result of connect: the fields of every connect
// result (`remote`, `local`, `duration`, `tls`), the greeting, the
// capabilities and whether posting is allowed.
type ConnectResult struct {
	netconn.ConnectResult
	// Greeting is the server's first reply, such as 200 news.example.test
	// InterNetNews NNRP server ready (posting ok).
	Greeting lineproto.Reply `expr:"greeting" json:"greeting"`
	// Capabilities are the lines of the last CAPABILITIES response, once
	// the session is set up (after MODE READER, STARTTLS and AUTHINFO), as
	// the server wrote them: "VERSION 2", "READER", "OVER", "POST",
	// "LIST ACTIVE NEWSGROUPS". Empty when the server does not know
	// CAPABILITIES.
	Capabilities []string `expr:"capabilities" json:"capabilities"`
	// PostingAllowed tells whether this session may post: POST among the
	// capabilities when the server lists them, else the code of the
	// greeting or of MODE READER (200 yes, 201 no).
	PostingAllowed bool `expr:"posting_allowed" json:"posting_allowed"`
	// ModeReader is true when MODE READER was sent, because the server
	// listed MODE-READER and not READER.
	ModeReader bool `expr:"mode_reader" json:"mode_reader"`
}

// connectAction is connect.
type connectAction struct {
	engine.Returns[ConnectResult]
	*netconn.Login
}

// Do connects, reads the greeting and the capabilities, switches to
// reader mode when needed, starts TLS as asked and logs in. Once
// connected, the result shows what was seen, also on failure.
func (a *connectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	res := ConnectResult{Capabilities: []string{}}
	err := a.Open(ctx, s, &res.ConnectResult, func(d *netconn.Dialed, cred *netconn.Credentials) (engine.Conn, error) {
		c := newConn(lineproto.New(d.Conn, 0), res.Remote, d.Plan.Mode == tlsconf.ModeImplicit)
		posting, err := c.setUp(ctx, s, d.Plan, &res)
		if err == nil && cred != nil {
			err = c.login(ctx, s, cred.User, cred.Password, &res)
		}
		if err != nil {
			return nil, err
		}
		if c.caps != nil {
			res.Capabilities = c.caps
			posting = c.has("POST")
		}
		res.PostingAllowed = posting
		return c, nil
	})
	if err != nil && res.Remote == "" {
		return nil, err
	}
	return res, err
}

// setUp reads the greeting and the capabilities, sends MODE READER when
// the server asks for it, and upgrades with STARTTLS when the plan says
// so. It returns whether the greeting (or MODE READER) allowed posting.
func (c *conn) setUp(ctx context.Context, s *engine.Session, plan netconn.Plan, res *ConnectResult) (bool, error) {
	r, _, err := c.d.Reply(ctx, s, lineproto.Request{})
	if err != nil {
		return false, fmt.Errorf("greeting: %w", err)
	}
	res.Greeting = r.Reply
	if r.Code != 200 && r.Code != 201 {
		return false, refused("the server refused the session", r)
	}
	posting := r.Code == 200
	if err := c.capabilities(ctx, s); err != nil {
		return false, err
	}
	if p, sent, err := c.readerMode(ctx, s); err != nil {
		return false, err
	} else if sent {
		posting, res.ModeReader = p, true
	}
	if plan.Mode == tlsconf.ModeStartTLS {
		if res.TLS, err = c.startTLS(ctx, s, plan.TLS, plan.Peer()); err != nil {
			return false, err
		}
	}
	return posting, nil
}

// capabilities sends CAPABILITIES and keeps the list; nil when the server
// does not know the command (RFC 977 servers).
func (c *conn) capabilities(ctx context.Context, s *engine.Session) error {
	r, block, err := c.command(ctx, s, "CAPABILITIES", lineproto.MaxReplyBytes)
	r.Data = lineproto.SplitLines(block)
	if err != nil {
		return err
	}
	if r.Code != 101 {
		s.Note("the server does not list its capabilities (%d): assuming RFC 977", r.Code)
		c.caps = nil
		return nil
	}
	c.caps = r.Data
	return nil
}

// readerMode sends MODE READER when the server lists MODE-READER and not
// READER, and then the capabilities again. It returns whether the answer
// allows posting and whether MODE READER was sent.
func (c *conn) readerMode(ctx context.Context, s *engine.Session) (posting, sent bool, err error) {
	if !c.has("MODE-READER") || c.has("READER") {
		return false, false, nil
	}
	r, _, err := c.command(ctx, s, "MODE READER", 0)
	if err != nil {
		return false, false, err
	}
	if r.Code != 200 && r.Code != 201 {
		return false, false, refused("MODE READER", r)
	}
	return r.Code == 200, true, c.capabilities(ctx, s)
}

// startTLS upgrades the session (RFC 4642) and asks for the capabilities
// again, which TLS may change.
func (c *conn) startTLS(ctx context.Context, s *engine.Session, cfg *tls.Config, peer string) (*tlsconf.Info, error) {
	if !c.has("STARTTLS") {
		return nil, fmt.Errorf("starttls: the server does not offer STARTTLS (capabilities: %s)", describeCaps(c.caps))
	}
	r, _, err := c.command(ctx, s, "STARTTLS", 0)
	if err != nil {
		return nil, fmt.Errorf("starttls: %w", err)
	}
	if r.Code != 382 {
		return nil, refused("STARTTLS", r)
	}
	tc := tls.Client(c.lp.NetConn(), cfg)
	info, err := tlsconf.Handshake(ctx, s, tc, peer)
	if err != nil {
		return nil, fmt.Errorf("STARTTLS: %w", err)
	}
	if err := c.lp.Upgrade(tc); err != nil {
		return nil, fmt.Errorf("STARTTLS: %w", err)
	}
	c.tls = true
	return info, c.capabilities(ctx, s)
}

// login authenticates with AUTHINFO USER and AUTHINFO PASS (RFC 4643),
// then asks for the capabilities again and, when they now list
// MODE-READER without READER, sends MODE READER. The password is
// registered as a secret before it is written.
func (c *conn) login(ctx context.Context, s *engine.Session, user, password string, res *ConnectResult) error {
	s.Secret(password)
	what := "login as " + user
	r, _, err := c.command(ctx, s, "AUTHINFO USER "+user, 0)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if r.Code == 381 {
		if r, _, err = c.command(ctx, s, "AUTHINFO PASS "+password, 0); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if r.Code != 281 {
		return refused(what+authHint(r.Code), r)
	}
	if err := c.capabilities(ctx, s); err != nil {
		return err
	}
	if _, sent, err := c.readerMode(ctx, s); err != nil {
		return err
	} else if sent {
		res.ModeReader = true
	}
	return nil
}

// authHint explains the AUTHINFO failure codes of RFC 4643.
func authHint(code int) string {
	switch code {
	case 481:
		return " (481: the user name or the password was refused)"
	case 482:
		return " (482: AUTHINFO out of sequence)"
	case 483:
		return " (483: the server wants TLS first: starttls: true or nntps://)"
	case 502:
		return " (502: AUTHINFO is not available, or already done)"
	}
	return ""
}

// describeCaps lists capabilities for a message.
func describeCaps(caps []string) string {
	return lineproto.ListCapabilities(caps, "none: the server does not answer CAPABILITIES")
}
