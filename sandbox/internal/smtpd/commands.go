package smtpd

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netrunhq/netrun/sandbox/internal/linesrv"
	"github.com/netrunhq/netrun/sandbox/internal/mailstore"
)

// auth runs AUTH PLAIN and AUTH LOGIN (RFC 4954), with or without an
// initial response.
func (ss *session) auth(_, arg string) error {
	mech, initial, hasInitial := strings.Cut(arg, " ")
	// Postfix takes AUTH before EHLO too, and checks that AUTH is enabled
	// before anything else, the syntax included.
	switch {
	case !ss.authEnabled():
		return ss.fail(503, "5.5.1", "Error: authentication not enabled")
	case ss.user != "":
		return ss.fail(503, "5.5.1", "Error: already authenticated")
	case ss.inMail:
		return ss.fail(503, "5.5.1", "Error: MAIL transaction in progress")
	case mech == "":
		return ss.fail(501, "5.5.4", "Syntax: AUTH mechanism")
	}
	sasl := &saslExchange{ss: ss, initial: initial, hasInitial: hasInitial}
	var user, password string
	switch strings.ToUpper(mech) {
	case "PLAIN":
		resp, err := sasl.next("")
		if err != nil {
			return ss.authError(err)
		}
		f := strings.Split(string(resp), "\x00")
		if len(f) != 3 || (f[0] != "" && f[0] != f[1]) {
			return ss.fail(535, "5.7.8", "Error: authentication failed: bad PLAIN response")
		}
		user, password = f[1], f[2]
	case "LOGIN":
		u, err := sasl.next("Username:")
		if err != nil {
			return ss.authError(err)
		}
		p, err := sasl.next("Password:")
		if err != nil {
			return ss.authError(err)
		}
		user, password = string(u), string(p)
	default:
		// Postfix answers 535 where RFC 4954 (section 4) asks for 504.
		return ss.fail(535, "5.7.8", "Error: authentication failed: Invalid authentication mechanism")
	}
	if _, err := ss.cfg.Store.Login(user, password); err != nil {
		return ss.fail(535, "5.7.8", "Error: authentication failed: authentication failure")
	}
	ss.user = user
	return ss.ok(235, "2.7.0", "Authentication successful")
}

// saslExchange reads the client's responses of one AUTH command.
type saslExchange struct {
	ss         *session
	initial    string // the initial response of the AUTH line
	hasInitial bool   // the AUTH line had one, which next has not returned yet
}

// next returns the client's next response, decoded: the initial one first,
// if given ("=" is an empty one), else one after a 334 challenge.
func (x *saslExchange) next(challenge string) ([]byte, error) {
	if x.hasInitial {
		x.hasInitial = false
		if x.initial == "=" {
			return []byte{}, nil
		}
		return base64.StdEncoding.DecodeString(x.initial)
	}
	if err := x.ss.reply(334, "", "%s", base64.StdEncoding.EncodeToString([]byte(challenge))); err != nil {
		return nil, err
	}
	line, err := x.ss.c.ReadLine()
	if err != nil {
		return nil, err
	}
	if line == "*" {
		return nil, errAborted
	}
	return base64.StdEncoding.DecodeString(line)
}

// errAborted is a client's "*" during AUTH.
var errAborted = errors.New("authentication aborted")

// authError answers a failed AUTH exchange; a network error ends the session.
func (ss *session) authError(err error) error {
	switch {
	case errors.Is(err, errAborted):
		return ss.fail(501, "5.7.0", "Authentication aborted")
	case errors.Is(err, linesrv.ErrLineTooLong):
		_ = ss.reply(500, "5.5.0", "Error: line too long, closing connection")
		return linesrv.ErrQuit
	}
	var b64 base64.CorruptInputError
	if errors.As(err, &b64) { // 535, as Postfix answers
		return ss.fail(535, "5.7.8", "Error: authentication failed: Invalid base64 data")
	}
	return err
}

// path reads the address after FROM: or TO: and the parameters after it.
// As Postfix does, it takes an address without angle brackets.
func path(arg, prefix string) (addr string, params []string, ok bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", nil, false
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	if strings.HasPrefix(rest, "<") {
		end := strings.IndexByte(rest, '>')
		if end < 0 {
			return "", nil, false
		}
		return rest[1:end], strings.Fields(rest[end+1:]), true
	}
	f := strings.Fields(rest)
	if len(f) == 0 {
		return "", nil, false
	}
	return f[0], f[1:], true
}

// mail runs MAIL FROM, with the parameters SIZE, BODY, SMTPUTF8 and AUTH.
func (ss *session) mail(_, arg string) error {
	// Postfix takes MAIL before HELO (smtpd_helo_required = no, its
	// default), though RFC 5321 wants a HELO first; so does the sandbox.
	if ss.inMail {
		return ss.fail(503, "5.5.1", "Error: nested MAIL command")
	}
	from, params, ok := path(arg, "FROM:")
	if !ok {
		return ss.fail(501, "5.5.4", "Syntax: MAIL FROM:<address>")
	}
	for _, p := range params {
		key, value, _ := strings.Cut(p, "=")
		switch strings.ToUpper(key) {
		case "SIZE":
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil || n < 0 {
				return ss.fail(501, "5.5.4", "Bad message size syntax")
			}
			if n > MaxMessageBytes {
				return ss.fail(552, "5.3.4", "Message size exceeds fixed limit")
			}
		case "BODY":
			if !strings.EqualFold(value, "8BITMIME") && !strings.EqualFold(value, "7BIT") {
				return ss.fail(555, "5.5.4", "Unsupported option: %s", p)
			}
		case "AUTH":
		case "SMTPUTF8": // RFC 6531: the addresses and header may be UTF-8
			if value != "" || strings.Contains(p, "=") {
				return ss.fail(501, "5.5.4", "Bad SMTPUTF8 syntax")
			}
		default:
			return ss.fail(555, "5.5.4", "Unsupported option: %s", p)
		}
	}
	ss.inMail, ss.from = true, from
	return ss.ok(250, "2.1.0", "Ok")
}

