package program

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Capture caps. What a program writes is always read, so that it never
// blocks for good on a full pipe, but only this much is kept.
//
// Pacing (pace.go): while a stream is only discarded (its unread queue is
// at its cap and no step waits on the program: no expect reads either
// stream or waits for its exit, no ready waits, no stop is under way),
// its pipe is enlarged (Linux, up to 1 MiB) and read in chunks of up to
// 1 MiB, at most at discardRate. A program that floods its output nobody
// reads is thus slowed to that rate, never stopped, and netrun spends a
// small part of a core on it instead of most of one. A large chunk
// becomes the queue without a copy; head, tail and pending copy only what
// they keep; the exception scan still sees every line, by a search for
// its words over the chunk. A step that waits on the program, or its
// end, lifts the pace at once.
const (
	// keepHead and keepTail are what a capture keeps of a stream for the
	// results and reports: its beginning and its end.
	keepHead = 32 << 10
	keepTail = 32 << 10
	// maxQueue is the unread data kept for expect steps; older unread data
	// is dropped beyond it.
	maxQueue = 1 << 20
	// maxPendingNotes is the new output kept for the transcript between
	// two steps.
	maxPendingNotes = 8 << 10
	// discardRate is the most a stream is read per second while it is
	// only discarded; discardBurst is what may be read at once before the
	// pace applies.
	discardRate  = 64 << 20
	discardBurst = 1 << 20
)

// output is one of a program's streams, stdout or stderr: it keeps the
// beginning and the end of what was written, queues unread data for
// expect steps, and holds new output for the transcript. It is safe for
// the draining goroutine and the scenario's goroutine at once.
type output struct {
	mu      sync.Mutex
	head    []byte
	tail    []byte // the last keepTail bytes after head, amortised
	total   int64
	queue   []byte // unread by expects: queue[qoff:]
	qoff    int
	qcap    int          // the most unread data kept: maxQueue, smaller in tests
	dropped int64        // unread bytes dropped from queue
	waiting atomic.Int32 // Read calls waiting for data
	peer    *output      // the program's other stream, or nil
	pacer   pacer        // the drain's pace while discarding
	pending []byte       // not yet in a transcript
	skipped int64        // new bytes not shown in a transcript
	eof     bool
	exc     excScanner
	// changed is closed and replaced whenever something above changes.
	changed  chan struct{}
	deadline time.Time
}

func newOutput() *output {
	return &output{changed: make(chan struct{}), qcap: maxQueue, pacer: newPacer(discardRate, discardBurst)}
}

// record keeps what results, reports and the transcript need of p, newly
// written, and scans it for exceptions: it copies only what it keeps.
// Call with mu held.
func (o *output) record(p []byte) {
	o.total += int64(len(p))
	rest := p
	if n := min(len(rest), keepHead-len(o.head)); n > 0 {
		o.head = append(o.head, rest[:n]...)
		rest = rest[n:]
	}
	switch {
	case len(rest) >= keepTail:
		o.tail = append(o.tail[:0], rest[len(rest)-keepTail:]...)
	case len(rest) > 0:
		o.tail = append(o.tail, rest...)
		if len(o.tail) > 2*keepTail {
			o.tail = append(o.tail[:0], o.tail[len(o.tail)-keepTail:]...)
		}
	}
	keep := min(len(p), max(0, maxPendingNotes-len(o.pending)))
	o.pending = append(o.pending, p[:keep]...)
	o.skipped += int64(len(p) - keep)
	o.exc.feed(p)
	o.signal()
}

// enqueue adds p to the unread data, dropping the oldest beyond qcap.
// Reading and dropping move an offset; the live bytes are moved to the
// front only when at least as many bytes are free there, so that each
// byte is moved about once: moving the whole queue on every read or drop
// cost a program that floods its output 0.8 of a core. Call with mu held.
func (o *output) enqueue(p []byte) {
	if len(p) >= o.qcap {
		o.dropped += int64(len(o.queue)-o.qoff) + int64(len(p)-o.qcap)
		o.queue, o.qoff = append(o.queue[:0], p[len(p)-o.qcap:]...), 0
		return
	}
	if over := len(o.queue) - o.qoff + len(p) - o.qcap; over > 0 {
		o.dropped += int64(over)
		o.qoff += over
	}
	if live := len(o.queue) - o.qoff; o.qoff > 0 && len(o.queue)+len(p) > cap(o.queue) &&
		(o.qoff >= live || len(o.queue)+len(p) > 2*o.qcap) {
		n := copy(o.queue, o.queue[o.qoff:])
		o.queue, o.qoff = o.queue[:n], 0
	}
	o.queue = append(o.queue, p...)
}

