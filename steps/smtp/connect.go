package smtp

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
)

// connectAction is connect.
type connectAction struct {
	engine.Returns[ConnectResult]
	target netconn.Connect
	opts   options
}

// session is what connect needs once the options are evaluated, besides
// the plan.
type session struct {
	ehlo string
	auth *credentials
}

// Do connects and sets up the session: TLS, the greeting, EHLO, STARTTLS
// and AUTH. On failure the result holds what was seen so far.
func (a *connectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	plan, err := a.target.Plan(s, &a.opts.TLSOptions)
	if err != nil {
		return nil, err
	}
	var ss session
	if a.opts.EHLO.IsSet() {
		if ss.ehlo, err = a.opts.EHLO.String(s); err != nil {
			return nil, fmt.Errorf("ehlo: %w", err)
		}
	}
	if ss.auth, err = a.opts.Auth.resolve(s); err != nil {
		return nil, err
	}
	d, err := plan.Dial(ctx, s)
	if err != nil {
		return nil, err
	}
	res := ConnectResult{ConnectResult: d.Result}
	if ss.ehlo == "" {
		ss.ehlo = addressLiteral(d.Raw.LocalAddr())
	}
	c := newConn(d.Conn, plan.Mode == tlsconf.ModeImplicit)
	if err := c.setUp(ctx, s, d.Plan, &ss, &res); err != nil {
		_ = c.Close(ctx)
		return res, err
	}
	res.Duration = d.Elapsed()
	s.Open(ctx, c)
	return res, nil
}

// setUp reads the greeting, says EHLO, starts TLS and authenticates.
func (c *conn) setUp(ctx context.Context, s *engine.Session, plan netconn.Plan, ss *session, res *ConnectResult) error {
	var err error
	if res.Greeting, err = c.lp.ReadReply(ctx, s); err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	if res.Greeting.Class() != 2 {
		return rejected("the server's greeting is not 2xx", res.Greeting)
	}
	ehlo, err := c.hello(ctx, s, ss.ehlo)
	if err != nil {
		return err
	}
	if plan.Mode == tlsconf.ModeStartTLS {
		if res.TLS, err = c.startTLS(ctx, s, plan.TLS, ehlo, plan.Peer()); err != nil {
			return err
		}
		if _, err := c.hello(ctx, s, ss.ehlo); err != nil {
			return fmt.Errorf("after STARTTLS: %w", err)
		}
	}
	res.Capabilities = c.caps
	if ss.auth != nil {
		if res.Auth, err = c.authenticate(ctx, s, ss.auth); err != nil {
			return err
		}
	}
	return nil
}

// hello says EHLO, or HELO when the server refuses EHLO with 5xx, and
// keeps the capabilities. It returns the reply.
func (c *conn) hello(ctx context.Context, s *engine.Session, name string) (lineproto.Reply, error) {
	r, err := c.command(ctx, s, "EHLO "+name)
	if err != nil {
		return r, fmt.Errorf("EHLO: %w", err)
	}
	if r.Class() == 2 {
		c.caps = append([]string{}, r.Lines[1:]...)
		return r, nil
	}
	if r.Class() != 5 {
		return r, rejected("EHLO refused", r)
	}
	s.Note("EHLO refused with %d: trying HELO", r.Code)
	if r, err = c.command(ctx, s, "HELO "+name); err != nil {
		return r, fmt.Errorf("HELO: %w", err)
	}
	if r.Class() != 2 {
		return r, rejected("EHLO and HELO refused", r)
	}
	c.caps = []string{}
	return r, nil
}

// startTLS upgrades the session; ehlo is the reply that must offer it.
func (c *conn) startTLS(ctx context.Context, s *engine.Session, cfg *tls.Config, ehlo lineproto.Reply, peer string) (*tlsconf.Info, error) {
	if !c.has("STARTTLS") {
		return nil, &engine.Mismatch{Received: ehlo.Raw(), Msg: "server does not offer STARTTLS (its EHLO reply lists " +
			listOrNone(c.caps) + ")"}
	}
	r, err := c.command(ctx, s, "STARTTLS")
	if err != nil {
		return nil, fmt.Errorf("STARTTLS: %w", err)
	}
	if r.Class() != 2 {
		return nil, rejected("STARTTLS refused", r)
	}
	tc := tls.Client(c.lp.NetConn(), cfg)
	if err := c.lp.Upgrade(tc); err != nil {
		return nil, fmt.Errorf("STARTTLS: %w", err)
	}
	info, err := tlsconf.Handshake(ctx, s, tc, peer)
	if err != nil {
		return nil, fmt.Errorf("STARTTLS: %w", err)
	}
	c.tls = true
	return info, nil
}

// listOrNone joins capabilities for a message.
func listOrNone(caps []string) string { return lineproto.ListCapabilities(caps, "no extensions") }

// addressLiteral is the EHLO name used when none is given: our address as
// an RFC 5321 address literal, [192.0.2.1] or [IPv6:2001:db8::1], which
// every server accepts and which needs no DNS.
func addressLiteral(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || tcp.IP == nil {
		return "localhost"
	}
	if ip4 := tcp.IP.To4(); ip4 != nil {
		return "[" + ip4.String() + "]"
	}
	return "[IPv6:" + tcp.IP.String() + "]"
}
