// Package smtpd is the sandbox's SMTP server (RFC 5321, with STARTTLS of
// RFC 3207, AUTH PLAIN and LOGIN of RFC 4954, SIZE, 8BITMIME, SMTPUTF8,
// PIPELINING and ENHANCEDSTATUSCODES), which delivers into the INBOXes of a
// mailstore.Store.
//
// It answers as Postfix does, which test/conformance checks: an unknown
// command is 500, a command out of sequence 503 (RCPT or DATA before MAIL,
// a second MAIL), an unknown AUTH mechanism 535 (RFC 4954 says 504), and,
// as Postfix takes them, MAIL before HELO, MAIL FROM:addr without angle
// brackets and RCPT TO:<alice> without a domain (the domain is then the
// first local one).
//
// It takes mail from anyone, authenticated or not, for local recipients
// only: a user of the store at one of the local domains (alice@example.test,
// alice@localhost; the local part is also tried in lower case). AUTH PLAIN and
// LOGIN are offered on plain connections too, since teaching code often
// starts without TLS (unless Config.AuthNeedsTLS, the submission service:
// then, as Postfix with smtpd_tls_auth_only, AUTH is offered and taken
// only after STARTTLS, and answered 503 before it); a wrong password gets
// 535. Each stored message starts
// with a Return-Path and a Received header, as a real MTA adds them.
package smtpd

import (
	"crypto/tls"
	"fmt"
	"net"
	"strings"

	"github.com/netrunhq/netrun/sandbox/internal/linesrv"
	"github.com/netrunhq/netrun/sandbox/internal/mailstore"
)

const (
	// MaxMessageBytes is the largest message DATA takes.
	MaxMessageBytes = 25 << 20
	// MaxRecipients is the most RCPT TO one message may have.
	MaxRecipients = 100
	// MaxLine is the longest command line taken, CRLF included (RFC 5321
	// asks for at least 512); a longer one ends the session. A line of a
	// message may be as long as the message.
	MaxLine = 2048
	// maxErrors is how many failed commands in a row end the session.
	maxErrors = 20
)

// Config configures a Server.
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
	// AuthNeedsTLS takes AUTH only over TLS, as Postfix does with
	// smtpd_tls_auth_only = yes: before STARTTLS, EHLO does not offer AUTH
	// and AUTH is answered "503 5.5.1 Error: authentication not enabled".
	AuthNeedsTLS bool
}

// Server serves SMTP sessions. Its configuration is read-only once it serves.
type Server struct{ cfg Config }

// NewServer returns a server for c.
func NewServer(c Config) *Server {
	if c.Hostname == "" {
		c.Hostname = "localhost"
	}
	if len(c.Domains) == 0 {
		c.Domains = []string{"example.test", "localhost"}
	}
	return &Server{cfg: c}
}

// session is the state of one connection.
type session struct {
	cfg *Config
	c   *linesrv.Conn

	helo string // from HELO or EHLO; "" before
	user string // authenticated user, or ""

	inMail bool   // MAIL was accepted
	from   string // its reverse-path
	rcpts  []rcpt // each user once
	nrcpt  int    // RCPT TO accepted, counting repeats
}

// rcpt is an accepted recipient: the user and the address as given.
type rcpt struct{ user, addr string }

// commands is the SMTP command table. Every command runs in every state
// and checks the sequence itself, in the order Postfix does.
var commands = linesrv.Table[*session]{
	Commands: map[string]linesrv.Command[*session]{
		"EHLO":     {Run: (*session).hello},
		"HELO":     {Run: (*session).hello},
		"STARTTLS": {Run: (*session).startTLS},
		"AUTH":     {Run: (*session).auth},
		"MAIL":     {Run: (*session).mail},
		"RCPT":     {Run: (*session).rcpt},
		"DATA":     {Run: (*session).data},
		"RSET":     {Run: (*session).rset},
		"NOOP":     {Run: (*session).noop},
		"VRFY":     {Run: (*session).vrfy},
		"QUIT":     {Run: (*session).quit},
	},
	Unknown: func(ss *session, verb, _ string) error {
		if verb == "" {
			return ss.fail(500, "5.5.2", "Error: bad syntax")
		}
		return ss.fail(500, "5.5.2", "Error: command not recognized")
	},
	Split: func(line string) (string, string) {
		verb, arg, _ := strings.Cut(line, " ")
		return verb, strings.TrimSpace(arg)
	},
	// As Postfix (test/conformance): the command is its first MaxLine
	// bytes, the rest of the line is read and dropped, and the session
	// goes on.
	TooLong: func(ss *session, line string) (string, error) { return line, ss.c.SkipLine() },
}

