package ws

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/web"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// DefaultMaxMessage is the largest message an expect takes unless
// max_message says otherwise: 1 MiB.
const DefaultMaxMessage = 1 << 20

// options are what connect takes beside the URL.
type options struct {
	// Options are tls (wss) and headers, sent with the handshake request
	// (Origin, Authorization).
	web.Options `yaml:",inline"`
	// Subprotocols are offered in Sec-WebSocket-Protocol, in order.
	Subprotocols []engine.Template `yaml:"subprotocols"`
	// MaxMessage bounds a message received, such as 1MiB (the default).
	MaxMessage engine.Template `yaml:"max_message"`
}

// ConnectResult is the result of connect.
type ConnectResult struct {
	netconn.ConnectResult
	// URL is the WebSocket URL connected to.
	URL string `expr:"url" json:"url"`
	// Subprotocol is the subprotocol the server chose; empty for none.
	Subprotocol string `expr:"subprotocol" json:"subprotocol"`
	// Headers are the headers of the server's handshake response, by
	// canonical name, values joined with ", ".
	Headers map[string]string `expr:"headers" json:"headers"`
}

// connectAction is a compiled connect step.
type connectAction struct {
	engine.Returns[ConnectResult]
	web.Connect
	opts options
}

func decodeConnect(d *engine.Decoder) (engine.TypedAction, error) {
	a := &connectAction{Connect: web.Connect{URLs: wsURLs}}
	err := a.Decode(d, &a.opts, &a.opts.Options, func(errs *wire.LoadErrors) {
		errs.Add(bytesize.Check(&a.opts.MaxMessage, "max_message"))
		if k := engine.MapKey(d.Options, "tls"); k != nil && d.Scheme == "ws" {
			errs.Add(d.Errorf(k, "tls options need a wss:// URL; ws:// is plain text"))
		}
	})
	return a, err
}

// wsURLs reads URLs scheme://host[:port][/path][?query], port 443 for
// wss and 80 for ws unless given.
var wsURLs = web.URLs{Secure: "wss", Check: checkURL}

// checkURL refuses user names and fragments.
func checkURL(raw string, u *url.URL) error {
	switch {
	case u.User != nil:
		return fmt.Errorf("URL %q has a user name; give credentials with headers", raw)
	case u.Fragment != "":
		return fmt.Errorf("URL %q has a fragment, which WebSocket URLs cannot have", raw)
	}
	return nil
}

// Do runs the handshake and starts reading messages.
func (a *connectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	u, err := a.EvalURL(s)
	if err != nil {
		return nil, err
	}
	maxMessage, err := bytesize.Eval(s, &a.opts.MaxMessage, "max_message", DefaultMaxMessage)
	if err != nil {
		return nil, err
	}
	dopts, err := a.dialOptions(s)
	if err != nil {
		return nil, err
	}
	dl := &dialer{}
	if u.Scheme == "wss" {
		if dl.tls, err = a.opts.TLS.Client(s, u.Hostname()); err != nil {
			return nil, err
		}
	}
	tr := dl.transport()
	// A redirect is not followed: the dialer's TLS setting and the name the
	// certificate is checked against belong to the URL of the step, so a
	// 3xx fails the handshake as any answer other than 101 does.
	dopts.HTTPClient = &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	start := time.Now()
	wc, resp, err := websocket.Dial(ctx, u.String(), dopts)
	// A refused handshake may leave a kept-alive connection behind; a
	// WebSocket's own connection is the library's now.
	defer tr.CloseIdleConnections()
	nc, info := dl.result(s)
	if err != nil {
		return nil, handshakeError(ctx, u, resp, err, nc != nil)
	}
	wc.SetReadLimit(int64(maxMessage))
	res := ConnectResult{URL: u.String(), Subprotocol: wc.Subprotocol(), Headers: web.Joined(resp.Header),
		ConnectResult: netconn.Connected(nc, start, info)}
	note := fmt.Sprintf("handshake GET %s: %s", u.RequestURI(), resp.Status)
	if res.Subprotocol != "" {
		note += fmt.Sprintf(", subprotocol %q", res.Subprotocol)
	}
	s.Note("%s", note)
	s.Open(ctx, newConn(wc, nc, maxMessage))
	return res, nil
}

