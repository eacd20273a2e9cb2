package pop3

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/mail"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
)

// ConnectResult is the result of connect: the fields of every connect
// result (`remote`, `local`, `duration`, `tls`), the greeting and the
// capabilities.
type ConnectResult struct {
	netconn.ConnectResult
	// Greeting is the server's first reply: `result.greeting.ok`,
	// `result.greeting.text`.
	Greeting Reply `expr:"greeting" json:"greeting"`
	// Capabilities are the lines of the reply to CAPA (after STLS when TLS
	// was started that way), such as "TOP", "UIDL", "SASL PLAIN"; empty
	// when the server does not know CAPA.
	Capabilities []string `expr:"capabilities" json:"capabilities"`
	// Count and Size are the maildrop's STAT once logged in: the number of
	// messages and their octets. A POP3 session sees the maildrop as it was
	// at login, so waiting for a delivery means retrying the connect until
	// Count grows. Both are 0 without auth.
	Count int `expr:"count" json:"count"`
	Size  int `expr:"size" json:"size"`
}

// Summary says how many messages the maildrop held at login, for a retry
// that gives up (engine.Summarizer): "0 messages in the maildrop".
func (r ConnectResult) Summary() string { return mail.CountText(r.Count) + " in the maildrop" }

// connectAction is connect.
type connectAction struct {
	engine.Returns[ConnectResult]
	*netconn.Login
}

// Authentication mechanisms.
const (
	mechUser  = "user"
	mechPlain = "plain"
)

// parseMechanism reads an auth mechanism; empty means user.
func parseMechanism(v string) (string, error) {
	switch m := strings.ToLower(strings.TrimSpace(v)); m {
	case "", mechUser:
		return mechUser, nil
	case mechPlain:
		return mechPlain, nil
	}
	return "", fmt.Errorf("auth mechanism %q: POP3 takes user (USER and PASS) or plain (AUTH PLAIN)", v)
}

// Do connects, starts TLS as asked, reads the greeting and the
// capabilities, and logs in.
func (a *connectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	var res ConnectResult
	err := a.Open(ctx, s, &res.ConnectResult, func(d *netconn.Dialed, cred *netconn.Credentials) (engine.Conn, error) {
		c, err := start(ctx, s, d, &res)
		if err == nil && cred != nil {
			err = c.login(ctx, s, cred.User, cred.Password, cred.Mechanism)
		}
		if err == nil && cred != nil {
			res.Count, res.Size, err = c.stat(ctx, s)
		}
		return c, err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// start reads the greeting and the capabilities, and upgrades with STLS
// when the plan says so.
func start(ctx context.Context, s *engine.Session, d *netconn.Dialed, res *ConnectResult) (*conn, error) {
	c := newConn(lineproto.New(d.Conn, 0), res.Remote)
	g, _, err := c.d.Reply(ctx, s, lineproto.Request{})
	if err != nil {
		return nil, fmt.Errorf("greeting: %w", err)
	}
	if !g.OK {
		return nil, fmt.Errorf("the server refused the session: %s", g)
	}
	res.Greeting = g
	if res.Capabilities, err = c.capa(ctx, s); err != nil {
		return nil, err
	}
	if d.Plan.Mode == tlsconf.ModeStartTLS {
		if !lineproto.HasCapability(res.Capabilities, "STLS") {
			return nil, fmt.Errorf("starttls: the server does not offer STLS (capabilities: %s)", describeCaps(res.Capabilities))
		}
		r, _, err := c.command(ctx, s, "STLS", 0)
		if err != nil {
			return nil, fmt.Errorf("starttls: %w", err)
		}
		if !r.OK {
			return nil, fmt.Errorf("starttls: the server answered %s", r)
		}
		tc := tls.Client(c.lp.NetConn(), d.Plan.TLS)
		if res.TLS, err = tlsconf.Handshake(ctx, s, tc, d.Plan.Peer()); err != nil {
			return nil, err
		}
		if err := c.lp.Upgrade(tc); err != nil {
			return nil, fmt.Errorf("starttls: %w", err)
		}
		// RFC 2595: the capabilities known before TLS are forgotten.
		if res.Capabilities, err = c.capa(ctx, s); err != nil {
			return nil, err
		}
	}
	c.pipelining = lineproto.HasCapability(res.Capabilities, "PIPELINING")
	return c, nil
}

// capa sends CAPA and returns the capabilities; none when the server
// answers -ERR (CAPA is an extension, RFC 2449).
func (c *conn) capa(ctx context.Context, s *engine.Session) ([]string, error) {
	r, block, err := c.command(ctx, s, "CAPA", lineproto.MaxReplyBytes)
	r.Lines = lineproto.SplitLines(block)
	if err != nil {
		return nil, err
	}
	if !r.OK {
		return []string{}, nil
	}
	return r.Lines, nil
}

// login authenticates with USER and PASS, or AUTH PLAIN. The password, and
// the form it takes on the wire, are registered as secrets first.
func (c *conn) login(ctx context.Context, s *engine.Session, user, password, mech string) error {
	s.Secret(password)
	what := "login as " + user
	var lines []string
	switch mech {
	case mechPlain:
		blob := "\x00" + user + "\x00" + password
		s.Secret(blob)
		lines = []string{"AUTH PLAIN " + base64.StdEncoding.EncodeToString([]byte(blob))}
		what += " (AUTH PLAIN)"
	default:
		lines = []string{"USER " + user, "PASS " + password}
	}
	for _, line := range lines {
		r, _, err := c.command(ctx, s, line, 0)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if !r.OK {
			// A check that did not hold, as SMTP's 535 is.
			return &engine.Mismatch{Msg: fmt.Sprintf("%s: the server answered %s", what, r), Received: r.raw}
		}
	}
	return nil
}

// describeCaps lists capabilities for a message.
func describeCaps(caps []string) string {
	return lineproto.ListCapabilities(caps, "none: the server does not answer CAPA")
}
