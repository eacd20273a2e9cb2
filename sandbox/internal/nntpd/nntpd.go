// Package nntpd is the sandbox's NNTP server (RFC 3977, with STARTTLS of
// RFC 4642 and AUTHINFO USER/PASS of RFC 4643) over a Store of groups and
// articles.
//
// It is a reader server from the start: CAPABILITIES lists READER, so
// that a client such as Python's nntplib.NNTP(host, port) needs no MODE
// READER (which it takes all the same). Anyone may read. Posting needs a
// login: before AUTHINFO, POST is answered 480 (authentication required),
// not 440 (posting not permitted), because RFC 4643 (section 2.1) reserves
// 480 for a command that becomes available once the client has
// authenticated, which is the case here; the greeting is 201 and
// CAPABILITIES lists POST only after a login. A wrong password is 481.
//
// Each connection keeps its own state (the current group and article, the
// login). Lines from the client are at most MaxLine bytes and an article
// at most MaxArticle; a longer line or article ends the session after the
// reply that says so.
package nntpd

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/netrunhq/netrun/sandbox/internal/linesrv"
)

const (
	// MaxLine is the longest line accepted from a client, CRLF included:
	// a command (RFC 3977 allows 512 octets) or a line of an article.
	MaxLine = 4096
	// maxErrors is how many failed commands in a row end the session.
	maxErrors = 20
)

// Server serves NNTP sessions. Its fields are read-only once it serves.
type Server struct {
	// Store holds the groups, the articles and the users.
	Store *Store
	// TLS, when not nil, is offered with STARTTLS on connections not yet
	// in TLS.
	TLS *tls.Config
	// Hostname is named in the greeting and in the Path of posts; default
	// "localhost".
	Hostname string
}

// session is the state of one connection.
type session struct {
	srv  *Server
	c    *linesrv.Conn
	host string

	group   string // the current group; "" before GROUP
	current int    // the current article number; 0 for none
	user    string // from AUTHINFO USER, waiting for PASS
	authed  string // the user logged in
}

// commands is the NNTP command table. Every command runs in every state
// and checks what it needs itself, for each has its own answer.
var commands = linesrv.Table[*session]{
	Commands: map[string]linesrv.Command[*session]{
		"QUIT":         {Run: (*session).quit},
		"CAPABILITIES": {Run: (*session).capabilities},
		"MODE":         {Run: (*session).mode},
		"DATE":         {Run: (*session).date},
		"HELP":         {Run: (*session).help},
		"STARTTLS":     {Run: (*session).startTLS},
		"AUTHINFO":     {Run: (*session).authinfo},
		"POST":         {Run: (*session).post},
		"GROUP":        {Run: (*session).selectGroup},
		"LISTGROUP":    {Run: (*session).selectGroup},
		"LIST":         {Run: (*session).list},
		"ARTICLE":      {Run: (*session).article},
		"HEAD":         {Run: (*session).article},
		"BODY":         {Run: (*session).article},
		"STAT":         {Run: (*session).article},
		"NEXT":         {Run: (*session).move},
		"LAST":         {Run: (*session).move},
		"OVER":         {Run: (*session).over},
		"XOVER":        {Run: (*session).over},
		"HDR":          {Run: (*session).hdr},
		"XHDR":         {Run: (*session).hdr},
	},
	Unknown: func(ss *session, verb, _ string) error { return ss.fail(500, "unknown command %q", verb) },
	Split: func(line string) (string, string) {
		verb, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
		return verb, strings.TrimSpace(arg)
	},
	TooLong: func(ss *session, _ string) (string, error) {
		_ = ss.reply(501, "line too long (at most %d bytes)", MaxLine)
		return "", linesrv.ErrQuit
	},
}

// ServeConn runs an NNTP session on c, which may be a *tls.Conn already,
// until QUIT, an error or c closes; then it closes c, or the TLS
// connection STARTTLS made of it. Deadlines are the caller's: the sandbox
// gives every connection an idle deadline.
func (srv *Server) ServeConn(c net.Conn) {
	ss := &session{srv: srv, host: srv.Hostname, c: linesrv.NewConn(c, linesrv.Options{MaxLine: MaxLine, MaxErrors: maxErrors})}
	if ss.host == "" {
		ss.host = "localhost"
	}
	defer func() { _ = ss.c.Close() }()
	if ss.reply(201, "%s NNTP netrun sandbox ready (log in to post)", ss.host) != nil {
		return
	}
	commands.Serve(ss.c, ss)
}

// reply writes a status line and flushes it.
func (ss *session) reply(code int, format string, args ...any) error {
	return ss.c.W.PrintfLine("%03d %s", code, fmt.Sprintf(format, args...))
}

// ok writes a success status line and counts the command as a success.
func (ss *session) ok(code int, format string, args ...any) error {
	ss.c.Succeeded()
	return ss.reply(code, format, args...)
}