// signal wakes whoever waits on changed. Call with mu held.
func (o *output) signal() {
	close(o.changed)
	o.changed = make(chan struct{})
}

// String returns what was kept: the whole stream when it was small, else
// its beginning and its end with the size of the gap between them.
func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	tail := o.tail
	if len(tail) > keepTail {
		tail = tail[len(tail)-keepTail:]
	}
	gap := o.total - int64(len(o.head)) - int64(len(tail))
	if gap <= 0 {
		return string(o.head) + string(tail)
	}
	return fmt.Sprintf("%s\n[… %d bytes not kept …]\n%s", o.head, gap, tail)
}

// Tail returns at most n bytes of the end of the stream, cut at a line
// start when one is near.
func (o *output) Tail(n int) string {
	s := o.String()
	if len(s) <= n {
		return s
	}
	s = s[len(s)-n:]
	for i := 0; i < len(s) && i < 200; i++ {
		if s[i] == '\n' {
			return "…\n" + s[i+1:]
		}
	}
	return "…" + s
}

// Size returns how many bytes the program wrote.
func (o *output) Size() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.total
}

// takePending returns the output not yet shown in a transcript, and how
// many bytes of it were too many to keep.
func (o *output) takePending() ([]byte, int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	p, n := o.pending, o.skipped
	o.pending, o.skipped = nil, 0
	return p, n
}

// Read gives unread output to an expect step: it waits for data until the
// deadline (os.ErrDeadlineExceeded) or the end of the stream (io.EOF).
func (o *output) Read(p []byte) (int, error) {
	o.pacer.lift()
	for {
		o.mu.Lock()
		if o.qoff < len(o.queue) {
			n := copy(p, o.queue[o.qoff:])
			o.qoff += n
			if o.qoff == len(o.queue) {
				o.queue, o.qoff = o.queue[:0], 0
			}
			o.mu.Unlock()
			return n, nil
		}
		if o.eof {
			o.mu.Unlock()
			return 0, io.EOF
		}
		wait := time.Duration(-1)
		if !o.deadline.IsZero() {
			if wait = time.Until(o.deadline); wait <= 0 {
				o.mu.Unlock()
				return 0, os.ErrDeadlineExceeded
			}
		}
		ch := o.changed
		o.mu.Unlock()
		o.await(ch, wait)
	}
}

// hold keeps o from being paced until release is called, and lifts a
// pause under way: a step waits on the program (for its exit, to be
// ready, to end after TERM), which may first have to write what nobody
// reads.
func (o *output) hold() (release func()) {
	o.waiting.Add(1)
	o.pacer.lift()
	return func() { o.waiting.Add(-1) }
}

// await waits until ch is closed, or for wait when it is not negative.
// Meanwhile neither stream of the program is paced: the program may have
// to write one to get to what the reader waits for on the other.
func (o *output) await(ch <-chan struct{}, wait time.Duration) {
	o.waiting.Add(1)
	defer o.waiting.Add(-1)
	if o.peer != nil {
		o.peer.pacer.lift()
	}
	if wait < 0 {
		<-ch
		return
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	}
}

// SetDeadline bounds the Read calls now waiting and those to come.
func (o *output) SetDeadline(t time.Time) error {
	o.mu.Lock()
	o.deadline = t
	o.signal()
	o.mu.Unlock()
	return nil
}

// takeDropped returns how many unread bytes were dropped since the last
// call, because nothing read them in time.
func (o *output) takeDropped() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := o.dropped
	o.dropped = 0
	return n
}

// changedChan returns a channel closed at the next change.
func (o *output) changedChan() <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.changed
}

// ended reports whether the stream has ended (every writer closed it).
func (o *output) ended() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.eof
}
