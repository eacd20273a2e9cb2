package engine

import (
	"context"
	"sync"
	"time"
)

// stepCtx is the context of one step attempt: its parent's, with the step's
// deadline. Most actions only read the deadline (through Deadline, which
// puts it on the connection) and never wait on Done, so the timer and the
// cancel context behind Done are made only when something asks for them.
// That saves a timer and four allocations per TCP step (BenchmarkTCPRoundTrips
// in test/bench).
type stepCtx struct {
	parent   context.Context
	deadline time.Time
	timeout  time.Duration

	mu     sync.Mutex
	inner  context.Context // made on first need
	cancel context.CancelFunc
}

// newStepCtx returns a context that ends timeout from now, with the cause
// stepTimeout, or when parent ends. Call release when the step is done.
func newStepCtx(parent context.Context, timeout time.Duration) *stepCtx {
	return &stepCtx{parent: parent, deadline: time.Now().Add(timeout), timeout: timeout}
}

// stepCtx returns the context of an attempt of the session's step: the
// first is kept in the session, which is never used again once the step
// is over; a retry's is new, in case something still holds the last.
func (s *Session) stepCtx(parent context.Context, timeout time.Duration) *stepCtx {
	if s.attempted {
		return newStepCtx(parent, timeout)
	}
	s.attempted = true
	start := s.start
	if start.IsZero() {
		start = time.Now()
	}
	s.firstCtx = stepCtx{parent: parent, deadline: start.Add(timeout), timeout: timeout}
	return &s.firstCtx
}

// ensure returns the real context, making it on first use.
func (c *stepCtx) ensure() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inner == nil {
		c.inner, c.cancel = context.WithDeadlineCause(c.parent, c.deadline, stepTimeout(c.timeout))
	}
	return c.inner
}

// made returns the real context when it has been made, else nil.
func (c *stepCtx) made() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inner
}

// release frees the timer, when one was made.
func (c *stepCtx) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancel != nil {
		c.cancel()
	}
}

// Deadline is the earlier of the step's deadline and the parent's.
func (c *stepCtx) Deadline() (time.Time, bool) {
	if d, ok := c.parent.Deadline(); ok && d.Before(c.deadline) {
		return d, true
	}
	return c.deadline, true
}

// Done makes the real context, so that it is closed on time.
func (c *stepCtx) Done() <-chan struct{} { return c.ensure().Done() }

// Err reports the parent's error, or DeadlineExceeded once the step's
// deadline has passed; from then on the real context exists, so that
// context.Cause names the step timeout.
func (c *stepCtx) Err() error {
	if inner := c.made(); inner != nil {
		return inner.Err()
	}
	if err := c.parent.Err(); err != nil {
		return err
	}
	if !time.Now().Before(c.deadline) {
		return c.ensure().Err()
	}
	return nil
}

// Value looks in the real context when it exists, so that context.Cause
// finds its cancel state; otherwise in the parent.
func (c *stepCtx) Value(key any) any {
	if inner := c.made(); inner != nil {
		return inner.Value(key)
	}
	return c.parent.Value(key)
}
