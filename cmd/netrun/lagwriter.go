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
	// emergencyFlush is how long a second Ctrl-C waits for the console.
	emergencyFlush = 100 * time.Millisecond
)

// lagWriter holds what is written to a pipe or a file for up to lag, so
// that a run of short steps makes one write system call every lag instead
// of one a step (20,000 for a file of 20,000 steps); a step that takes
// longer still shows its line within lag. Errors are dropped, as the
// console drops them.
//
// What is held is taken out under mu and written with mu unlocked, so
// that a reader that stops reading (a paused `| less`) blocks only the
// writes that must wait for it, never one that adds to what is held nor
// FlushWithin. out keeps the writes in order: a flush takes what is held
// and writes it while holding out, so what was taken first is written
// first.
type lagWriter struct {
	w   io.Writer
	lag time.Duration

	out   sync.Mutex // held while writing to w, taken before mu
	mu    sync.Mutex // guards what follows
	buf   []byte
	spare []byte      // a buffer written, to hold in again
	timer *time.Timer // made on the first write
	armed bool        // the timer will flush
}

func newLagWriter(w io.Writer, lag time.Duration) *lagWriter {
	return &lagWriter{w: w, lag: lag}
}

// Write holds p, and writes what is held once consoleHold bytes are.
func (l *lagWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	l.buf = append(l.buf, p...)
	full := len(l.buf) >= consoleHold
	if !full && !l.armed {
		l.armed = true
		if l.timer == nil {
			l.timer = time.AfterFunc(l.lag, l.Flush)
		} else {
			l.timer.Reset(l.lag)
		}
	}
	l.mu.Unlock()
	if full {
		l.Flush()
	}
	return len(p), nil
}

// Flush writes what is held, after what earlier flushes took.
func (l *lagWriter) Flush() {
	l.out.Lock()
	defer l.out.Unlock()
	l.mu.Lock()
	l.armed = false
	b := l.buf
	l.buf, l.spare = l.spare[:0], nil
	l.mu.Unlock()
	if len(b) == 0 {
		return
	}
	_, _ = l.w.Write(b)
	l.mu.Lock()
	l.spare = b[:0]
	l.mu.Unlock()
}

// FlushWithin flushes, but waits for it no longer than d: a second Ctrl-C
// must end netrun even when the reader of its output has stopped reading.
// The flush goes on meanwhile, until netrun exits.
func (l *lagWriter) FlushWithin(d time.Duration) {
	done := make(chan struct{})
	go func() {
		l.Flush()
		close(done)
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}
