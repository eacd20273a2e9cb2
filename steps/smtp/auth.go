package smtp

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
	gomail "github.com/wneessen/go-mail/smtp"
	"go.yaml.in/yaml/v4"
)

// Mechanisms, as AUTH names them.
const (
	mechPlain   = "PLAIN"
	mechLogin   = "LOGIN"
	mechCRAMMD5 = "CRAM-MD5"
	mechXOAuth2 = "XOAUTH2"
)

// preferred is the order in which a mechanism is chosen when none is given.
func preferred() []string { return []string{mechPlain, mechLogin, mechCRAMMD5} }

// maxRounds bounds the challenges of one AUTH exchange.
const maxRounds = 10

// authOptions are the `auth` options of connect.
type authOptions struct {
	// User is the user name.
	User engine.Template `yaml:"user"`
	// Password is the password, for plain, login and cram-md5.
	Password engine.Template `yaml:"password"`
	// Mechanism is plain, login, cram-md5 or xoauth2. Default: xoauth2 with
	// a token, else the first of plain, login and cram-md5 that the server
	// offers.
	Mechanism engine.Template `yaml:"mechanism"`
	// Token is the OAuth 2 access token, for xoauth2.
	Token engine.Template `yaml:"token"`

	node *yaml.Node
}

// plainAuthOptions has the fields of authOptions without its UnmarshalYAML.
type plainAuthOptions authOptions

// UnmarshalYAML decodes the auth mapping strictly and keeps its node.
func (o *authOptions) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return engine.ErrorAt(n, "auth takes a mapping of user, password, mechanism and token")
	}
	var p plainAuthOptions
	if err := engine.Strict(n, &p); err != nil {
		return err
	}
	*o = authOptions(p)
	o.node = n
	return nil
}

