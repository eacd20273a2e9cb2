package ws

import (
	"context"
	"fmt"
	"time"

	"github.com/coder/websocket"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/web"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// listenOptions are what listen takes beside the URL.
type listenOptions struct {
	// ListenOptions are tls (wss): cert and key, or generate.
	web.ListenOptions `yaml:",inline"`
	// Subprotocols are those the server accepts, in its order of choice.
	Subprotocols []engine.Template `yaml:"subprotocols"`
	// MaxMessage bounds a message received, such as 1MiB (the default).
	MaxMessage engine.Template `yaml:"max_message"`
}

// listener is a WebSocket server: each accept step takes a client whose
// handshake was answered as it came.
type listener struct {
	*web.Listener
	maxMessage   int
	subprotocols []string
}

// listenAction is a compiled listen step.
type listenAction struct {
	engine.Returns[netconn.ListenResult]
	web.ListenStep
	opts listenOptions
}

func decodeListen(d *engine.Decoder) (engine.TypedAction, error) {
	a := &listenAction{ListenStep: web.ListenStep{Secure: "wss"}}
	err := a.Decode(d, &a.opts, &a.opts.ListenOptions, func(errs *wire.LoadErrors) {
		errs.Add(bytesize.Check(&a.opts.MaxMessage, "max_message"))
	})
	return a, err
}

// Do binds the address and serves handshakes for accept steps.
func (a *listenAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	maxMessage, err := bytesize.Eval(s, &a.opts.MaxMessage, "max_message", DefaultMaxMessage)
	if err != nil {
		return nil, err
	}
	l := &listener{maxMessage: maxMessage}
	for i := range a.opts.Subprotocols {
		v, err := a.opts.Subprotocols[i].String(s)
		if err != nil {
			return nil, fmt.Errorf("subprotocols: %w", err)
		}
		l.subprotocols = append(l.subprotocols, v)
	}
	wl, res, err := a.Open(ctx, s, l.upgrade)
	if err != nil {
		return nil, err
	}
	l.Listener = wl
	s.Open(ctx, l)
	return res, nil
}

// AcceptResult is the result of accept: the client's connection and its
// handshake request.
type AcceptResult struct {
	netconn.ConnectResult
	// Path and Query are those of the request's URL (Query undecoded).
	Path  string `expr:"path" json:"path"`
	Query string `expr:"query" json:"query"`
	// Subprotocol is the one chosen; empty for none.
	Subprotocol string `expr:"subprotocol" json:"subprotocol"`
	// Headers are the request's headers, by canonical name, values joined
	// with ", ".
	Headers map[string]string `expr:"headers" json:"headers"`
}

// acceptAction takes the next client's handshake and answers it.
type acceptAction struct {
	engine.Returns[AcceptResult]
}

func decodeAccept(d *engine.Decoder) (engine.TypedAction, error) {
	return acceptAction{}, netconn.CheckAccept(d)
}

// Do waits for a handshake request and completes it; a request that is
// not a WebSocket handshake is answered 426 or 400 and fails the step.
func (acceptAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	l, err := engine.TargetAs[*listener](s)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	p, err := l.Next(ctx, s)
	if err != nil {
		return nil, err
	}
	defer p.Finish()
	r := p.R
	s.Note("handshake %s %s from %s", r.Method, r.URL.RequestURI(), r.RemoteAddr)
	if p.Err != nil {
		return nil, &engine.Mismatch{Msg: fmt.Sprintf("the request %s %s from %s is not a WebSocket handshake: %v",
			r.Method, r.URL.RequestURI(), r.RemoteAddr, p.Err)}
	}
	wc := p.Upgraded.(*websocket.Conn)
	res := AcceptResult{ConnectResult: netconn.Connected(p.Conn, start, p.TLS), Path: r.URL.Path,
		Query: r.URL.RawQuery, Subprotocol: wc.Subprotocol(), Headers: web.Joined(r.Header)}
	s.Note("accepted %s on %s", res.Remote, res.Local)
	s.Open(ctx, newConn(wc, p.Conn, l.maxMessage))
	return res, nil
}

// upgrade answers a handshake request as it comes (101, or 426 or 400
// when it is not one), so that a client's connect does not wait for the
// accept step.
func (l *listener) upgrade(p *web.Pending) {
	// Any Origin: the client under test is a program, not a browser page.
	wc, err := websocket.Accept(p.W, p.R, &websocket.AcceptOptions{InsecureSkipVerify: true, Subprotocols: l.subprotocols})
	if err != nil {
		p.Err = err
		return
	}
	wc.SetReadLimit(int64(l.maxMessage))
	p.Upgraded = wc
}
