package sandbox

import (
	"crypto/tls"
	"net"
	"strconv"
	"time"
)

// What a service says to a connection over its limit of maxConns, as the
// real servers of its protocol say it, before closing it. A client is
// told at once instead of waiting in the backlog behind idle or slow
// sessions.
var (
	// busySMTP: Postfix's smtpd answers 421 when it has no free process.
	busySMTP = []byte("421 4.7.0 sandbox: too many connections, try again later\r\n")
	// busyPOP3 and busyIMAP: Dovecot's BYE and -ERR with [SYS/TEMP]
	// (RFC 3206) and [UNAVAILABLE] (RFC 5530).
	busyPOP3 = []byte("-ERR [SYS/TEMP] sandbox: too many connections, try again later\r\n")
	busyIMAP = []byte("* BYE [UNAVAILABLE] sandbox: too many connections, try again later\r\n")
	// busyNNTP: 400, service temporarily unavailable (RFC 3977 §5.1.1),
	// as INN's nnrpd answers over its connection limit.
	busyNNTP = []byte("400 sandbox: too many connections, try again later\r\n")
	// busyFTP: vsftpd's "421 There are too many connected users".
	busyFTP = []byte("421 sandbox: too many connections, try again later\r\n")
	// busyHTTP serves http, https, ws and wss.
	busyHTTP = httpBusy("sandbox: too many connections, try again later\n")
)

// httpBusy is a whole HTTP/1.1 503 response with body.
func httpBusy(body string) []byte {
	return []byte("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n" +
		"Retry-After: 1\r\nConnection: close\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body)
}

// refuseTimeout bounds the TLS handshake and the write of a refusal.
const refuseTimeout = 2 * time.Second

// gate admits at most max connections of a listener at once. A connection
// over the limit is refused: it gets busy (in TLS when cfg is set), then is
// closed. At most max refusals are under way at once; past that, a
// connection is closed unanswered, so that a flood costs a bounded number
// of goroutines.
type gate struct {
	s        *Sandbox
	slots    chan struct{}
	refusing chan struct{}
	cfg      *tls.Config
	busy     []byte
}

func newGate(s *Sandbox, cfg *tls.Config, busy []byte) *gate {
	return &gate{s: s, slots: make(chan struct{}, s.maxConns), refusing: make(chan struct{}, s.maxConns), cfg: cfg, busy: busy}
}

// admit takes a slot for a connection just accepted and reports true, or
// refuses the connection and reports false. The caller gives the slot
// back with release when the connection ends.
func (g *gate) admit(raw net.Conn) bool {
	select {
	case g.slots <- struct{}{}:
		return true
	default:
	}
	select {
	case g.refusing <- struct{}{}:
	default:
		_ = raw.Close()
		return false
	}
	err := g.s.goServe(raw, func() {
		defer func() { <-g.refusing }()
		g.refuse(raw)
	})
	if err != nil {
		<-g.refusing
	}
	return false
}

// release gives back the slot of a connection that ended.
func (g *gate) release() { <-g.slots }

// refuse says busy on raw, within refuseTimeout; goServe closes raw.
func (g *gate) refuse(raw net.Conn) {
	if len(g.busy) == 0 {
		return
	}
	_ = raw.SetDeadline(time.Now().Add(refuseTimeout))
	var c net.Conn = raw
	if g.cfg != nil {
		tc := tls.Server(raw, g.cfg)
		if tc.Handshake() != nil {
			return
		}
		c = tc
	}
	_, _ = c.Write(g.busy)
	if tc, ok := c.(*tls.Conn); ok {
		_ = tc.CloseWrite() // close_notify, so that the client reads the refusal whole
	}
}