// ServeConn runs an SMTP session on c, which may be a *tls.Conn already,
// until QUIT, an error or c closes; then it closes c, or the TLS
// connection STARTTLS made of it. Deadlines are the caller's.
func (srv *Server) ServeConn(c net.Conn) {
	ss := &session{cfg: &srv.cfg, c: linesrv.NewConn(c, linesrv.Options{MaxLine: MaxLine, MaxErrors: maxErrors})}
	defer func() { _ = ss.c.Close() }()
	if ss.reply(220, "", "%s ESMTP netrun sandbox", ss.cfg.Hostname) != nil {
		return
	}
	commands.Serve(ss.c, ss)
}

// reply writes a reply, one line per line of text, with the enhanced
// status code on each when given, and flushes it.
func (ss *session) reply(code int, enhanced, format string, args ...any) error {
	w := ss.c.W.W
	lines := strings.Split(fmt.Sprintf(format, args...), "\n")
	for i, l := range lines {
		sep := " "
		if i < len(lines)-1 {
			sep = "-"
		}
		if enhanced != "" {
			l = enhanced + " " + l
		}
		if _, err := fmt.Fprintf(w, "%d%s%s\r\n", code, sep, l); err != nil {
			return err
		}
	}
	return w.Flush()
}

// ok writes a success reply and counts the command as a success.
func (ss *session) ok(code int, enhanced, format string, args ...any) error {
	ss.c.Succeeded()
	return ss.reply(code, enhanced, format, args...)
}

// fail writes an error reply and ends the session after too many failures
// in a row, as Postfix does.
func (ss *session) fail(code int, enhanced, format string, args ...any) error {
	if err := ss.reply(code, enhanced, format, args...); err != nil {
		return err
	}
	if err := ss.c.Failed(); err != nil {
		_ = ss.reply(421, "4.7.0", "%s Error: too many errors", ss.cfg.Hostname)
		return err
	}
	return nil
}

// rset answers RSET: it ends the mail transaction in progress.
func (ss *session) rset(_, arg string) error {
	if arg != "" {
		return ss.fail(501, "5.5.4", "Syntax: RSET") // as Postfix
	}
	ss.reset()
	return ss.ok(250, "2.0.0", "Ok")
}

// noop answers NOOP.
func (ss *session) noop(_, _ string) error { return ss.ok(250, "2.0.0", "Ok") }

// vrfy answers VRFY without saying whether the address exists.
func (ss *session) vrfy(_, arg string) error {
	if arg == "" {
		return ss.fail(501, "5.5.4", "Syntax: VRFY address")
	}
	return ss.ok(252, "2.0.0", "%s", arg)
}

// quit answers QUIT and ends the session.
func (ss *session) quit(_, _ string) error {
	_ = ss.reply(221, "2.0.0", "Bye")
	return linesrv.ErrQuit
}

// hello runs EHLO and HELO: it names the client and ends any transaction.
func (ss *session) hello(verb, arg string) error {
	if arg == "" {
		return ss.fail(501, "5.5.4", "Syntax: %s hostname", verb)
	}
	ss.helo = strings.Fields(arg)[0]
	ss.reset()
	if verb == "HELO" {
		return ss.ok(250, "", "%s", ss.cfg.Hostname)
	}
	ext := []string{ss.cfg.Hostname, "PIPELINING", fmt.Sprintf("SIZE %d", MaxMessageBytes)}
	if ss.cfg.TLS != nil && !ss.c.IsTLS() {
		ext = append(ext, "STARTTLS")
	}
	if ss.authEnabled() {
		ext = append(ext, "AUTH PLAIN LOGIN")
	}
	ext = append(ext, "ENHANCEDSTATUSCODES", "8BITMIME", "SMTPUTF8")
	return ss.ok(250, "", "%s", strings.Join(ext, "\n"))
}

// authEnabled reports whether AUTH is offered and taken now.
func (ss *session) authEnabled() bool { return !ss.cfg.AuthNeedsTLS || ss.c.IsTLS() }

// startTLS starts TLS (RFC 3207); the client must say EHLO again.
func (ss *session) startTLS(_, arg string) error {
	switch {
	case arg != "":
		return ss.fail(501, "5.5.4", "Syntax: STARTTLS")
	case ss.c.IsTLS():
		return ss.fail(554, "5.5.1", "Error: TLS already active")
	case ss.cfg.TLS == nil:
		return ss.fail(502, "5.5.1", "Error: command not implemented")
	}
	if err := ss.ok(220, "2.0.0", "Ready to start TLS"); err != nil {
		return err
	}
	if err := ss.c.StartTLS(ss.cfg.TLS); err != nil {
		return err
	}
	ss.helo, ss.user = "", ""
	ss.reset()
	return nil
}

// reset ends the mail transaction in progress.
func (ss *session) reset() {
	ss.inMail, ss.from, ss.rcpts, ss.nrcpt = false, "", nil, 0
}
