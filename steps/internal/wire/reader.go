package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
	"unsafe"

	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

// minRead is the smallest read the Reader asks its source for.
const minRead = 4 << 10

// Reader buffers a byte stream between expects: what one expect does not
// consume stays for the next. It never holds more than its cap.
type Reader struct {
	src io.Reader
	buf []byte
	max int
	eof bool
	err error
	// region is the memory outside Go's heap that buf lies in once it
	// outgrows heapMax (nil otherwise).
	region *region
}

// NewReader buffers src, holding at most max bytes (DefaultMaxBuffer when
// max <= 0).
func NewReader(src io.Reader, max int) *Reader {
	if max <= 0 {
		max = DefaultMaxBuffer
	}
	return &Reader{src: src, max: max}
}

// Buffered returns the data received but not yet consumed, valid until
// the next Read and while r is reachable (a large buffer is memory that
// is given back when r goes).
func (r *Reader) Buffered() []byte { return r.buf }

// Max returns the buffer cap.
func (r *Reader) Max() int { return r.max }

// EOF reports whether the peer has closed its side.
func (r *Reader) EOF() bool { return r.eof }

// consume drops the first n buffered bytes, keeping the array.
func (r *Reader) consume(n int) {
	rest := copy(r.buf, r.buf[n:])
	r.buf = r.buf[:rest]
	if r.region == nil {
		return
	}
	if rest > heapMax {
		r.region.release(rest, len(r.region.mem))
		return
	}
	// What is left fits in the heap again: the region goes.
	r.buf = append([]byte(nil), r.buf...)
	r.region.free()
	r.region = nil
}

// grow makes room in the buffer: twice the room, up to the cap, or, past
// heapMax, a region of the cap's size that never moves.
func (r *Reader) grow() {
	size := min(r.max, max(2*cap(r.buf), minRead))
	if size > heapMax {
		if r.region = newRegion(r.max); r.region != nil {
			r.buf = r.region.mem[:copy(r.region.mem, r.buf)]
			return
		}
	}
	grown := make([]byte, len(r.buf), size)
	copy(grown, r.buf)
	r.buf = grown
}

// fill reads once from the source into the buffer, never beyond the cap.
// It returns the bytes read.
func (r *Reader) fill() ([]byte, error) {
	if len(r.buf) == cap(r.buf) {
		r.grow()
	}
	start := len(r.buf)
	n, err := r.src.Read(r.buf[start:cap(r.buf)])
	r.buf = r.buf[:start+n]
	return r.buf[start:], err
}

// Read waits on r until the expect holds, fails, the peer closes or the
// deadline passes. The caller sets the connection's deadline from ctx
// (engine.Deadline); ctx tells a deadline from an interrupt. record, if not
// nil, sees every chunk read, for the transcript.
func (m *Matcher) Read(ctx context.Context, r *Reader, record func([]byte)) (*ExpectResult, error) {
	if err := m.fits(r.max); err != nil {
		return nil, err
	}
	start := time.Now()
	m.searched, m.matchScan.clean, m.rejectScan.clean = 0, 0, 0
	for {
		if v := m.examine(r.buf, r.eof); v.outcome != needMore {
			return m.conclude(v, r)
		}
		if r.err != nil {
			return nil, r.err
		}
		if len(r.buf) >= r.max {
			err := m.flooded(r.buf)
			r.consume(len(r.buf))
			return nil, err
		}
		chunk, err := r.fill()
		if len(chunk) > 0 && record != nil {
			record(chunk)
		}
		switch {
		case err == nil:
		case errors.Is(err, io.EOF):
			r.eof = true
		case IsTimeout(err):
			if Interrupted(ctx) {
				return nil, fmt.Errorf("expect interrupted: %w", ctx.Err())
			}
			if len(chunk) > 0 {
				continue
			}
			if m.partial && m.frame != frameStream && len(r.buf) > 0 {
				// The frame's end did not come in time: take what came.
				return m.conclude(m.cutShort(r.buf), r)
			}
			return m.timedOut(r.buf, Waited(start))
		default:
			r.err = ReadError(err)
			if len(chunk) > 0 {
				continue
			}
			return nil, r.err
		}
	}
}

// conclude consumes what a passed or failed verdict used up and returns
// its outcome.
func (m *Matcher) conclude(v verdict, r *Reader) (*ExpectResult, error) {
	if v.outcome == failed {
		r.consume(v.consume)
		return nil, v.err
	}
	var res *ExpectResult
	switch {
	case r.region != nil:
		// Copied out of the region, whose pages go back as they are
		// copied; consume then moves what follows the frame.
		res = m.resultOf(v, r.region.take(v.data))
		r.consume(v.consume)
	case len(v.data) >= detachMin:
		// A large frame becomes result.data as it lies in the buffer,
		// without a copy: the Reader leaves that array for good and keeps
		// a copy of what follows the frame.
		res = m.resultOf(v, unsafe.String(&v.data[0], len(v.data)))
		r.buf = append([]byte(nil), r.buf[v.consume:]...)
	default:
		res = m.result(v) // before consume, which overwrites v.data
		r.consume(v.consume)
	}
	res.Closed = r.eof
	return res, nil
}

// detachMin is the size from which a frame is handed over rather than
// copied.
const detachMin = 1 << 20

// fits checks that what the matcher needs can fit in a buffer of max
// bytes.
func (m *Matcher) fits(max int) error {
	switch {
	case m.frame == frameBytes && m.count > max:
		return fmt.Errorf("expect bytes: %d is more than max_buffer (%s)", m.count, bytesize.Format(max))
	case m.equals != nil && m.frame == frameStream && len(*m.equals) > max:
		return fmt.Errorf("expect equals: %s of text is more than max_buffer (%s)", bytesize.Format(len(*m.equals)), bytesize.Format(max))
	}
	return nil
}

// Waited returns the time since start for a message: to the 10
// milliseconds, so that a 200ms step timeout reads "200ms", not "201ms".
func Waited(start time.Time) time.Duration {
	return time.Since(start).Truncate(10 * time.Millisecond)
}

// IsTimeout reports whether err is or wraps a timeout: a deadline that
// passed (os.ErrDeadlineExceeded), or any error whose Timeout method says
// so (a net.Error, context.DeadlineExceeded).
func IsTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &t) && t.Timeout())
}

// Interrupted reports whether ctx was cancelled rather than timed out: a
// read that fails on its deadline then failed because of an interrupt,
// not because the peer was slow.
func Interrupted(ctx context.Context) bool {
	err := ctx.Err()
	return err != nil && !errors.Is(err, context.DeadlineExceeded)
}
