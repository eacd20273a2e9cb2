package imap

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// maxPlainLine bounds a line the server sends before TLS.
const maxPlainLine = 8 << 10

// startTLS reads the greeting, checks that the capabilities list STARTTLS,
// sends STARTTLS and runs the TLS handshake (RFC 9051 section 6.2.1). The
// deadline of ctx is already set on nc. It returns the TLS connection and
// the facts of its session.
func startTLS(ctx context.Context, s *engine.Session, nc net.Conn, cfg *tls.Config, peer string) (*tls.Conn, *tlsconf.Info, error) {
	p := &plain{ctx: ctx, s: s, nc: nc, br: bufio.NewReaderSize(nc, maxPlainLine), start: time.Now()}
	greeting, err := p.line()
	if err != nil {
		return nil, nil, fmt.Errorf("starttls: greeting: %w", err)
	}
	status, text := statusOf(strings.TrimPrefix(greeting, "* "))
	switch {
	case !strings.HasPrefix(greeting, "* "):
		return nil, nil, &engine.Mismatch{Msg: fmt.Sprintf("starttls: the greeting %q is not an IMAP greeting", greeting), Received: []byte(greeting)}
	case status == "PREAUTH":
		return nil, nil, fmt.Errorf("starttls: the server greeted with PREAUTH, so the session is already open without TLS and STARTTLS is not possible")
	case status == "BYE":
		return nil, nil, fmt.Errorf("starttls: the server refused the connection: %s", text)
	case status != "OK":
		return nil, nil, &engine.Mismatch{Msg: fmt.Sprintf("starttls: the greeting %q is not an IMAP greeting", greeting), Received: []byte(greeting)}
	}
	caps := capsIn(text)
	if caps == nil {
		untagged, status, text, err := p.command("S1", "CAPABILITY")
		if err != nil {
			return nil, nil, fmt.Errorf("starttls: CAPABILITY: %w", err)
		}
		if status != "OK" {
			return nil, nil, fmt.Errorf("starttls: CAPABILITY: the server answered %s %s", status, text)
		}
		for _, u := range untagged {
			if w := strings.Fields(u); len(w) > 0 && strings.EqualFold(w[0], "CAPABILITY") {
				caps = w[1:]
			}
		}
	}
	if !hasWord(caps, "STARTTLS") {
		return nil, nil, fmt.Errorf("starttls: the server does not offer STARTTLS (capabilities: %s)", strings.Join(caps, " "))
	}
	_, status, text, err = p.command("S2", "STARTTLS")
	if err != nil {
		return nil, nil, fmt.Errorf("starttls: %w", err)
	}
	if status != "OK" {
		return nil, nil, fmt.Errorf("starttls: the server answered %s %s", status, text)
	}
	if p.br.Buffered() > 0 {
		return nil, nil, fmt.Errorf("starttls: the server sent data after its STARTTLS reply, before TLS; refusing it (it could be injected)")
	}
	tc := tls.Client(nc, cfg)
	info, err := tlsconf.Handshake(ctx, s, tc, peer)
	if err != nil {
		return nil, nil, err
	}
	return tc, info, nil
}

// maxPlain bounds all the server may send before TLS: an endless run of
// untagged lines is cut there.
const maxPlain = 1 << 20

// plain speaks IMAP lines before TLS.
type plain struct {
	ctx   context.Context
	s     *engine.Session
	nc    net.Conn
	br    *bufio.Reader
	start time.Time
	got   int // bytes received
}

// line reads one line, without its ending.
func (p *plain) line() (string, error) {
	b, err := p.br.ReadSlice('\n')
	if len(b) > 0 {
		p.s.Received(b)
	}
	p.got += len(b)
	switch {
	case err == nil && p.got > maxPlain:
		return "", &engine.Mismatch{Msg: fmt.Sprintf("the server sent more than %s before TLS; the cap bounds memory", bytesize.Format(maxPlain)), Received: b}
	case err == nil:
		return strings.TrimRight(string(b), "\r\n"), nil
	case errors.Is(err, bufio.ErrBufferFull):
		return "", &engine.Mismatch{Msg: fmt.Sprintf("the server sent a line longer than %s", bytesize.Format(maxPlainLine)), Received: b}
	case errors.Is(expiredErr(p.ctx), context.Canceled):
		return "", netconn.Explain(context.Canceled, "interrupted")
	case p.ctx.Err() != nil || wire.IsTimeout(err):
		if len(b) > 0 {
			return "", &engine.Mismatch{Received: b, Msg: fmt.Sprintf("the server sent %s without a line ending, then nothing more within %s (lines end with CRLF)",
				bytesize.Format(len(b)), budget(p.ctx, p.start))}
		}
		return "", &engine.Mismatch{Msg: fmt.Sprintf("no reply from the server within %s", budget(p.ctx, p.start))}
	case errors.Is(err, io.EOF) && len(b) > 0:
		return "", &engine.Mismatch{Received: b, Msg: "the server closed the connection in the middle of a line"}
	case errors.Is(err, io.EOF):
		return "", &engine.Mismatch{Msg: "the server closed the connection without answering"}
	}
	return "", wire.ReadError(err)
}

// command sends tag and cmd and reads up to the tagged reply. It returns
// the untagged lines (without "* ") and the reply's status and text.
func (p *plain) command(tag, cmd string) (untagged []string, status, text string, err error) {
	line := tag + " " + cmd + "\r\n"
	p.s.Sent([]byte(line))
	if _, err := io.WriteString(p.nc, line); err != nil {
		return nil, "", "", wire.WriteError(err)
	}
	for {
		l, err := p.line()
		if err != nil {
			return nil, "", "", err
		}
		if rest, ok := strings.CutPrefix(l, tag+" "); ok {
			status, text = statusOf(rest)
			return untagged, status, text, nil
		}
		if rest, ok := strings.CutPrefix(l, "* "); ok {
			untagged = append(untagged, rest)
		}
	}
}

// statusOf splits "OK text" into the upper-case status and the text.
func statusOf(s string) (status, text string) {
	status, text, _ = strings.Cut(s, " ")
	return strings.ToUpper(status), text
}

// capsIn returns the capabilities of a "[CAPABILITY ...]" response code at
// the start of text, or nil.
func capsIn(text string) []string {
	rest, ok := strings.CutPrefix(text, "[")
	if !ok {
		return nil
	}
	code, _, ok := strings.Cut(rest, "]")
	if w := strings.Fields(code); ok && len(w) > 0 && strings.EqualFold(w[0], "CAPABILITY") {
		return w[1:]
	}
	return nil
}

// hasWord reports whether words holds w, in any case.
func hasWord(words []string, w string) bool {
	for _, x := range words {
		if strings.EqualFold(x, w) {
			return true
		}
	}
	return false
}
