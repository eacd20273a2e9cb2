package tcp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

const (
	// maxPending bounds the clients a listener holds for later accept
	// steps; more wait in the kernel's backlog.
	maxPending = 16
)

// listener is an open listening socket. It accepts clients in the
// background, TLS handshake included, and hands them to accept steps in
// order. So a scenario may connect to its own TLS listener before the
// accept step: the handshake does not wait for that step.
type listener struct {
	ln         *net.TCPListener
	tls        *tls.Config
	lineEnding string
	maxBuffer  int
	generated  *tlsconf.Generated // removed by Close

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	ready  chan accepted
	slots  chan struct{}
	wg     sync.WaitGroup
}

// accepted is a client ready for an accept step, or why it is not.
type accepted struct {
	nc   net.Conn
	info *tlsconf.Info
	err  error
}

func newListener(ln *net.TCPListener, cfg *tls.Config, lineEnding string, maxBuffer int) *listener {
	ctx, cancel := context.WithCancel(context.Background())
	l := &listener{ln: ln, tls: cfg, lineEnding: lineEnding, maxBuffer: maxBuffer,
		ctx: ctx, cancel: cancel, ready: make(chan accepted), slots: make(chan struct{}, maxPending)}
	l.wg.Add(1)
	go l.loop()
	return l
}

// loop accepts clients until the listener closes.
func (l *listener) loop() {
	defer l.wg.Done()
	for {
		select {
		case l.slots <- struct{}{}:
		case <-l.ctx.Done():
			return
		}
		nc, err := l.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				l.wg.Add(1)
				go l.hand(accepted{err: fmt.Errorf("accept on %s: %w", l.ln.Addr(), err)})
			} else {
				<-l.slots
			}
			return
		}
		l.wg.Add(1)
		go l.prepare(nc)
	}
}

// prepare runs a client's TLS handshake, then hands the client over.
func (l *listener) prepare(nc net.Conn) {
	a := accepted{nc: nc}
	if l.tls != nil {
		if tc, err := tlsconf.Serve(l.ctx, nc, l.tls); err != nil {
			a = accepted{err: err}
		} else {
			a = accepted{nc: tc, info: tlsconf.Facts(tc.ConnectionState())}
		}
	}
	l.hand(a)
}

// hand gives a to the next accept step, or drops it when the listener
// closes first. It frees a slot.
func (l *listener) hand(a accepted) {
	defer l.wg.Done()
	defer func() { <-l.slots }()
	select {
	case l.ready <- a:
	case <-l.ctx.Done():
		if a.nc != nil {
			_ = a.nc.Close()
		}
	}
}

// late takes a client that came before the programs of the scenario all
// ended: one being handed over, or still in its TLS handshake (a slot
// besides the one the accepting loop holds), waiting for it within ctx.
func (l *listener) late(ctx context.Context) (accepted, bool) {
	select {
	case a := <-l.ready:
		return a, true
	default:
	}
	if len(l.slots) <= 1 {
		return accepted{}, false
	}
	select {
	case a := <-l.ready:
		return a, true
	case <-ctx.Done():
		return accepted{}, false
	}
}

// Close stops listening and drops the clients no accept step took.
func (l *listener) Close(context.Context) error {
	l.cancel()
	err := l.ln.Close()
	l.wg.Wait()
	if rerr := l.generated.Remove(); rerr != nil && err == nil {
		return rerr
	}
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("close listener %s: %w", l.ln.Addr(), err)
	}
	return nil
}

func (a *openAction) doListen(ctx context.Context, s *engine.Session, addr netconn.Addr, lineEnding string, maxBuffer int) (any, error) {
	var cfg *tls.Config
	var gen *tlsconf.Generated
	if a.tls {
		var err error
		if cfg, gen, err = a.opts.TLS.Listener(s); err != nil {
			return nil, err
		}
	}
	tl, res, err := netconn.Bind(ctx, s, addr.String())
	if err != nil {
		_ = gen.Remove()
		return nil, err
	}
	l := newListener(tl, cfg, lineEnding, maxBuffer)
	l.generated = gen
	s.Open(ctx, l)
	if gen != nil {
		res.CA, res.CAKey = gen.CA, gen.CAKey
	}
	return res, nil
}

// acceptAction waits for a client on the step's listener.
type acceptAction struct {
	engine.Returns[netconn.ConnectResult]
}

// Do takes the next client and opens its connection.
func (acceptAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	l, err := engine.TargetAs[*listener](s)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	gctx, cancel := engine.UntilProcessesGone(ctx, s)
	defer cancel()
	var a accepted
	select {
	case a = <-l.ready:
	case <-gctx.Done():
		if engine.ProcessesGone(gctx) && ctx.Err() == nil {
			late, ok := l.late(ctx)
			if !ok {
				return nil, fmt.Errorf("no client connected to %s, and none can: %w", l.ln.Addr(), engine.ErrProcessesGone)
			}
			a = late
			break
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("no client connected to %s within %s", l.ln.Addr(), wire.Waited(start))
		}
		return nil, fmt.Errorf("accept interrupted: %w", ctx.Err())
	}
	if a.err != nil {
		return nil, a.err
	}
	res := netconn.Connected(a.nc, start, a.info)
	s.Note("accepted %s on %s", res.Remote, res.Local)
	if a.info != nil {
		tlsconf.Note(s, a.info)
	}
	s.Open(ctx, newConn(a.nc, a.info != nil, l.lineEnding, l.maxBuffer))
	return res, nil
}
