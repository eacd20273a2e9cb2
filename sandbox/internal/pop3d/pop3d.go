// Package pop3d is the sandbox's POP3 server (RFC 1939, with CAPA and STLS
// of RFC 2449 and RFC 2595) over the INBOXes of a mailstore.Store.
//
// A session sees the messages its INBOX held at login. DELE only marks a
// message; the marked messages leave the store at QUIT, and not at all if
// the connection ends without QUIT. Lines from the client are bounded; how
// long a read waits is the deadline of the connection the sandbox hands
// over.
package pop3d

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"

	"github.com/emersion/go-imap/v2"
	"github.com/netrunhq/netrun/sandbox/internal/linesrv"
	"github.com/netrunhq/netrun/sandbox/internal/mailstore"
)

const (
	// MaxLine is the longest command line accepted, CRLF included. RFC 2449
	// allows 255 octets; a longer line ends the session.
	MaxLine = 1024
	// maxErrors is how many failed commands in a row end the session.
	maxErrors = 10
)

// Server serves POP3 sessions. Its fields are read-only once it serves.
type Server struct {
	// Store holds the users and their INBOXes.
	Store *mailstore.Store
	// TLS, when not nil, is offered with STLS on connections not yet in TLS.
	TLS *tls.Config
	// Hostname is named in the greeting; default "localhost".
	Hostname string
}

// session is the state of one connection.
type session struct {
	srv *Server
	c   *linesrv.Conn

	name    string              // from USER
	box     *mailstore.Mailbox  // the INBOX once logged in
	msgs    []mailstore.Message // the maildrop at login
	deleted []bool              // marked by DELE, by index into msgs
}

// The states of a session (RFC 1939): before and after login.
const (
	authorization linesrv.State = 1 << iota
	transaction
)

// commands is the POP3 command table.
var commands = linesrv.Table[*session]{
	Commands: map[string]linesrv.Command[*session]{
		"QUIT": {Run: (*session).quit},
		"CAPA": {Run: (*session).capa},
		"NOOP": {In: transaction, Run: (*session).noop},
		"STLS": {In: authorization, Run: (*session).stls},
		"USER": {In: authorization, Run: (*session).user},
		"PASS": {In: authorization, Run: (*session).pass},
		"STAT": {In: transaction, Run: (*session).stat},
		"LIST": {In: transaction, Run: (*session).list},
		"UIDL": {In: transaction, Run: (*session).list},
		"RETR": {In: transaction, Run: (*session).retr},
		"TOP":  {In: transaction, Run: (*session).top},
		"DELE": {In: transaction, Run: (*session).dele},
		"RSET": {In: transaction, Run: (*session).rset},
	},
	State: func(ss *session) linesrv.State {
		if ss.box != nil {
			return transaction
		}
		return authorization
	},
	WrongState: func(ss *session, _, _ string) error {
		if ss.box != nil {
			return ss.fail("already logged in")
		}
		return ss.fail("log in first")
	},
	Unknown: func(ss *session, _, _ string) error { return ss.fail("unknown command") },
	TooLong: func(ss *session, _ string) (string, error) {
		_ = ss.reply(false, "line too long")
		return "", linesrv.ErrQuit
	},
}

// ServeConn runs a POP3 session on c, which may be a *tls.Conn already, until
// QUIT, an error or c closes; then it closes c, or the TLS connection STLS
// made of it.
func (srv *Server) ServeConn(c net.Conn) {
	ss := &session{srv: srv, c: linesrv.NewConn(c, linesrv.Options{MaxLine: MaxLine, MaxErrors: maxErrors})}
	defer func() { _ = ss.c.Close() }()
	host := srv.Hostname
	if host == "" {
		host = "localhost"
	}
	if ss.reply(true, "%s POP3 netrun sandbox ready", host) != nil {
		return
	}
	commands.Serve(ss.c, ss)
}

// reply writes a +OK or -ERR line.
func (ss *session) reply(ok bool, format string, args ...any) error {
	status := "+OK"
	if !ok {
		status = "-ERR"
	}
	if format != "" {
		status += " " + fmt.Sprintf(format, args...)
	}
	return ss.c.W.PrintfLine("%s", status)
}

