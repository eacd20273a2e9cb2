package program

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// TestOutputCaps writes 10 MiB through an output: what is kept stays
// within the caps, with the beginning, the end and the size of the gap.
// write gives p to o as the drain does, keeping nothing of p.
func write(o *output, p []byte) { o.put(p, len(p), false) }

func TestOutputCaps(t *testing.T) {
	o := newOutput()
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 2048) // 32 KiB
	write(o, []byte("BEGIN\n"))
	for range 320 {
		write(o, chunk)
	}
	write(o, []byte("\nEND\n"))
	s := o.String()
	if len(s) > keepHead+keepTail+64 {
		t.Errorf("kept %d bytes", len(s))
	}
	for _, w := range []string{"BEGIN\n", "\nEND\n", " bytes not kept …]"} {
		if !strings.Contains(s, w) {
			t.Errorf("kept text lacks %q", w)
		}
	}
	if o.Size() != 6+320*int64(len(chunk))+5 {
		t.Errorf("size %d", o.Size())
	}
	if tail := o.Tail(100); !strings.HasSuffix(tail, "\nEND\n") || len(tail) > 110 {
		t.Errorf("tail %q", tail)
	}
	pending, skipped := o.takePending()
	if len(pending) != maxPendingNotes || int64(len(pending))+skipped != o.Size() {
		t.Errorf("pending %d, skipped %d", len(pending), skipped)
	}
	if p, n := o.takePending(); len(p) != 0 || n != 0 {
		t.Errorf("pending again: %d, %d", len(p), n)
	}
	if n := o.takeDropped(); n != o.Size()-maxQueue {
		t.Errorf("dropped %d, want %d", n, o.Size()-maxQueue)
	}
}

// TestOutputRead checks the stream that expect steps read: data in order,
// a deadline, and the end.
func TestOutputRead(t *testing.T) {
	o := newOutput()
	r, w := io.Pipe()
	go o.drain(r, nil)
	go func() {
		w.Write([]byte("hello "))
		w.Write([]byte("world"))
		w.Close()
	}()
	var got []byte
	buf := make([]byte, 4)
	for {
		n, err := o.Read(buf)
		got = append(got, buf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if string(got) != "hello world" {
		t.Errorf("read %q", got)
	}

	quiet := newOutput()
	quiet.SetDeadline(time.Now().Add(20 * time.Millisecond))
	if _, err := quiet.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("read without data: %v, want a deadline error", err)
	}
}
