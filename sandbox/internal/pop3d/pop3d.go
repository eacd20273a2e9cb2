// Package pop3d is the sandbox's POP3 server (RFC 1939, with CAPA and STLS
// of RFC 2449 and RFC 2595) over the INBOXes of a mailstore.Store.
//
// A session sees the messages its INBOX held at login. DELE only marks a
// message; the marked messages leave the store at QUIT, and not at all if
// the connection ends without QUIT. Lines from the client are bounded, and
// each read waits at most Server.Idle.
package pop3d

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
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
	// Idle bounds the wait for each command; 0 means no bound.
	Idle time.Duration
	// Hostname is named in the greeting; default "localhost".
	Hostname string
}

// session is the state of one connection.
type session struct {
	srv   *Server
	conn  net.Conn // *tls.Conn once in TLS
	r     *bufio.Reader
	w     *textproto.Writer
	isTLS bool

	name    string              // from USER
	box     *mailstore.Mailbox  // the INBOX once logged in
	msgs    []mailstore.Message // the maildrop at login
	deleted []bool              // marked by DELE, by index into msgs
	errors  int                 // failed commands in a row
}

// errQuit ends a session after its last reply.
var errQuit = errors.New("quit")

// ServeConn runs a POP3 session on c, which may be a *tls.Conn already, until
// QUIT, an error or c closes; then it closes c, or the TLS connection STLS
// made of it.
func (srv *Server) ServeConn(c net.Conn) {
	_, isTLS := c.(*tls.Conn)
	ss := &session{srv: srv, isTLS: isTLS}
	ss.setConn(c)
	defer func() { _ = ss.conn.Close() }()
	host := srv.Hostname
	if host == "" {
		host = "localhost"
	}
	if ss.reply(true, "%s POP3 netrun sandbox ready", host) != nil {
		return
	}
	for {
		line, err := ss.readLine()
		if errors.Is(err, bufio.ErrBufferFull) {
			_ = ss.reply(false, "line too long")
			return
		}
		if err != nil {
			return
		}
		cmd, arg, _ := strings.Cut(line, " ")
		if err := ss.do(strings.ToUpper(cmd), arg); err != nil {
			return
		}
	}
}

// setConn reads and writes c from now on.
func (ss *session) setConn(c net.Conn) {
	ss.conn = c
	ss.r = bufio.NewReaderSize(c, MaxLine)
	ss.w = textproto.NewWriter(bufio.NewWriter(c))
}

// readLine reads one line without its line ending. A line longer than
// MaxLine is bufio.ErrBufferFull.
func (ss *session) readLine() (string, error) {
	if ss.srv.Idle > 0 {
		if err := ss.conn.SetReadDeadline(time.Now().Add(ss.srv.Idle)); err != nil {
			return "", err
		}
	}
	line, err := ss.r.ReadSlice('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(line), "\r\n"), nil
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
	return ss.w.PrintfLine("%s", status)
}

// fail writes -ERR and ends the session after too many failures in a row.
func (ss *session) fail(format string, args ...any) error {
	if err := ss.reply(false, format, args...); err != nil {
		return err
	}
	ss.errors++
	if ss.errors >= maxErrors {
		return errQuit
	}
	return nil
}

// do runs one command and returns an error when the session must end.
func (ss *session) do(cmd, arg string) error {
	loggedIn := ss.box != nil
	switch {
	case cmd == "QUIT":
		return ss.quit()
	case cmd == "CAPA":
		return ss.capa()
	case cmd == "NOOP" && loggedIn:
		return ss.ok("")
	case !loggedIn && cmd == "STLS":
		return ss.stls()
	case !loggedIn && cmd == "USER":
		ss.name = arg
		return ss.ok("send your password")
	case !loggedIn && cmd == "PASS":
		return ss.pass(arg)
	case loggedIn && (cmd == "STAT" || cmd == "LIST" || cmd == "UIDL" || cmd == "RETR" ||
		cmd == "TOP" || cmd == "DELE" || cmd == "RSET"):
		return ss.transaction(cmd, arg)
	case cmd == "USER" || cmd == "PASS" || cmd == "STLS":
		return ss.fail("already logged in")
	case cmd == "STAT" || cmd == "LIST" || cmd == "UIDL" || cmd == "RETR" || cmd == "TOP" ||
		cmd == "DELE" || cmd == "RSET" || cmd == "NOOP":
		return ss.fail("log in first")
	}
	return ss.fail("unknown command")
}

// ok writes +OK and counts the command as a success.
func (ss *session) ok(format string, args ...any) error {
	ss.errors = 0
	return ss.reply(true, format, args...)
}

// capa writes the capability list.
func (ss *session) capa() error {
	caps := []string{"TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"}
	if ss.box == nil { // USER only before login, as Dovecot lists it
		caps = append([]string{"USER"}, caps...)
	}
	if ss.srv.TLS != nil && !ss.isTLS && ss.box == nil {
		caps = append(caps, "STLS")
	}
	caps = append(caps, "IMPLEMENTATION netrun-sandbox")
	if err := ss.ok("capability list follows"); err != nil {
		return err
	}
	return ss.lines(caps)
}

// lines writes a multi-line body of short lines and its terminating dot.
// An empty body is the dot alone: textproto's DotWriter would write an
// empty line before it, which clients such as poplib read as one line.
func (ss *session) lines(lines []string) error {
	var b strings.Builder
	for _, l := range lines {
		if strings.HasPrefix(l, ".") {
			b.WriteByte('.')
		}
		b.WriteString(l + "\r\n")
	}
	b.WriteString(".\r\n")
	if _, err := ss.w.W.WriteString(b.String()); err != nil {
		return err
	}
	return ss.w.W.Flush()
}

// stls starts TLS; anything the client sent after STLS before the handshake
// is dropped, as RFC 2595 asks.
func (ss *session) stls() error {
	if ss.srv.TLS == nil || ss.isTLS {
		return ss.fail("STLS not available")
	}
	if err := ss.ok("begin TLS negotiation"); err != nil {
		return err
	}
	tc := tls.Server(ss.conn, ss.srv.TLS)
	if err := tc.Handshake(); err != nil {
		return err
	}
	ss.setConn(tc)
	ss.isTLS = true
	return nil
}

// pass checks the password of the user USER named and opens the maildrop.
func (ss *session) pass(pw string) error {
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
	n, size := ss.stat()
	return ss.ok("maildrop has %d messages (%d octets)", n, size)
}

// quit removes the messages marked deleted, if logged in, and ends the
// session.
func (ss *session) quit() error {
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
	return errQuit
}

// stat returns the number and total size of the messages not deleted.
func (ss *session) stat() (n int, size int64) {
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
