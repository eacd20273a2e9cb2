package engine

import (
	"context"
	"errors"
	"time"
)

// Ender is a Process that tells when it has ended for good: it and every
// process it started, so that nothing of it can still connect or send.
type Ender interface {
	// Gone returns a channel closed once the process and all it started
	// have ended.
	Gone() <-chan struct{}
}

// ErrProcessesGone is the cause of a context made by UntilProcessesGone
// when every open process has ended.
var ErrProcessesGone = errors.New("every program the scenario started has ended")

// processesGoneGrace is how long after the last process has ended the
// context of UntilProcessesGone is cancelled, so that what it sent just
// before (a connection in the listen queue, a datagram) is taken first.
const processesGoneGrace = 250 * time.Millisecond

// UntilProcessesGone returns a context derived from ctx that is also
// cancelled, with the cause ErrProcessesGone, a moment after every open
// Process has ended with all it started: no program is left that could
// still connect or send. Actions that wait for a peer that only a program
// of the scenario can be (accept, a datagram on a listener) wait under it,
// so that a client that crashed before connecting fails the step at once.
// When no Process is open, or one cannot tell (it is no Ender), the
// context only ends with ctx. Call cancel when done.
func UntilProcessesGone(ctx context.Context, s *Session) (context.Context, context.CancelFunc) {
	procs := s.sr.processes()
	var gone []<-chan struct{}
	for _, p := range procs {
		e, ok := p.(Ender)
		if !ok {
			return context.WithCancel(ctx)
		}
		gone = append(gone, e.Gone())
	}
	if len(gone) == 0 {
		return context.WithCancel(ctx)
	}
	gctx, cancel := context.WithCancelCause(ctx)
	go func() {
		for _, ch := range gone {
			select {
			case <-ch:
			case <-gctx.Done():
				return
			}
		}
		t := time.NewTimer(processesGoneGrace)
		defer t.Stop()
		select {
		case <-t.C:
			cancel(ErrProcessesGone)
		case <-gctx.Done():
		}
	}()
	return gctx, func() { cancel(context.Canceled) }
}

// ProcessesGone reports whether ctx, made by UntilProcessesGone, ended
// because every open process had ended.
func ProcessesGone(ctx context.Context) bool {
	return ctx.Err() != nil && errors.Is(context.Cause(ctx), ErrProcessesGone)
}
