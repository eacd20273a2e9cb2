package wire

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
)

// expectAll reads one expect of m after another from r and returns their
// data, stopping at the first error.
func expectAll(r *Reader, m Matcher, n int) ([]string, error) {
	var got []string
	for range n {
		m := m
		res, err := m.Read(context.Background(), r, nil)
		if err != nil {
			return got, err
		}
		got = append(got, res.Data)
	}
	return got, nil
}

// TestLargeFrames reads frames larger than what the heap keeps (heapMax),
// with their delimiters split across reads where the buffer moves to its
// region and further on, and what follows a frame kept for the next
// expect, large or small.
func TestLargeFrames(t *testing.T) {
	const delim = "\r\n.\r\n"
	big := strings.Repeat("0123456789abcdef", 3<<20/16)
	edge := strings.Repeat("e", heapMax-2) // the region takes over inside the delimiter
	type tc struct {
		name   string
		m      Matcher
		chunks []string
		want   []string
	}
	var tests []tc
	for k := 1; k < len(delim); k++ {
		tests = append(tests,
			tc{"at the move, split at " + itoa(k), Matcher{frame: frameUntil, delim: delim},
				[]string{edge + delim[:k], delim[k:] + "next" + delim}, []string{edge, "next"}},
			tc{"far in, split at " + itoa(k), Matcher{frame: frameUntil, delim: delim},
				[]string{big[:1<<20], big[1<<20:] + delim[:k], delim[k:] + "x" + delim}, []string{big, "x"}},
			tc{"byte by byte, split at " + itoa(k), Matcher{frame: frameUntil, delim: delim},
				append([]string{big + delim[:k]}, strings.Split(delim[k:]+"tail"+delim, "")...), []string{big, "tail"}})
	}
	tests = append(tests,
		tc{"a large rest stays in the region", Matcher{frame: frameUntil, delim: ";"},
			[]string{big + ";" + big[:2<<20] + ";" + "small;"}, []string{big, big[:2<<20], "small"}},
		tc{"a line ending split at the move", Matcher{frame: frameLine},
			[]string{edge + "\r", "\nnext\n"}, []string{edge, "next"}},
		tc{"a named line ending split far in", Matcher{frame: frameLine, delim: "\r\n"},
			[]string{big + "\r", "\n\r", "\n"}, []string{big, ""}},
		tc{"bytes", Matcher{frame: frameBytes, count: len(big)},
			[]string{big[:5], big[5:] + big}, []string{big, big}},
	)
	for _, tt := range tests {
		r := NewReader(&script{chunks: tt.chunks, end: io.EOF}, 8<<20)
		got, err := expectAll(r, tt.m, len(tt.want))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for i := range tt.want {
			if got[i] != tt.want[i] {
				t.Errorf("%s: frame %d has %d bytes, want %d (equal: %v)", tt.name, i, len(got[i]), len(tt.want[i]), got[i] == tt.want[i])
			}
		}
		if len(r.Buffered()) != 0 || r.region != nil {
			t.Errorf("%s: %d bytes left buffered, region %v", tt.name, len(r.Buffered()), r.region != nil)
		}
	}
}

// TestLargeFrameAtTheCap: a frame whose delimiter ends exactly at
// max_buffer passes; one byte more is a flood, and nothing stays.
func TestLargeFrameAtTheCap(t *testing.T) {
	const max = 3 << 20
	frame := strings.Repeat("z", max-1)
	r := NewReader(&script{chunks: []string{frame[:1<<20], frame[1<<20:], ";"}, end: io.EOF}, max)
	if got, err := expectAll(r, Matcher{frame: frameUntil, delim: ";"}, 1); err != nil || got[0] != frame {
		t.Fatalf("a frame filling the cap: %v", err)
	}
	r = NewReader(&script{chunks: []string{frame, "z;"}, end: io.EOF}, max)
	_, err := expectAll(r, Matcher{frame: frameUntil, delim: ";"}, 1)
	var mis *engine.Mismatch
	if !errors.As(err, &mis) || !strings.HasPrefix(err.Error(), "received 3 MiB without a match") || len(mis.Received) != max {
		t.Fatalf("one byte over the cap: %v", err)
	}
	if len(r.Buffered()) != 0 || r.region != nil {
		t.Errorf("after a flood: %d bytes left buffered, region %v", len(r.Buffered()), r.region != nil)
	}
}

