package imap

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
)

// ConnectResult is the result of connect: the fields of every connect
// result (`remote`, `local`, `duration`, `tls`) and the server's
// capabilities.
type ConnectResult struct {
	netconn.ConnectResult
	// Capabilities are what the server announces once connect is done
	// (after login when auth is given), such as IMAP4rev1, MOVE, UIDPLUS,
	// AUTH=PLAIN, sorted.
	Capabilities []string `expr:"capabilities" json:"capabilities"`
}

// connectAction is connect.
type connectAction struct {
	engine.Returns[ConnectResult]
	*netconn.Login
}

// Do connects, starts TLS as asked, waits for the greeting and logs in.
func (a *connectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	d, cred, err := a.Dial(ctx, s)
	if err != nil {
		return nil, err
	}
	res := ConnectResult{ConnectResult: d.Result}
	c, err := open(ctx, s, d, &res)
	if err != nil {
		_ = d.Raw.Close()
		return nil, err
	}
	caps, err := c.start(ctx, s, cred)
	if err != nil {
		_ = c.client.Close()
		return nil, err
	}
	res.Capabilities = caps
	res.Duration = d.Elapsed()
	s.Open(ctx, c)
	return res, nil
}

// open upgrades with STARTTLS when the plan says so and puts the IMAP client
// on the connection.
func open(ctx context.Context, s *engine.Session, d *netconn.Dialed, res *ConnectResult) (*conn, error) {
	stop := engine.Deadline(ctx, d.Raw)
	defer stop()
	sc := newStepConn(d.Conn, d.Raw)
	var lib net.Conn = sc
	if d.Plan.Mode == tlsconf.ModeStartTLS {
		tc, info, err := startTLS(ctx, s, d.Raw, d.Plan.TLS, d.Plan.Peer())
		if err != nil {
			return nil, err
		}
		sc.Conn, res.TLS = tc, info
		// The client expects a greeting; the real one came before TLS.
		lib = &greeted{stepConn: sc, pending: []byte("* OK TLS is up\r\n")}
	}
	return &conn{client: imapclient.New(lib, nil), sc: sc, remote: res.Remote}, nil
}

// start waits for the greeting, logs in and returns the capabilities.
func (c *conn) start(ctx context.Context, s *engine.Session, cred *netconn.Credentials) ([]string, error) {
	end, err := c.begin(ctx, s)
	if err != nil {
		return nil, err
	}
	defer end()
	if err := c.client.WaitGreeting(); err != nil {
		return nil, c.fail(ctx, "greeting", err)
	}
	if cred != nil {
		if c.client.State() == imap.ConnStateAuthenticated {
			s.Note("the server authenticated the session in its greeting (PREAUTH); no login")
		} else if err := c.login(ctx, s, cred); err != nil {
			return nil, err
		}
	}
	caps := c.client.Caps()
	if caps == nil {
		if c.sc.expired() || c.sc.lost() {
			return nil, c.fail(ctx, "CAPABILITY", fmt.Errorf("the server sent no capabilities"))
		}
		return nil, &engine.Mismatch{Msg: "CAPABILITY: the server answered without listing its capabilities (no * CAPABILITY response)"}
	}
	return capList(caps), nil
}

// login authenticates with LOGIN or AUTHENTICATE PLAIN. The password, and
// the forms it takes on the wire, are registered as secrets first.
func (c *conn) login(ctx context.Context, s *engine.Session, cred *netconn.Credentials) error {
	s.Secret(cred.Password)
	c.sc.rec.keepWhole(true)
	defer c.sc.rec.keepWhole(false)
	what := "login as " + cred.User
	caps := c.client.Caps()
	if caps == nil {
		return c.fail(ctx, what, fmt.Errorf("the server sent no capabilities"))
	}
	var err error
	switch cred.Mechanism {
	case mechPlain:
		if !caps.Has(imap.Cap("AUTH=PLAIN")) {
			return fmt.Errorf("%s: the server does not offer AUTHENTICATE PLAIN (capabilities: %s)", what, strings.Join(capList(caps), " "))
		}
		s.Secret("\x00" + cred.User + "\x00" + cred.Password)
		what += " (AUTHENTICATE PLAIN)"
		err = c.client.Authenticate(sasl.NewPlainClient("", cred.User, cred.Password))
	default:
		if caps.Has(imap.CapLoginDisabled) {
			return fmt.Errorf("%s: the server does not allow LOGIN on this connection (LOGINDISABLED): use starttls: true or imaps://", what)
		}
		s.Secret(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(cred.Password))
		err = c.client.Login(cred.User, cred.Password).Wait()
	}
	var refused *imap.Error
	if errors.As(err, &refused) {
		// The server answered NO (or BAD): a check that did not hold, as
		// SMTP's 535 is, not a broken dialogue.
		return &engine.Mismatch{Msg: fmt.Sprintf("%s: %v", what, serverError(err))}
	}
	if err != nil {
		return c.fail(ctx, what, err)
	}
	return nil
}

// capList returns the capabilities as sorted strings.
func capList(caps imap.CapSet) []string {
	out := make([]string, 0, len(caps))
	for c := range caps {
		out = append(out, string(c))
	}
	sort.Strings(out)
	return out
}

// greeted hands the client a greeting before what the connection reads:
// after STARTTLS the client starts on a connection whose greeting was read
// before TLS. The line is not part of the transcript.
type greeted struct {
	*stepConn
	pending []byte
}

// Read returns the pending greeting first.
func (g *greeted) Read(p []byte) (int, error) {
	if len(g.pending) > 0 {
		n := copy(p, g.pending)
		g.pending = g.pending[n:]
		return n, nil
	}
	return g.stepConn.Read(p)
}
