package program

import (
	"io"
	"os"
	"sync/atomic"
	"time"
)

// Reading a program's output (see the top of capture.go).
const (
	// readFirst is the first read size of a stream; it doubles each time
	// a read fills it, up to readMax, which is also the pipe size asked
	// for once a stream is only discarded.
	readFirst = 32 << 10
	readMax   = 1 << 20
)

// drain reads r until it ends, keeping everything in o, then marks the
// end. While o only discards what it reads, drain enlarges the pipe and
// keeps to o's pace, until ended is closed (the program has ended: its
// last output is read at full speed).
func (o *output) drain(r io.Reader, ended <-chan struct{}) {
	d := drainer{o: o, r: r, buf: make([]byte, readFirst), ended: ended}
	for {
		n, err := r.Read(d.buf)
		if n > 0 {
			d.keep(n)
		}
		if err != nil {
			break
		}
	}
	o.mu.Lock()
	o.eof = true
	o.exc.end()
	o.signal()
	o.mu.Unlock()
}

// drainer is the state of drain.
type drainer struct {
	o          *output
	r          io.Reader
	buf        []byte
	ended      <-chan struct{}
	grown      bool // the pipe was enlarged
	discarding bool // o only discarded the last chunk
}

// keep gives o the n bytes read into d.buf, and paces the next read by
// their size when o only discards them.
func (d *drainer) keep(n int) {
	full := n == len(d.buf)
	d.buf, d.discarding = d.o.put(d.buf, n, d.discarding)
	if full && len(d.buf) < readMax {
		d.buf = make([]byte, 2*len(d.buf))
	}
	if !d.discarding {
		return
	}
	if f, ok := d.r.(*os.File); ok && !d.grown {
		d.grown = true
		setPipeSize(f, readMax)
	}
	d.o.pacer.pause(n, d.ended)
}

// put keeps buf[:n], which drain read into its buffer buf, and returns
// the buffer for the next read, and whether o now only discards what it
// reads: its unread queue is at its cap and no Read waits for data, on
// this stream or the program's other one. When o was only discarding
// already (discarding), a chunk of at least half the queue's cap that
// would make it drop data becomes the queue without a copy (its last
// qcap bytes; the older unread ones, which nothing reads, are dropped),
// and the old queue's array is then the next buffer.
func (o *output) put(buf []byte, n int, discarding bool) ([]byte, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	p := buf[:n]
	live, dropped := len(o.queue)-o.qoff, o.dropped
	if !discarding || n < o.qcap/2 || live+n <= o.qcap {
		o.enqueue(p)
	} else {
		old, kept := o.queue, min(n, o.qcap)
		o.dropped += int64(live) + int64(n-kept)
		o.queue, o.qoff = p[n-kept:], 0
		if cap(old) >= len(buf) {
			buf = old[:len(buf)]
		} else {
			buf = make([]byte, len(buf))
		}
	}
	o.record(p)
	reader := o.waiting.Load() > 0 || (o.peer != nil && o.peer.waiting.Load() > 0)
	full := o.dropped > dropped || len(o.queue)-o.qoff >= o.qcap
	return buf, full && !reader
}

// pacer paces the reading of a stream that is only discarded: a token
// bucket that lets burst bytes through at once and rate bytes a second
// after them. Only the draining goroutine uses it, but for lift.
type pacer struct {
	rate, burst float64
	tokens      float64
	last        time.Time
	timer       *time.Timer
	wake        chan struct{} // lift ends the pause under way
	paused      atomic.Int64  // pauses taken, for tests
}

func newPacer(rate, burst float64) pacer {
	return pacer{rate: rate, burst: burst, tokens: burst, wake: make(chan struct{}, 1)}
}

// lift ends the pause under way, or the next one: a reader has come.
func (pc *pacer) lift() {
	select {
	case pc.wake <- struct{}{}:
	default:
	}
}

// pause takes from the bucket n bytes and, when the bucket is empty,
// waits until it holds them again, or until lift or ended.
func (pc *pacer) pause(n int, ended <-chan struct{}) {
	now := time.Now()
	if !pc.last.IsZero() {
		pc.tokens = min(pc.burst, pc.tokens+now.Sub(pc.last).Seconds()*pc.rate)
	}
	pc.last = now
	pc.tokens -= float64(n)
	if pc.tokens >= 0 {
		return
	}
	d := time.Duration(-pc.tokens / pc.rate * float64(time.Second))
	pc.paused.Add(1)
	if pc.timer == nil {
		pc.timer = time.NewTimer(d)
	} else {
		pc.timer.Reset(d)
	}
	defer pc.timer.Stop()
	select {
	case <-pc.timer.C:
	case <-pc.wake:
	case <-ended:
	}
}
