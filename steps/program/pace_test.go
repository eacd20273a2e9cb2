package program

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// chunkReader gives data in reads of the given sizes, in turn, as a pipe
// does.
type chunkReader struct {
	data  []byte
	sizes []int
	i     int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(r.data), r.sizes[r.i%len(r.sizes)])
	r.i++
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

// floodWith returns size bytes of "y" lines with mid, then more lines, and
// end written after them.
func floodWith(size int, mid, end string) []byte {
	line := strings.Repeat("y", 63) + "\n"
	half := strings.Repeat(line, size/2/len(line))
	return []byte(half + mid + half + end)
}

// pacedOutput returns an output with a small queue and a pace quick
// enough for tests, which still pauses every few reads.
func pacedOutput() *output {
	o := newOutput()
	o.qcap = 4 << 10
	o.pacer = newPacer(1<<30, 16<<10)
	return o
}

// TestDrainPaced floods outputs that nothing reads, in reads of several
// sizes (larger than the queue too): the pace applies, and the output
// still keeps its size, its end, the last bytes in the unread queue (at
// least half its cap), the count of what was dropped, and the
// exceptions, wherever they were.
func TestDrainPaced(t *testing.T) {
	trace := "Traceback (most recent call last):\n  File \"server.py\", line 3, in <module>\n    serve()\nValueError: boom\n"
	for _, tc := range []struct {
		name  string
		data  []byte
		sizes []int
		want  []string // lines of the exceptions found
	}{
		{"traceback at the end", floodWith(3<<20, "", "last line\n"+trace), []int{32 << 10}, []string{"Traceback (most recent call last):", "ValueError: boom"}},
		{"error in the middle", floodWith(3<<20, "ConnectionResetError: [Errno 104] Connection reset by peer\n", "last line\n"), []int{1000, 64 << 10}, []string{"ConnectionResetError: [Errno 104]"}},
		{"reads larger than the queue", floodWith(2<<20, trace, "last line\n"), []int{1 << 20, 300, 8 << 10}, []string{"ValueError: boom"}},
		{"no exception", floodWith(1<<20, "", "last line\n"), []int{4 << 10}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := pacedOutput()
			o.drain(&chunkReader{data: tc.data, sizes: tc.sizes}, nil)
			if o.pacer.paused.Load() == 0 {
				t.Error("the pace never applied")
			}
			total := int64(len(tc.data))
			if o.Size() != total {
				t.Errorf("size %d, want %d", o.Size(), total)
			}
			dropped := o.takeDropped()
			unread, err := io.ReadAll(o)
			if err != nil || len(unread) < o.qcap/2 || len(unread) > o.qcap || !bytes.HasSuffix(tc.data, unread) {
				t.Errorf("unread queue: %d bytes (%v), want the last %d to %d written", len(unread), err, o.qcap/2, o.qcap)
			}
			if dropped != total-int64(len(unread)) {
				t.Errorf("dropped %d, want %d", dropped, total-int64(len(unread)))
			}
			end := string(tc.data[len(tc.data)-keepTail:])
			if s := o.String(); !strings.HasSuffix(s, end) || !strings.Contains(s, fmt.Sprintf("[… %d bytes not kept …]", total-keepHead-keepTail)) {
				t.Errorf("kept %d bytes without the end or the size of the gap", len(s))
			}
			blocks, _ := o.takeExceptions()
			var got []string
			for _, b := range blocks {
				got = append(got, b.lines...)
			}
			for _, w := range tc.want {
				if !strings.Contains(strings.Join(got, "\n"), w) {
					t.Errorf("exceptions %q lack %q", got, w)
				}
			}
			if len(tc.want) == 0 && len(got) > 0 {
				t.Errorf("exceptions %q in a plain flood", got)
			}
		})
	}
}

