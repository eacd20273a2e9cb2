// Package smtpd is the sandbox's SMTP server: an emersion/go-smtp backend
// that delivers into the INBOXes of a mailstore.Store.
//
// It takes mail from anyone, authenticated or not, for local recipients
// only: a user of the store at one of the local domains (alice@example.test,
// alice@localhost; the local part is also tried in lower case). AUTH PLAIN and
// LOGIN are offered on plain connections too, since teaching code often
// starts without TLS; a wrong password gets 535. Each stored message starts
// with a Return-Path and a Received header, as a real MTA adds them.
package smtpd

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/netrunhq/netrun/sandbox/mailstore"
)

const (
	// MaxMessageBytes is the largest message DATA takes.
	MaxMessageBytes = 25 << 20
	// MaxRecipients is the most RCPT TO one message may have.
	MaxRecipients = 100
)

// Config configures NewServer.
type Config struct {
	// Store receives the mail.
	Store *mailstore.Store
	// Hostname names the server in the greeting and in Received headers;
	// default "localhost".
	Hostname string
	// Domains are the mail domains delivered locally, compared without
	// case; default example.test and localhost.
	Domains []string
	// TLS, when not nil, is offered with STARTTLS.
	TLS *tls.Config
}

// NewServer returns a go-smtp server for c. The caller sets any timeouts and
// calls Serve.
func NewServer(c Config) *smtp.Server {
	if c.Hostname == "" {
		c.Hostname = "localhost"
	}
	if len(c.Domains) == 0 {
		c.Domains = []string{"example.test", "localhost"}
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(conn *smtp.Conn) (smtp.Session, error) {
		return &session{cfg: &c, conn: conn}, nil
	}))
	srv.Domain = c.Hostname
	srv.TLSConfig = c.TLS
	srv.AllowInsecureAuth = true
	srv.MaxMessageBytes = MaxMessageBytes
	srv.MaxRecipients = MaxRecipients
	srv.ErrorLog = log.New(io.Discard, "", 0)
	return srv
}

// session is one SMTP session: from EHLO to QUIT, or to STARTTLS.
type session struct {
	cfg  *Config
	conn *smtp.Conn
	user string // authenticated user, or ""

	from  string
	rcpts []rcpt // each user once
}

// rcpt is an accepted recipient: the user and the address as given.
type rcpt struct{ user, addr string }

var _ smtp.AuthSession = (*session)(nil)

// AuthMechanisms lists the SASL mechanisms of AUTH.
func (s *session) AuthMechanisms() []string {
	return []string{sasl.Plain, sasl.Login}
}

// Auth returns the server side of a SASL mechanism.
func (s *session) Auth(mech string) (sasl.Server, error) {
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, username, password string) error {
			if identity != "" && identity != username {
				return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authorization identity not supported"}
			}
			return s.login(username, password)
		}), nil
	case sasl.Login:
		return &loginServer{auth: s.login}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// login checks a user name and password: a wrong one is 535, not the 454 that
// go-smtp gives other errors.
func (s *session) login(username, password string) error {
	if _, err := s.cfg.Store.Login(username, password); err != nil {
		return smtp.ErrAuthFailed
	}
	s.user = username
	return nil
}

// Mail starts a message from any sender.
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	s.rcpts = s.rcpts[:0]
	return nil
}

// Rcpt accepts a recipient at a local domain who is a user of the store,
// and answers 550 otherwise. go-smtp has already refused, with 501, a path
// without a domain, such as <alice>, as RFC 5321 asks.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	at := strings.LastIndexByte(to, '@')
	local, domain := to[:max(at, 0)], to[at+1:]
	if !slices.ContainsFunc(s.cfg.Domains, func(d string) bool { return strings.EqualFold(d, domain) }) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: fmt.Sprintf("Relaying to %s denied: this sandbox delivers only to %s", domain, strings.Join(s.cfg.Domains, ", "))}
	}
	user := ""
	for _, name := range []string{local, strings.ToLower(local)} {
		if s.cfg.Store.User(name) != nil {
			user = name
			break
		}
	}
	if user == "" {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: fmt.Sprintf("No such user here: %s", to)}
	}
	if !slices.ContainsFunc(s.rcpts, func(r rcpt) bool { return r.user == user }) {
		s.rcpts = append(s.rcpts, rcpt{user: user, addr: to})
	}
	return nil
}

// Data stores the message, with a Return-Path and a Received header added,
// in the INBOX of each recipient. go-smtp bounds r to MaxMessageBytes.
func (s *session) Data(r io.Reader) error {
	body, err := io.ReadAll(r)
	if err != nil {
		return err // a *smtp.SMTPError such as 552 for a message too big
	}
	now := time.Now()
	for _, rc := range s.rcpts {
		var buf bytes.Buffer
		buf.Grow(len(body) + 512)
		s.writeTrace(&buf, rc.addr, now)
		buf.Write(body)
		if _, err := s.cfg.Store.Deliver(rc.user, buf.Bytes(), now); errors.Is(err, mailstore.ErrStoreFull) {
			// Postfix's answer when its queue's disk is full.
			return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 3, 1}, Message: "Insufficient system storage"}
		} else if err != nil {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Delivery failed"}
		}
	}
	return nil
}

// writeTrace writes the Return-Path and Received header fields of RFC 5321
// section 4.4, with the protocol names of RFC 3848.
func (s *session) writeTrace(buf *bytes.Buffer, to string, now time.Time) {
	with := "ESMTP"
	if _, isTLS := s.conn.TLSConnectionState(); isTLS {
		with += "S"
	}
	if s.user != "" {
		with += "A"
	}
	fmt.Fprintf(buf, "Return-Path: <%s>\r\n", s.from)
	fmt.Fprintf(buf, "Received: from %s (%s)\r\n\tby %s (netrun sandbox) with %s id %s\r\n\tfor <%s>; %s\r\n",
		s.conn.Hostname(), s.conn.Conn().RemoteAddr(), s.cfg.Hostname, with, queueID(), to,
		now.Format(time.RFC1123Z))
}

// queueID returns a random id for a Received header.
func queueID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}

// Reset forgets the message in progress.
func (s *session) Reset() {
	s.from = ""
	s.rcpts = s.rcpts[:0]
}

// Logout ends the session.
func (s *session) Logout() error { return nil }