// fail writes -ERR and ends the session after too many failures in a row.
func (ss *session) fail(format string, args ...any) error {
	if err := ss.reply(false, format, args...); err != nil {
		return err
	}
	return ss.c.Failed()
}

// ok writes +OK and counts the command as a success.
func (ss *session) ok(format string, args ...any) error {
	ss.c.Succeeded()
	return ss.reply(true, format, args...)
}

// noop answers NOOP.
func (ss *session) noop(_, _ string) error { return ss.ok("") }

// user takes the name of USER.
func (ss *session) user(_, arg string) error {
	ss.name = arg
	return ss.ok("send your password")
}

// capa writes the capability list.
func (ss *session) capa(_, _ string) error {
	caps := []string{"TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"}
	if ss.box == nil { // USER only before login, as Dovecot lists it
		caps = append([]string{"USER"}, caps...)
	}
	if ss.srv.TLS != nil && !ss.c.IsTLS() && ss.box == nil {
		caps = append(caps, "STLS")
	}
	caps = append(caps, "IMPLEMENTATION netrun-sandbox")
	if err := ss.ok("capability list follows"); err != nil {
		return err
	}
	return ss.c.WriteLines(caps)
}

// stls starts TLS; anything the client sent after STLS before the handshake
// is dropped, as RFC 2595 asks.
func (ss *session) stls(_, _ string) error {
	if ss.srv.TLS == nil || ss.c.IsTLS() {
		return ss.fail("STLS not available")
	}
	if err := ss.ok("begin TLS negotiation"); err != nil {
		return err
	}
	return ss.c.StartTLS(ss.srv.TLS)
}

// pass checks the password of the user USER named and opens the maildrop.
func (ss *session) pass(_, pw string) error {
	if ss.name == "" {
		return ss.fail("USER first")
	}
	u, err := ss.srv.Store.Login(ss.name, pw)
	ss.name = ""
	if err != nil {
		return ss.fail("[AUTH] authentication failed")
	}
	box, err := u.Mailbox(mailstore.Inbox)
	if err != nil {
		return ss.fail("[SYS/TEMP] no maildrop: %v", err)
	}
	ss.box = box
	ss.msgs = box.Messages()
	ss.deleted = make([]bool, len(ss.msgs))
	n, size := ss.count()
	return ss.ok("maildrop has %d messages (%d octets)", n, size)
}

// quit removes the messages marked deleted, if logged in, and ends the
// session.
func (ss *session) quit(_, _ string) error {
	if ss.box != nil {
		var uids []imap.UID
		for i, d := range ss.deleted {
			if d {
				uids = append(uids, ss.msgs[i].UID)
			}
		}
		if len(uids) > 0 {
			ss.box.Remove(uids)
		}
	}
	_ = ss.reply(true, "bye")
	return linesrv.ErrQuit
}

// count returns the number and total size of the messages not deleted.
func (ss *session) count() (n int, size int64) {
	for i, m := range ss.msgs {
		if !ss.deleted[i] {
			n++
			size += octets(m.Raw)
		}
	}
	return n, size
}

// uidl is a message's unique id: the mailbox's UIDVALIDITY and the UID.
func (ss *session) uidl(m mailstore.Message) string {
	return fmt.Sprintf("%d.%d", ss.box.UIDValidity(), m.UID)
}

// octets is the size of raw as RETR sends it, before dot-stuffing: each bare
// LF becomes CRLF, and a CRLF ends the last line if nothing did.
func octets(raw []byte) int64 {
	n := len(raw) + bytes.Count(raw, []byte("\n")) - bytes.Count(raw, []byte("\r\n"))
	switch {
	case len(raw) == 0 || raw[len(raw)-1] == '\n':
	case raw[len(raw)-1] == '\r':
		n++ // textproto's DotWriter adds the LF
	default:
		n += 2
	}
	return int64(n)
}

// number parses a message number and returns its index, or fails when
// there is no such message or it is deleted.
func (ss *session) number(arg string) (int, bool) {
	n, err := strconv.Atoi(arg)
	if err != nil || n < 1 || n > len(ss.msgs) || ss.deleted[n-1] {
		return 0, false
	}
	return n - 1, true
}
