package engine

import (
	"context"
	"sync"
	"time"
)

// Deadliner is a connection whose blocked reads and writes a deadline ends,
// such as a net.Conn.
type Deadliner interface{ SetDeadline(time.Time) error }

type watcherKey struct{}

// watcher ends the blocked I/O of one scenario when its run is interrupted:
// one context.AfterFunc per scenario instead of one per read or write.
type watcher struct {
	mu          sync.Mutex
	conns       []Deadliner
	interrupted bool
}

// newWatcher returns a watcher stored in the returned context, interrupted
// when parent is cancelled (nil parent: never).
func newWatcher(ctx, parent context.Context) (context.Context, func() bool) {
	w := &watcher{}
	stop := func() bool { return true }
	if parent != nil {
		stop = context.AfterFunc(parent, w.interrupt)
	}
	return context.WithValue(ctx, watcherKey{}, w), stop
}

func (w *watcher) interrupt() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.interrupted = true
	for _, c := range w.conns {
		_ = c.SetDeadline(time.Now())
	}
}

// watch adds c until the returned function is called.
func (w *watcher) watch(c Deadliner) func() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.interrupted {
		_ = c.SetDeadline(time.Now())
	}
	w.conns = append(w.conns, c)
	return func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		for i := len(w.conns) - 1; i >= 0; i-- {
			if w.conns[i] == c {
				w.conns = append(w.conns[:i], w.conns[i+1:]...)
				return true
			}
		}
		return false
	}
}