// dialOptions evaluates the headers (a Host header names the host the
// request asks for) and the subprotocols of the handshake.
func (a *connectAction) dialOptions(s *engine.Session) (*websocket.DialOptions, error) {
	headers, err := web.EvalHeaders(s, a.opts.Headers)
	if err != nil {
		return nil, err
	}
	dopts := &websocket.DialOptions{HTTPHeader: http.Header{}}
	for name, v := range headers {
		if http.CanonicalHeaderKey(name) == "Host" {
			dopts.Host = v
			continue
		}
		dopts.HTTPHeader.Set(name, v)
	}
	for i := range a.opts.Subprotocols {
		v, err := a.opts.Subprotocols[i].String(s)
		if err != nil {
			return nil, fmt.Errorf("subprotocols: %w", err)
		}
		dopts.Subprotocols = append(dopts.Subprotocols, v)
	}
	return dopts, nil
}

// handshakeError says why the handshake failed; connected says whether a
// connection was made.
func handshakeError(ctx context.Context, u *url.URL, resp *http.Response, err error, connected bool) error {
	what := "websocket handshake with " + u.String()
	var ue *url.Error
	switch {
	case ctx.Err() != nil:
		return web.ResponseError(ctx, what, err, connected)
	case resp != nil && resp.StatusCode != http.StatusSwitchingProtocols:
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		msg := fmt.Sprintf("%s: the server answered %s, not 101 Switching Protocols", what, resp.Status)
		if len(body) > 0 {
			msg += ": " + engine.Quote(body, 200)
		}
		return netconn.Explain(err, "%s", msg)
	case errors.As(err, &ue):
		err = ue.Err
	}
	return web.ResponseError(ctx, what, err, connected)
}

// dialer makes the connection of a handshake and remembers it, and its
// TLS facts, for the connect result. It runs in the transport's goroutine.
type dialer struct {
	tls *tls.Config // for wss

	mu    sync.Mutex
	conn  net.Conn
	info  *tlsconf.Info
	notes []string
}

// dial connects to addr within ctx, with TLS for wss.
func (d *dialer) dial(ctx context.Context, _, addr string) (net.Conn, error) {
	var nd net.Dialer
	raw, err := nd.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, netconn.DialError("tcp", addr, err)
	}
	d.note("connected to %s from %s", raw.RemoteAddr(), raw.LocalAddr())
	var nc net.Conn = raw
	var info *tlsconf.Info
	if d.tls != nil {
		tc := tls.Client(raw, d.tls)
		if info, err = tlsconf.ClientHandshake(ctx, tc, addr); err != nil {
			_ = raw.Close()
			return nil, err
		}
		d.note("%s", tlsconf.NoteText(info))
		nc = tc
	}
	d.mu.Lock()
	d.conn, d.info = nc, info
	d.mu.Unlock()
	return nc, nil
}

// transport is the HTTP transport of one handshake, which dials with d:
// no proxy, HTTP/1.1 only, no compression, response headers capped.
func (d *dialer) transport() *http.Transport {
	return &http.Transport{
		Proxy:                  nil,
		DialContext:            d.dial,
		DialTLSContext:         d.dial,
		TLSNextProto:           map[string]func(string, *tls.Conn) http.RoundTripper{},
		DisableCompression:     true,
		MaxResponseHeaderBytes: 64 << 10,
	}
}

func (d *dialer) note(format string, args ...any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.notes = append(d.notes, fmt.Sprintf(format, args...))
}

// result writes the notes into the transcript and returns the last
// connection made and its TLS facts.
func (d *dialer) result(s *engine.Session) (net.Conn, *tlsconf.Info) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, n := range d.notes {
		s.Note("%s", n)
	}
	d.notes = nil
	return d.conn, d.info
}
