package main

import (
	"io"
	"sync"
	"time"
)

// Console output to a pipe or a file is held for up to consoleLag, or
// until consoleHold bytes are waiting.
const (
	consoleLag  = 100 * time.Millisecond
	consoleHold = 64 << 10
)

// lagWriter holds what is written to a pipe or a file for up to lag, so
// that a run of short steps makes one write system call every lag instead
// of one a step (20,000 for a file of 20,000 steps); a step that takes
// longer still shows its line within lag. Errors are dropped, as the
// console drops them.
type lagWriter struct {
	w   io.Writer
	lag time.Duration

	mu    sync.Mutex
	buf   []byte
	timer *time.Timer // made on the first write
	armed bool        // the timer will flush
}

func newLagWriter(w io.Writer, lag time.Duration) *lagWriter {
	return &lagWriter{w: w, lag: lag}
}

// Write holds p, and writes what is held once consoleHold bytes are.
func (l *lagWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	switch {
	case len(l.buf) >= consoleHold:
		l.flushLocked()
	case !l.armed:
		l.armed = true
		if l.timer == nil {
			l.timer = time.AfterFunc(l.lag, l.Flush)
		} else {
			l.timer.Reset(l.lag)
		}
	}
	return len(p), nil
}

// Flush writes what is held.
func (l *lagWriter) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.flushLocked()
}

func (l *lagWriter) flushLocked() {
	l.armed = false
	if len(l.buf) > 0 {
		_, _ = l.w.Write(l.buf)
		l.buf = l.buf[:0]
	}
}
