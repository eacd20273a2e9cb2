package web

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// Caps of a listener's HTTP server.
const (
	// maxHeaderBytes bounds a request's line and headers.
	maxHeaderBytes = 64 << 10
	// headerTimeout bounds the time a client takes to send them.
	headerTimeout = 30 * time.Second
)

// Listener is an HTTP server (http, ws, and with TLS https, wss) that
// hands each request to an accept step and keeps it waiting until the
// step's plugin answers it (Pending.Finish): a scripted server. Requests
// that no accept step takes are answered 503 when the listener closes.
type Listener struct {
	ln        net.Listener
	srv       *http.Server
	generated *tlsconf.Generated
	ctx       context.Context // cancelled by Close
	cancel    context.CancelFunc
	ready     chan *Pending
	served    sync.WaitGroup
	upgrade   func(*Pending)

	mu      sync.Mutex
	active  int           // connections neither hijacked nor closed, and requests not yet handed over
	changed chan struct{} // signalled when active changes
	lastErr string        // the last error the server logged
	live    map[*recConn]struct{}
	// failed brings what clients did that no request came of: a failed
	// TLS handshake, a request the server refused, half a request.
	failed     chan error
	tls        bool
	handshakes *tlsListener // with TLS: the clients in their handshake
}

// Pending is a request an accept step took: the plugin reads R and
// answers with W (or hijacks it), then calls Finish.
type Pending struct {
	W    http.ResponseWriter
	R    *http.Request
	Conn net.Conn      // the client's connection
	TLS  *tlsconf.Info // nil without TLS
	// Head is the request's line and headers as the client sent them, or
	// nil when they are not known (a pipelined request).
	Head []byte
	// Upgraded is what the listener's upgrade made of the request (a
	// WebSocket), and Err why it could not.
	Upgraded any
	Err      error
	done     chan struct{}
	once     sync.Once
}

// Finish ends the request's handler: its response is complete.
func (p *Pending) Finish() { p.once.Do(func() { close(p.done) }) }

// connKey is the context key of a request's connection.
type connKey struct{}

