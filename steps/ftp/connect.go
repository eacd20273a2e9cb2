package ftp

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"time"

	jftp "github.com/jlaffaye/ftp"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
)

// Anonymous login, used when a connect step has no auth: the user name of
// RFC 1635 and the password Python's ftplib sends.
const (
	anonymousUser     = "anonymous"
	anonymousPassword = "anonymous@"
)

// ConnectResult is the result of connect: the fields of every connect
// result (`remote`, `local`, `duration`, `tls`), the greeting, the login
// and the server's features.
type ConnectResult struct {
	netconn.ConnectResult
	// Greeting is the server's first reply: `result.greeting.code == 220`.
	Greeting lineproto.Reply `expr:"greeting" json:"greeting"`
	// User is the user logged in: auth's user, or "anonymous".
	User string `expr:"user" json:"user"`
	// Login is the reply that ended the login: the reply to PASS (or to
	// USER, when the server asks for no password), 230 on success.
	Login lineproto.Reply `expr:"login" json:"login"`
	// Features are the lines of the reply to FEAT (RFC 2389), trimmed,
	// such as "EPSV", "MLST type*;size*;modify*;", "UTF8"; empty when
	// the server does not know FEAT.
	Features []string `expr:"features" json:"features"`
}

// connectAction is connect.
type connectAction struct {
	engine.Returns[ConnectResult]
	*netconn.Login
}

// parseMechanism reads an auth mechanism: FTP logs in with USER and PASS.
func parseMechanism(v string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "user":
		return "user", nil
	}
	return "", fmt.Errorf("auth mechanism %q: FTP logs in with USER and PASS (mechanism: user)", v)
}

// Do connects, reads the greeting, starts TLS as asked and logs in,
// anonymously unless auth is given.
func (a *connectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	var res ConnectResult
	err := a.Open(ctx, s, &res.ConnectResult, func(d *netconn.Dialed, cred *netconn.Credentials) (engine.Conn, error) {
		return start(ctx, s, d, &res, cred)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// start sets the session up on a dialed connection: greeting, AUTH TLS,
// the library's client, login.
func start(ctx context.Context, s *engine.Session, d *netconn.Dialed, res *ConnectResult, cred *netconn.Credentials) (*conn, error) {
	c := newConn(newControl(d.Conn, d.Raw), d.Plan.Peer())
	if a, ok := d.Raw.RemoteAddr().(*net.TCPAddr); ok {
		c.peerIP = a.IP.String()
	}
	unbind := c.bind(ctx, s)
	defer unbind()
	greeting, raw, err := c.greeting()
	if err != nil {
		return nil, err
	}
	res.Greeting = greeting
	if d.Plan.Mode == tlsconf.ModeStartTLS {
		if res.TLS, err = c.authTLS(ctx, s, d); err != nil {
			return nil, err
		}
	}
	if d.Plan.Mode != tlsconf.ModeNone {
		c.tls = d.Plan.TLS
	}
	// The library reads the greeting once more, from control's replay.
	c.ctrl.replay = raw
	opts := []jftp.DialOption{jftp.DialWithDialFunc(c.dial), jftp.DialWithLocation(time.UTC)}
	if c.tls != nil {
		// The connection is TLS already: the option only makes the
		// library ask for PBSZ 0 and PROT P, for TLS on data connections.
		opts = append(opts, jftp.DialWithTLS(c.tls))
	}
	if c.sc, err = jftp.Dial(c.peer, opts...); err != nil {
		return nil, c.explain("greeting", err)
	}
	user, password := anonymousUser, anonymousPassword
	if cred != nil {
		user, password = cred.User, cred.Password
		s.Secret(password)
	}
	res.User = user
	if err := c.sc.Login(user, password); err != nil {
		return nil, c.explain("login as "+user, err)
	}
	res.Login = c.ctrl.replies["USER"]
	if r, ok := c.ctrl.replies["PASS"]; ok {
		res.Login = r
	}
	res.Features = features(c.ctrl.replies["FEAT"])
	return c, nil
}

// greeting reads the server's first reply, after any 1xx ("120 ready in a
// minute"), and returns it with its raw bytes. Anything but 2xx fails.
func (c *conn) greeting() (lineproto.Reply, []byte, error) {
	for {
		r, raw, err := c.ctrl.readReply()
		if err != nil {
			return r, nil, c.explain("greeting", err)
		}
		switch r.Class() {
		case 1:
			continue
		case 2:
			return r, raw, nil
		}
		return r, nil, &engine.Mismatch{Received: raw, Msg: "the server refused the session: " + r.String()}
	}
}

// authTLS upgrades the control connection with AUTH TLS (RFC 4217) and
// returns the TLS session's facts. A server that does not answer 234 fails
// the step with its reply.
func (c *conn) authTLS(ctx context.Context, s *engine.Session, d *netconn.Dialed) (*tlsconf.Info, error) {
	r, err := c.command("AUTH TLS")
	if err != nil {
		return nil, fmt.Errorf("starttls: %w", err)
	}
	if r.Code != 234 {
		return nil, &engine.Mismatch{Received: c.ctrl.lastRaw, Msg: fmt.Sprintf(
			"starttls: the server answered AUTH TLS with %s: it does not offer explicit TLS here", r)}
	}
	tc := tls.Client(d.Raw, d.Plan.TLS)
	info, err := tlsconf.Handshake(ctx, s, tc, d.Plan.Peer())
	if err != nil {
		return nil, err
	}
	c.ctrl.nc = tc
	return info, nil
}

// features returns the feature lines of a 211 reply to FEAT: the lines
// between the first and the last, trimmed.
func features(r lineproto.Reply) []string {
	out := []string{}
	if r.Code != 211 || len(r.Lines) < 3 {
		return out
	}
	for _, l := range r.Lines[1 : len(r.Lines)-1] {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