// TestLargeFrameMemory: where the system maps memory for large buffers, a
// 32 MiB frame read in 64 KiB pieces costs Go's heap about one frame (the
// buffer doubling in the heap cost 2.6 frames, and held up to 2.5 at once).
func TestLargeFrameMemory(t *testing.T) {
	if g := newRegion(1 << 20); g == nil {
		t.Skip("large buffers stay in Go's heap here")
	} else {
		g.free()
	}
	const size = 32 << 20
	frame := strings.Repeat("y", size)
	var chunks []string
	for i := 0; i < size; i += 64 << 10 {
		chunks = append(chunks, frame[i:i+64<<10])
	}
	chunks = append(chunks, ";rest")
	r := NewReader(&script{chunks: chunks, end: io.EOF}, 64<<20)
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	got, err := expectAll(r, Matcher{frame: frameUntil, delim: ";"}, 1)
	runtime.ReadMemStats(&m1)
	if err != nil || got[0] != frame {
		t.Fatalf("frame: %v", err)
	}
	if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > size*5/4 {
		t.Errorf("reading a %d MiB frame allocated %.2f frames, want at most 1.25", size>>20, float64(alloc)/size)
	}
	if string(r.Buffered()) != "rest" || r.region != nil {
		t.Errorf("buffered %q, region %v; want the rest in the heap", r.Buffered(), r.region != nil)
	}
}

func itoa(n int) string { return string(rune('0' + n)) }

// FuzzLargeFrameRead reads two until frames out of a stream whose first
// frame passes heapMax, the fuzzed part (holding the delimiters) coming
// where the buffer moves to its region, in reads cut at fuzzed places,
// and wants what a plain search of the whole stream gives.
func FuzzLargeFrameRead(f *testing.F) {
	f.Add([]byte("ab\r\n.\r\ncd\r\n.\r\nrest"), "\r\n.\r\n", uint16(3), uint16(1), uint8(2))
	f.Add([]byte(";;x;"), ";", uint16(0), uint16(0), uint8(1))
	f.Add([]byte("--bound--ary--boundary--"), "--boundary--", uint16(40), uint16(9), uint8(5))
	f.Fuzz(func(t *testing.T, tail []byte, delim string, back, cut uint16, split uint8) {
		if delim == "" || len(tail) > 4096 {
			return
		}
		data := strings.Repeat("x", heapMax-int(back%64)) + string(tail)
		at := min(len(data), heapMax-int(cut%128))
		chunks := []string{data[:at]}
		for rest := data[at:]; len(rest) > 0; {
			n := min(len(rest), int(split%16)+1)
			chunks, rest = append(chunks, rest[:n]), rest[n:]
		}
		r := NewReader(&script{chunks: chunks, end: io.EOF}, 4<<20)
		got, err := expectAll(r, Matcher{frame: frameUntil, delim: delim}, 2)
		rest := data
		for i := 0; i < 2; i++ {
			end := strings.Index(rest, delim)
			if end < 0 {
				if err == nil || len(got) != i {
					t.Fatalf("frame %d: got %d frames, error %v; want a failure: no delimiter left", i, len(got), err)
				}
				return
			}
			if i >= len(got) || got[i] != rest[:end] {
				t.Fatalf("frame %d: got %d frames (error %v), want one of %d bytes", i, len(got), err, end)
			}
			rest = rest[end+len(delim):]
		}
		if !strings.HasPrefix(rest, string(r.Buffered())) {
			t.Fatalf("buffered %d bytes, not the start of the %d after the second frame", len(r.Buffered()), len(rest))
		}
	})
}