// validate checks the options at load time; o may be nil.
func (o *authOptions) validate(d *engine.Decoder) error {
	if o == nil {
		return nil
	}
	var errs engine.ErrorList
	add := func(key, format string, args ...any) {
		at := o.node
		if k := engine.MapKey(o.node, key); k != nil {
			at = k
		}
		errs = append(errs, &engine.Error{Pos: d.Pos(at), Msg: fmt.Sprintf(format, args...)})
	}
	if !o.User.IsSet() {
		add("", "auth needs user")
	}
	mech := ""
	if lit, ok := wire.Literal(&o.Mechanism); ok {
		m, err := parseMechanism(lit)
		if err != nil {
			add("mechanism", "%s", err)
		}
		mech = m
	}
	switch {
	case mech == mechXOAuth2 && !o.Token.IsSet():
		add("mechanism", "xoauth2 needs token: the OAuth 2 access token")
	case mech == mechXOAuth2 && o.Password.IsSet():
		add("password", "xoauth2 takes token, not password")
	case mech != "" && mech != mechXOAuth2 && o.Token.IsSet():
		add("token", "token goes with mechanism: xoauth2")
	case !o.Password.IsSet() && !o.Token.IsSet():
		add("", "auth needs password (or token, for xoauth2)")
	case !o.Mechanism.IsSet() && o.Password.IsSet() && o.Token.IsSet():
		add("token", "give password or token, not both")
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// parseMechanism reads a mechanism name in any case.
func parseMechanism(v string) (string, error) {
	switch m := strings.ToUpper(strings.TrimSpace(v)); m {
	case mechPlain, mechLogin, mechCRAMMD5, mechXOAuth2:
		return m, nil
	}
	return "", fmt.Errorf("mechanism %q: use plain, login, cram-md5 or xoauth2", v)
}

// credentials are the auth options evaluated.
type credentials struct {
	user, password, token string
	// mech is the mechanism asked for; empty to choose.
	mech string
}

// resolve evaluates the options and registers the password and the token
// as secrets; o may be nil (no auth).
func (o *authOptions) resolve(s *engine.Session) (*credentials, error) {
	if o == nil {
		return nil, nil
	}
	var cr credentials
	for _, f := range []struct {
		name string
		t    *engine.Template
		dst  *string
	}{{"user", &o.User, &cr.user}, {"password", &o.Password, &cr.password}, {"token", &o.Token, &cr.token},
		{"mechanism", &o.Mechanism, &cr.mech}} {
		if !f.t.IsSet() {
			continue
		}
		v, err := f.t.String(s)
		if err != nil {
			return nil, fmt.Errorf("auth %s: %w", f.name, err)
		}
		*f.dst = v
	}
	s.Secret(cr.password)
	s.Secret(cr.token)
	if strings.TrimSpace(cr.mech) != "" {
		m, err := parseMechanism(cr.mech)
		if err != nil {
			return nil, fmt.Errorf("auth: %w", err)
		}
		cr.mech = m
	} else if cr.token != "" {
		cr.mech = mechXOAuth2
	} else {
		cr.mech = "" // chosen from what the server offers
	}
	return &cr, nil
}

// serverName is the name given to go-mail's mechanisms, which check that
// it is the name they were made for.
const serverName = "netrun"

// authenticate runs AUTH with go-mail's mechanisms over the session, so
// that every line is in the transcript and each reply is read within ctx.
// go-mail's smtp.Client is not used: it runs on its own connection and
// reader. Every response derived from a secret is registered with
// s.Secret before it is written. It returns the mechanism used.
func (c *conn) authenticate(ctx context.Context, s *engine.Session, cr *credentials) (string, error) {
	params, ok := c.capability("AUTH")
	if !ok {
		msg := "server does not offer AUTH (its EHLO reply lists " + listOrNone(c.caps) + ")"
		if !c.tls {
			msg += "; many servers offer it only over TLS: try starttls: true"
		}
		return "", &engine.Mismatch{Msg: msg}
	}
	offered := strings.Fields(strings.ToUpper(params))
	mech := cr.mech
	if mech == "" {
		for _, m := range preferred() {
			if slices.Contains(offered, m) {
				mech = m
				break
			}
		}
		if mech == "" {
			return "", &engine.Mismatch{Msg: fmt.Sprintf(
				"server offers AUTH %s, none of which netrun speaks without being told: set mechanism (plain, login, cram-md5, xoauth2)", params)}
		}
	} else if !slices.Contains(offered, mech) {
		return "", &engine.Mismatch{Msg: fmt.Sprintf("server does not offer AUTH %s (it offers %s)", mech, params)}
	}
	var auth gomail.Auth
	switch mech {
	case mechPlain:
		auth = gomail.PlainAuth("", cr.user, cr.password, serverName, true)
	case mechLogin:
		auth = gomail.LoginAuth(cr.user, cr.password, serverName, true)
	case mechCRAMMD5:
		auth = gomail.CRAMMD5Auth(cr.user, cr.password)
	case mechXOAuth2:
		auth = gomail.XOAuth2Auth(cr.user, cr.token)
	}
	if !c.tls {
		s.Note("AUTH %s on a plain-text connection", mech)
	}
	if err := c.exchange(ctx, s, cr, auth, offered); err != nil {
		return "", fmt.Errorf("AUTH %s as %s: %w", mech, cr.user, err)
	}
	return mech, nil
}

// exchange runs one AUTH command and its challenges.
func (c *conn) exchange(ctx context.Context, s *engine.Session, cr *credentials, auth gomail.Auth, offered []string) error {
	mech, resp, err := auth.Start(&gomail.ServerInfo{Name: serverName, TLS: c.tls, Auth: offered})
	if err != nil {
		return err
	}
	line := "AUTH " + mech
	switch {
	case resp == nil:
	case len(resp) == 0:
		line += " =" // an empty initial response (RFC 4954)
	default:
		line += " " + c.encode(s, cr, resp)
	}
	for round := 0; ; round++ {
		r, err := c.command(ctx, s, line)
		if err != nil {
			return err
		}
		switch {
		case r.Class() == 2:
			return nil
		case r.Code != 334:
			return rejected("refused", r)
		case round >= maxRounds:
			c.cancelAuth(ctx, s)
			return rejected(fmt.Sprintf("more than %d challenges", maxRounds), r)
		}
		challenge, err := base64.StdEncoding.DecodeString(strings.TrimSpace(r.Text))
		if err != nil {
			c.cancelAuth(ctx, s)
			return &engine.Mismatch{Received: r.Raw(), Msg: fmt.Sprintf("the server's challenge %s is not base64", wire.Short(r.Text))}
		}
		next, err := auth.Next(challenge, true)
		if err != nil {
			c.cancelAuth(ctx, s)
			return fmt.Errorf("answer to challenge %s: %w", wire.Short(r.Text), err)
		}
		if mech == mechCRAMMD5 {
			cramSecret(s, next)
		}
		line = c.encode(s, cr, next)
	}
}

// cramSecret registers a CRAM-MD5 response ("user hexdigest") and its
// digest as secrets: with the challenge, which the transcript shows, the
// digest lets anyone guess the password offline.
func cramSecret(s *engine.Session, resp []byte) {
	r := string(resp)
	s.Secret(r)
	s.Secret(r[strings.LastIndexByte(r, ' ')+1:])
}

// encode returns resp in base64 for the wire (an empty response to a
// challenge is an empty line). When resp holds the password or the token,
// it and its base64 form are registered as secrets first.
func (c *conn) encode(s *engine.Session, cr *credentials, resp []byte) string {
	enc := base64.StdEncoding.EncodeToString(resp)
	for _, secret := range []string{cr.password, cr.token} {
		if secret != "" && bytes.Contains(resp, []byte(secret)) {
			s.Secret(string(resp))
			s.Secret(enc)
		}
	}
	return enc
}

// cancelAuth answers a challenge with "*", which ends the exchange.
func (c *conn) cancelAuth(ctx context.Context, s *engine.Session) {
	_, _ = c.command(ctx, s, "*")
}