// TestPaceLifted: a pace so slow that it would hold the drain for hours
// ends when an expect reads this stream, or waits on the program's other
// one, when a step waits on the program, and when the program ends.
func TestPaceLifted(t *testing.T) {
	data := floodWith(256<<10, "", "END\n")
	for _, tc := range []struct {
		name string
		// lift ends the pause of o, whose peer is other; it returns what
		// it read.
		lift func(o, other *output, ended chan struct{}) []byte
	}{
		{"by a reader", func(o, _ *output, _ chan struct{}) []byte {
			waitPaused(t, o)
			got, err := io.ReadAll(o)
			if err != nil {
				t.Error(err)
			}
			return got
		}},
		{"by the program's end", func(o, _ *output, ended chan struct{}) []byte {
			waitPaused(t, o)
			close(ended)
			return nil
		}},
		{"by a step waiting on the program (exit, ready, stop)", func(o, _ *output, _ chan struct{}) []byte {
			waitPaused(t, o)
			t.Cleanup(o.hold())
			return nil
		}},
		{"by a reader waiting on the other stream", func(o, other *output, _ chan struct{}) []byte {
			waitPaused(t, o)
			go other.Read(make([]byte, 1)) // ends when the test's cleanup ends other
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := newOutput()
			o.qcap = 4 << 10
			o.pacer = newPacer(1, 16<<10)
			other := newOutput()
			o.peer, other.peer = other, o
			t.Cleanup(func() { other.drain(strings.NewReader(""), nil) })
			r, w := io.Pipe()
			go func() {
				for p := data; len(p) > 0; p = p[min(len(p), 8<<10):] {
					w.Write(p[:min(len(p), 8<<10)])
				}
				w.Close()
			}()
			ended := make(chan struct{})
			done := make(chan struct{})
			go func() { o.drain(r, ended); close(done) }()
			var got []byte
			lifted := make(chan struct{})
			go func() { got = tc.lift(o, other, ended); close(lifted) }()
			select {
			case <-done:
			case <-time.After(time.Minute):
				t.Fatal("the drain is still paused")
			}
			<-lifted
			if o.Size() != int64(len(data)) || !strings.HasSuffix(o.String(), "END\n") {
				t.Errorf("size %d of %d, end %q", o.Size(), len(data), o.Tail(20))
			}
			if got != nil && !bytes.HasSuffix(got, []byte("END\n")) {
				t.Errorf("the reader got %d bytes, not the end", len(got))
			}
		})
	}
}

// waitPaused waits until o's drain has paused.
func waitPaused(t *testing.T, o *output) {
	t.Helper()
	for end := time.Now().Add(time.Minute); o.pacer.paused.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("the drain never paused")
		}
	}
}

// TestEveryDiscardedChunkPaced: once the unread queue is at its cap,
// every chunk read, whatever its size, goes through the pace.
func TestEveryDiscardedChunkPaced(t *testing.T) {
	const qcap = 4 << 10
	closed := make(chan struct{})
	close(closed) // pauses end at once
	for _, size := range []int{qcap / 4, qcap/2 + 100, 3 * qcap / 4, qcap, 2 * qcap} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			o := newOutput()
			o.qcap = qcap
			o.pacer = newPacer(1, 0) // every pace pauses
			const chunks = 50
			o.drain(&chunkReader{data: bytes.Repeat([]byte("y\n"), chunks*size/2), sizes: []int{size}}, closed)
			filling := (qcap+size-1)/size - 1 // chunks before the queue is at its cap
			if got := o.pacer.paused.Load(); got != int64(chunks-filling) {
				t.Errorf("%d chunks paced, want %d", got, chunks-filling)
			}
		})
	}
}

// TestPaceBucket: a chunk within the burst passes, a larger one waits.
func TestPaceBucket(t *testing.T) {
	closed := make(chan struct{})
	close(closed) // pauses end at once
	for _, tc := range []struct {
		name  string
		n     int
		pause bool
	}{
		{"within the burst", 1000, false},
		{"beyond it", 2 << 20, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pc := newPacer(1<<20, 1<<20)
			pc.pause(tc.n, closed)
			if got := pc.paused.Load() > 0; got != tc.pause {
				t.Errorf("paused: %v, want %v", got, tc.pause)
			}
		})
	}
}