// Listen binds addr and serves HTTP on it; cfg (nil for plain text) is the
// TLS configuration, gen its generated files (removed by Close). upgrade,
// when not nil, runs on each request as it comes, before an accept step
// takes it (a WebSocket handshake: so a client's connect does not wait for
// the accept step, as a TLS handshake does not on a tls listener); it sets
// Upgraded or Err.
func Listen(ctx context.Context, s *engine.Session, addr string, cfg *tls.Config, gen *tlsconf.Generated, upgrade func(*Pending)) (*Listener, netconn.ListenResult, error) {
	ln, res, err := netconn.Bind(ctx, s, addr)
	if err != nil {
		_ = gen.Remove()
		return nil, netconn.ListenResult{}, err
	}
	lctx, cancel := context.WithCancel(context.Background())
	l := &Listener{ln: ln, generated: gen, ctx: lctx, cancel: cancel, ready: make(chan *Pending),
		changed: make(chan struct{}, 1), upgrade: upgrade, live: map[*recConn]struct{}{}, failed: make(chan error, 16)}
	l.srv = &http.Server{Handler: http.HandlerFunc(l.handle), ReadHeaderTimeout: headerTimeout,
		MaxHeaderBytes: maxHeaderBytes, ConnState: l.connState, ErrorLog: log.New(errorLog{l}, "", 0),
		ConnContext: func(ctx context.Context, c net.Conn) context.Context { return context.WithValue(ctx, connKey{}, c) },
		// HTTP/1.1 only: a scripted server answers one request at a time.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){}}
	var served net.Listener = recListener{ln}
	if cfg != nil {
		l.handshakes = newTLSListener(lctx, ln, cfg, l)
		l.tls, served = true, l.handshakes
	}
	l.served.Add(1)
	go func() { defer l.served.Done(); _ = l.srv.Serve(served) }()
	if gen != nil {
		res.CA, res.CAKey = gen.CA, gen.CAKey
	}
	return l, res, nil
}

// handle parks a request until an accept step takes it and its plugin
// finishes it, or the listener closes.
func (l *Listener) handle(w http.ResponseWriter, r *http.Request) {
	p := &Pending{W: w, R: r, done: make(chan struct{})}
	p.Conn, _ = r.Context().Value(connKey{}).(net.Conn)
	if rc, ok := p.Conn.(*recConn); ok {
		p.Head = rc.take(r.Method) // nothing kept until the connection is idle again (connState)
		if rc.tls != nil {
			p.TLS = tlsconf.Facts(rc.tls.ConnectionState())
		}
	}
	// The request counts as one that may still come until it is handed
	// over: a WebSocket's connection stops counting once hijacked.
	l.count(1)
	handed := false
	defer func() {
		if !handed {
			l.count(-1)
		}
	}()
	if l.upgrade != nil {
		l.upgrade(p)
	}
	select {
	case l.ready <- p:
		handed = true
		l.count(-1)
	case <-l.ctx.Done():
		if c, ok := p.Upgraded.(interface{ CloseNow() error }); ok {
			_ = c.CloseNow()
		} else if p.Upgraded == nil && p.Err == nil {
			http.Error(w, "netrun: no accept step took this request", http.StatusServiceUnavailable)
		}
		p.Finish()
		return
	case <-r.Context().Done():
		return
	}
	// Handed over: the step that took it answers it, even after the
	// listener closed (its writes then fail, the connection being closed);
	// returning first would let net/http end the response under it. The
	// request's Close, which the engine calls at the latest when the
	// scenario ends, finishes it.
	<-p.done
}

// connState counts the connections that may still bring a request, and
// reports a request that a closed one brought and the server refused.
func (l *Listener) connState(c net.Conn, st http.ConnState) {
	rc, _ := c.(*recConn)
	switch st {
	case http.StateNew:
		l.mu.Lock()
		l.live[rc] = struct{}{}
		l.mu.Unlock()
		if !l.tls { // a TLS client counts from its handshake on
			l.count(1)
		}
	case http.StateIdle:
		rc.handle(false)
	case http.StateHijacked, http.StateClosed:
		if st == http.StateHijacked {
			rc.hijacked()
		} else if err := rc.refused(); err != nil {
			l.fail(err)
		}
		l.mu.Lock()
		delete(l.live, rc)
		l.mu.Unlock()
		l.count(-1)
	}
}

// fail hands what a client did that no request came of to the accept
// step; beyond what the channel holds, the first ones explain enough.
func (l *Listener) fail(err error) {
	select {
	case l.failed <- err:
	default:
	}
}

// count adds n to what may still bring a request, and signals the change.
func (l *Listener) count(n int) {
	l.mu.Lock()
	l.active += n
	l.mu.Unlock()
	select {
	case l.changed <- struct{}{}:
	default:
	}
}

// Next waits for the next request within ctx. When the scenario's
// programs are all gone and no connection is left that may still bring
// one, it fails at once. The step's transcript notes the TLS session a
// request came over (https, wss).
func (l *Listener) Next(ctx context.Context, s *engine.Session) (*Pending, error) {
	p, err := l.next(ctx, s)
	if err == nil && p.TLS != nil {
		tlsconf.Note(s, p.TLS)
	}
	return p, err
}

// next waits for the next request, as Next says.
func (l *Listener) next(ctx context.Context, s *engine.Session) (*Pending, error) {
	start := time.Now()
	gctx, cancel := engine.UntilProcessesGone(ctx, s)
	defer cancel()
	for {
		select {
		case p := <-l.ready:
			return p, nil
		case err := <-l.failed:
			return nil, err
		case <-gctx.Done():
			if !engine.ProcessesGone(gctx) || ctx.Err() != nil {
				return nil, l.waitError(ctx, start)
			}
		}
		// The programs are gone: wait only while a connection is open.
		for {
			l.mu.Lock()
			active := l.active
			l.mu.Unlock()
			if active == 0 {
				select {
				case p := <-l.ready:
					return p, nil
				case err := <-l.failed:
					return nil, err
				default:
				}
				return nil, fmt.Errorf("no request came to %s, and none can: %w%s", l.ln.Addr(), engine.ErrProcessesGone, l.lastError())
			}
			select {
			case p := <-l.ready:
				return p, nil
			case err := <-l.failed:
				return nil, err
			case <-l.changed:
			case <-ctx.Done():
				return nil, l.waitError(ctx, start)
			}
		}
	}
}

// waitError says why no request came within ctx.
func (l *Listener) waitError(ctx context.Context, start time.Time) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		msg := fmt.Sprintf("no request came to %s within %s", l.ln.Addr(), wire.Waited(start))
		if c, part := l.partial(); part != nil {
			return &engine.Mismatch{Msg: fmt.Sprintf("%s: client %s sent part of one (no empty line ends its headers?)", msg, c.RemoteAddr()), Received: part}
		}
		return fmt.Errorf("%s%s", msg, l.lastError())
	}
	return fmt.Errorf("accept interrupted: %w", ctx.Err())
}

// partial finds a client that sent part of a request, and what it sent.
func (l *Listener) partial() (*recConn, []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for c := range l.live {
		if part := c.partial(); part != nil {
			return c, part
		}
	}
	return nil, nil
}

// lastError is "; " and the server's last error, or nothing.
func (l *Listener) lastError() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lastErr == "" {
		return ""
	}
	return "; the server logged: " + l.lastErr
}

// errorLog keeps the last line net/http logs, for the accept step that
// waits in vain.
type errorLog struct{ l *Listener }

func (e errorLog) Write(b []byte) (int, error) {
	line := strings.TrimPrefix(string(bytes.TrimSpace(b)), "http: ")
	e.l.mu.Lock()
	e.l.lastErr = line
	e.l.mu.Unlock()
	return len(b), nil
}

// Close stops serving: parked requests get 503, open connections close
// (hijacked ones belong to their steps), generated files are removed.
func (l *Listener) Close(context.Context) error {
	l.cancel()
	err := l.srv.Close()
	l.served.Wait()
	if l.handshakes != nil {
		l.handshakes.acc.Wait()
	}
	if rerr := l.generated.Remove(); rerr != nil && err == nil {
		err = rerr
	}
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("close listener %s: %w", l.ln.Addr(), err)
	}
	return nil
}

// Addr is the bound address.
func (l *Listener) Addr() net.Addr { return l.ln.Addr() }