// fail writes an error status line and ends the session after too many
// failures in a row.
func (ss *session) fail(code int, format string, args ...any) error {
	if err := ss.reply(code, format, args...); err != nil {
		return err
	}
	return ss.c.Failed()
}

// block writes a success status line, then data as a dot-terminated
// block.
func (ss *session) block(code int, status string, data []byte) error {
	if err := ss.ok(code, "%s", status); err != nil {
		return err
	}
	return ss.c.WriteBlock(data)
}

// lines writes a success status line and the lines as a block.
func (ss *session) lines(code int, status string, lines []string) error {
	if err := ss.ok(code, "%s", status); err != nil {
		return err
	}
	return ss.c.WriteLines(lines)
}

// quit answers QUIT and ends the session.
func (ss *session) quit(_, _ string) error {
	_ = ss.reply(205, "closing connection")
	return linesrv.ErrQuit
}

// mode answers MODE READER.
func (ss *session) mode(_, arg string) error {
	if !strings.EqualFold(arg, "READER") {
		return ss.fail(501, "only MODE READER is known")
	}
	if ss.authed != "" {
		return ss.ok(200, "reader mode, posting allowed")
	}
	return ss.ok(201, "reader mode, log in to post")
}

// date answers DATE.
func (ss *session) date(_, _ string) error { return ss.ok(111, "%s", now()) }

// help answers HELP.
func (ss *session) help(_, _ string) error {
	return ss.lines(100, "Help text follows", strings.Split(helpText, "\n"))
}

// capabilities lists what the session may do now (RFC 3977, section 5.2).
func (ss *session) capabilities(_, _ string) error {
	caps := []string{"VERSION 2", "READER", "IMPLEMENTATION netrun sandbox", "LIST ACTIVE NEWSGROUPS OVERVIEW.FMT HEADERS",
		"OVER MSGID", "HDR"}
	if ss.authed != "" {
		caps = append(caps, "POST")
	} else {
		caps = append(caps, "AUTHINFO USER")
	}
	if ss.srv.TLS != nil && !ss.c.IsTLS() && ss.authed == "" {
		caps = append(caps, "STARTTLS")
	}
	return ss.lines(101, "Capability list:", caps)
}

// startTLS starts TLS (RFC 4642). What the client sent after STARTTLS
// before the handshake is dropped.
func (ss *session) startTLS(_, _ string) error {
	if ss.srv.TLS == nil || ss.c.IsTLS() {
		return ss.fail(502, "already using TLS, or TLS is not available")
	}
	if ss.authed != "" {
		return ss.fail(502, "STARTTLS is not allowed after AUTHINFO")
	}
	if err := ss.ok(382, "continue with TLS negotiation"); err != nil {
		return err
	}
	return ss.c.StartTLS(ss.srv.TLS)
}

// authinfo runs AUTHINFO USER and AUTHINFO PASS (RFC 4643).
func (ss *session) authinfo(_, arg string) error {
	sub, value, _ := strings.Cut(arg, " ")
	value = strings.TrimSpace(value)
	switch {
	case ss.authed != "":
		return ss.fail(502, "already authenticated")
	case strings.EqualFold(sub, "USER") && value != "":
		ss.user = value
		return ss.ok(381, "enter passphrase")
	case strings.EqualFold(sub, "PASS") && value != "":
		if ss.user == "" {
			return ss.fail(482, "AUTHINFO USER first")
		}
		user := ss.user
		ss.user = ""
		if !ss.srv.Store.Login(user, value) {
			return ss.fail(481, "authentication failed")
		}
		ss.authed = user
		return ss.ok(281, "authentication accepted")
	case strings.EqualFold(sub, "USER") || strings.EqualFold(sub, "PASS"):
		return ss.fail(501, "AUTHINFO %s needs a value", strings.ToUpper(sub))
	}
	return ss.fail(503, "only AUTHINFO USER and PASS are offered")
}

// post takes an article once logged in (see the package documentation).
func (ss *session) post(_, _ string) error {
	if ss.authed == "" {
		return ss.fail(480, "authentication required to post: AUTHINFO USER and PASS")
	}
	if err := ss.ok(340, "send article to be posted; end with <CR-LF>.<CR-LF>"); err != nil {
		return err
	}
	art, err := ss.c.ReadBlock(linesrv.Block{Max: MaxArticle})
	switch {
	case errors.Is(err, linesrv.ErrLineTooLong):
		_ = ss.reply(441, "a line of the article is longer than %d bytes", MaxLine)
		return linesrv.ErrQuit
	case errors.Is(err, linesrv.ErrBlockTooLarge):
		_ = ss.reply(441, "the article is larger than %d bytes", MaxArticle)
		return linesrv.ErrQuit
	case err != nil:
		return err
	}
	id, err := ss.srv.Store.Post(art, ss.host)
	if err != nil {
		return ss.fail(441, "posting failed: %v", err)
	}
	return ss.ok(240, "article received %s", id)
}
