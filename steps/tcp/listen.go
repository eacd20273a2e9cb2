package tcp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// listener is an open listening socket. It accepts clients in the
// background, TLS handshake included (netconn.Accept), and hands them to
// accept steps in order. So a scenario may connect to its own TLS
// listener before the accept step: the handshake does not wait for that
// step.
type listener struct {
	ln         *net.TCPListener
	acc        *netconn.Acceptor
	lineEnding string
	maxBuffer  int
	generated  *tlsconf.Generated // removed by Close
	cancel     context.CancelFunc // stops acc
}

func newListener(ln *net.TCPListener, cfg *tls.Config, lineEnding string, maxBuffer int) *listener {
	ctx, cancel := context.WithCancel(context.Background())
	return &listener{ln: ln, acc: netconn.Accept(ctx, ln, cfg, nil), lineEnding: lineEnding, maxBuffer: maxBuffer, cancel: cancel}
}

// Close stops listening and drops the clients no accept step took.
func (l *listener) Close(context.Context) error {
	l.cancel()
	err := l.ln.Close()
	l.acc.Wait()
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
	var a netconn.Accepted
	select {
	case a = <-l.acc.Ready():
	case <-gctx.Done():
		if engine.ProcessesGone(gctx) && ctx.Err() == nil {
			late, ok := l.acc.Late(ctx)
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
	if a.Err != nil {
		return nil, a.Err
	}
	res := netconn.Connected(a.Conn, start, a.TLS)
	s.Note("accepted %s on %s", res.Remote, res.Local)
	if a.TLS != nil {
		tlsconf.Note(s, a.TLS)
	}
	s.Open(ctx, newConn(a.Conn, a.TLS != nil, l.lineEnding, l.maxBuffer))
	return res, nil
}