// rcpt runs RCPT TO: a user of the store at a local domain, or without a
// domain (Postfix then adds its own).
func (ss *session) rcpt(_, arg string) error {
	if !ss.inMail {
		return ss.fail(503, "5.5.1", "Error: need MAIL command")
	}
	to, params, ok := path(arg, "TO:")
	if !ok {
		return ss.fail(501, "5.5.4", "Syntax: RCPT TO:<address>")
	}
	if to == "" {
		return ss.fail(501, "5.1.3", "Bad recipient address syntax")
	}
	if len(params) > 0 {
		return ss.fail(555, "5.5.4", "Unsupported option: %s", params[0])
	}
	if ss.nrcpt >= MaxRecipients {
		return ss.fail(452, "4.5.3", "Error: too many recipients")
	}
	local, domain := to, ss.cfg.Domains[0]
	if at := strings.LastIndexByte(to, '@'); at >= 0 {
		local, domain = to[:at], to[at+1:]
	}
	if !slices.ContainsFunc(ss.cfg.Domains, func(d string) bool { return strings.EqualFold(d, domain) }) {
		return ss.fail(550, "5.7.1", "Relaying to %s denied: this sandbox delivers only to %s", domain, strings.Join(ss.cfg.Domains, ", "))
	}
	user := ""
	for _, name := range []string{local, strings.ToLower(local)} {
		if ss.cfg.Store.User(name) != nil {
			user = name
			break
		}
	}
	if user == "" {
		return ss.fail(550, "5.1.1", "No such user here: %s", to)
	}
	ss.nrcpt++
	if !slices.ContainsFunc(ss.rcpts, func(r rcpt) bool { return r.user == user }) {
		ss.rcpts = append(ss.rcpts, rcpt{user: user, addr: to})
	}
	return ss.ok(250, "2.1.5", "Ok")
}

// data runs DATA: the message, dot-stuffed, up to a line with a lone dot.
func (ss *session) data(_, arg string) error {
	switch {
	case arg != "":
		return ss.fail(501, "5.5.4", "Syntax: DATA")
	case !ss.inMail:
		return ss.fail(503, "5.5.1", "Error: need RCPT command")
	case len(ss.rcpts) == 0:
		return ss.fail(554, "5.5.1", "Error: no valid recipients")
	}
	if err := ss.ok(354, "", "End data with <CR><LF>.<CR><LF>"); err != nil {
		return err
	}
	// Lines as long as the message, line ends as the client sent them
	// (a lone dot ends it after CRLF or a bare LF, as Postfix takes it);
	// past MaxMessageBytes it reads on to the dot but keeps nothing.
	body, err := ss.c.ReadBlock(linesrv.Block{Max: MaxMessageBytes, LongLines: true, Drain: true})
	if err != nil && !errors.Is(err, linesrv.ErrBlockTooLarge) {
		return err
	}
	defer ss.reset()
	if err != nil {
		return ss.fail(552, "5.3.4", "Error: message file too big")
	}
	id := queueID()
	now := time.Now()
	ds := make([]mailstore.Delivery, len(ss.rcpts))
	for i, rc := range ss.rcpts {
		var buf bytes.Buffer
		buf.Grow(len(body) + 512)
		ss.writeTrace(&buf, rc.addr, id, now)
		buf.Write(body)
		ds[i] = mailstore.Delivery{User: rc.user, Raw: buf.Bytes()}
	}
	// All recipients or none, so that a client that retries after 452
	// gives nobody a second copy.
	if err := ss.cfg.Store.DeliverAll(ds, now); errors.Is(err, mailstore.ErrStoreFull) {
		// Postfix's answer when its queue's disk is full.
		return ss.fail(452, "4.3.1", "Insufficient system storage")
	} else if err != nil {
		return ss.fail(451, "4.3.0", "Error: delivery failed")
	}
	return ss.ok(250, "2.0.0", "Ok: queued as %s", id)
}

// writeTrace writes the Return-Path and Received header fields of RFC 5321
// section 4.4, with the protocol names of RFC 3848.
func (ss *session) writeTrace(buf *bytes.Buffer, to, id string, now time.Time) {
	with := "ESMTP"
	if ss.c.IsTLS() {
		with += "S"
	}
	if ss.user != "" {
		with += "A"
	}
	fmt.Fprintf(buf, "Return-Path: <%s>\r\n", ss.from)
	fmt.Fprintf(buf, "Received: from %s (%s)\r\n\tby %s (netrun sandbox) with %s id %s\r\n\tfor <%s>; %s\r\n",
		cmp.Or(ss.helo, "unknown"), ss.c.Net().RemoteAddr(), ss.cfg.Hostname, with, id, to, now.Format(time.RFC1123Z))
}

// queueID returns a random id for a Received header.
func queueID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}
