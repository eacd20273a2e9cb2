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
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
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
	srv   *Server
	conn  net.Conn // *tls.Conn once in TLS
	r     *bufio.Reader
	w     *textproto.Writer
	isTLS bool
	host  string

	group   string // the current group; "" before GROUP
	current int    // the current article number; 0 for none
	user    string // from AUTHINFO USER, waiting for PASS
	authed  string // the user logged in
	errors  int    // failed commands in a row
}

// errQuit ends a session after its last reply.
var errQuit = errors.New("quit")

// ServeConn runs an NNTP session on c, which may be a *tls.Conn already,
// until QUIT, an error or c closes; then it closes c, or the TLS
// connection STARTTLS made of it. Deadlines are the caller's: the sandbox
// gives every connection an idle deadline.
func (srv *Server) ServeConn(c net.Conn) {
	_, isTLS := c.(*tls.Conn)
	ss := &session{srv: srv, isTLS: isTLS, host: srv.Hostname}
	if ss.host == "" {
		ss.host = "localhost"
	}
	ss.setConn(c)
	defer func() { _ = ss.conn.Close() }()
	if ss.reply(201, "%s NNTP netrun sandbox ready (log in to post)", ss.host) != nil {
		return
	}
	for {
		line, err := ss.readLine()
		if errors.Is(err, bufio.ErrBufferFull) {
			_ = ss.reply(501, "line too long (at most %d bytes)", MaxLine)
			return
		}
		if err != nil {
			return
		}
		cmd, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
		if err := ss.do(strings.ToUpper(cmd), strings.TrimSpace(arg)); err != nil {
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
	line, err := ss.r.ReadSlice('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

// reply writes a status line and flushes it.
func (ss *session) reply(code int, format string, args ...any) error {
	return ss.w.PrintfLine("%03d %s", code, fmt.Sprintf(format, args...))
}

// ok writes a success status line and counts the command as a success.
func (ss *session) ok(code int, format string, args ...any) error {
	ss.errors = 0
	return ss.reply(code, format, args...)
}

// fail writes an error status line and ends the session after too many
// failures in a row.
func (ss *session) fail(code int, format string, args ...any) error {
	if err := ss.reply(code, format, args...); err != nil {
		return err
	}
	ss.errors++
	if ss.errors >= maxErrors {
		return errQuit
	}
	return nil
}

// block writes a success status line, then data as a dot-terminated
// block: textproto's DotWriter doubles a leading dot, writes CRLF line
// ends and the final ".".
func (ss *session) block(code int, status string, data []byte) error {
	ss.errors = 0
	if err := ss.w.PrintfLine("%03d %s", code, status); err != nil {
		return err
	}
	if len(data) == 0 {
		// The dot alone: textproto's DotWriter would write an empty line
		// before it, which nntplib reads as one line (and a LIST entry it
		// cannot parse).
		if _, err := ss.w.W.WriteString(".\r\n"); err != nil {
			return err
		}
		return ss.w.W.Flush()
	}
	dw := ss.w.DotWriter()
	if _, err := dw.Write(data); err != nil {
		return err
	}
	return dw.Close()
}

// lines writes a success status line and the lines as a block.
func (ss *session) lines(code int, status string, lines []string) error {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l + "\r\n")
	}
	return ss.block(code, status, []byte(b.String()))
}

// do runs one command and returns an error when the session must end.
func (ss *session) do(cmd, arg string) error {
	switch cmd {
	case "QUIT":
		_ = ss.reply(205, "closing connection")
		return errQuit
	case "CAPABILITIES":
		return ss.lines(101, "Capability list:", ss.capabilities())
	case "MODE":
		if !strings.EqualFold(arg, "READER") {
			return ss.fail(501, "only MODE READER is known")
		}
		if ss.authed != "" {
			return ss.ok(200, "reader mode, posting allowed")
		}
		return ss.ok(201, "reader mode, log in to post")
	case "DATE":
		return ss.ok(111, "%s", now())
	case "HELP":
		return ss.lines(100, "Help text follows", strings.Split(helpText, "\n"))
	case "STARTTLS":
		return ss.startTLS()
	case "AUTHINFO":
		return ss.authinfo(arg)
	case "POST":
		return ss.post()
	}
	if handled, err := ss.reader(cmd, arg); handled {
		return err
	}
	return ss.fail(500, "unknown command %q", cmd)
}

// capabilities lists what the session may do now (RFC 3977, section 5.2).
func (ss *session) capabilities() []string {
	caps := []string{"VERSION 2", "READER", "IMPLEMENTATION netrun sandbox", "LIST ACTIVE NEWSGROUPS OVERVIEW.FMT HEADERS",
		"OVER MSGID", "HDR"}
	if ss.authed != "" {
		caps = append(caps, "POST")
	} else {
		caps = append(caps, "AUTHINFO USER")
	}
	if ss.srv.TLS != nil && !ss.isTLS && ss.authed == "" {
		caps = append(caps, "STARTTLS")
	}
	return caps
}

// startTLS starts TLS (RFC 4642). What the client sent after STARTTLS
// before the handshake is dropped.
func (ss *session) startTLS() error {
	if ss.srv.TLS == nil || ss.isTLS {
		return ss.fail(502, "already using TLS, or TLS is not available")
	}
	if ss.authed != "" {
		return ss.fail(502, "STARTTLS is not allowed after AUTHINFO")
	}
	if err := ss.ok(382, "continue with TLS negotiation"); err != nil {
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

// authinfo runs AUTHINFO USER and AUTHINFO PASS (RFC 4643).
func (ss *session) authinfo(arg string) error {
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
func (ss *session) post() error {
	if ss.authed == "" {
		return ss.fail(480, "authentication required to post: AUTHINFO USER and PASS")
	}
	if err := ss.ok(340, "send article to be posted; end with <CR-LF>.<CR-LF>"); err != nil {
		return err
	}
	var art []byte
	for {
		line, err := ss.r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			_ = ss.reply(441, "a line of the article is longer than %d bytes", MaxLine)
			return errQuit
		}
		if err != nil {
			return err
		}
		if string(line) == ".\r\n" || string(line) == ".\n" {
			break
		}
		if len(line) > 0 && line[0] == '.' {
			line = line[1:]
		}
		if len(art)+len(line) > MaxArticle {
			_ = ss.reply(441, "the article is larger than %d bytes", MaxArticle)
			return errQuit
		}
		art = append(art, line...)
	}
	id, err := ss.srv.Store.Post(art, ss.host)
	if err != nil {
		return ss.fail(441, "posting failed: %v", err)
	}
	return ss.ok(240, "article received %s", id)
}
