package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the lag writer's timer.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLagWriterHoldsThenFlushes(t *testing.T) {
	var out syncBuffer
	l := newLagWriter(&out, time.Hour) // the timer never fires here
	for i := 0; i < 3; i++ {
		if n, err := l.Write([]byte("line\n")); n != 5 || err != nil {
			t.Fatalf("write: %d %v", n, err)
		}
	}
	if got := out.String(); got != "" {
		t.Fatalf("written before a flush: %q", got)
	}
	l.Flush()
	if got := out.String(); got != "line\nline\nline\n" {
		t.Fatalf("after flush: %q", got)
	}
	big := strings.Repeat("x", consoleHold)
	_, _ = l.Write([]byte(big))
	if got := out.String(); len(got) != 15+consoleHold {
		t.Fatalf("%d bytes held: %d written", consoleHold, len(got))
	}
}

// A line written and nothing after it still comes out, by the timer.
func TestLagWriterTimerFlushes(t *testing.T) {
	var out syncBuffer
	l := newLagWriter(&out, time.Millisecond)
	for round := 0; round < 2; round++ {
		_, _ = l.Write([]byte("step\n"))
		want := strings.Repeat("step\n", round+1)
		for end := time.Now().Add(30 * time.Second); out.String() != want; {
			if time.Now().After(end) {
				t.Fatalf("round %d: never flushed: %q", round, out.String())
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// blockedWriter stands for a pipe nobody reads: a write blocks until
// release is closed. entered is told of each write that begins.
type blockedWriter struct {
	entered chan struct{}
	release chan struct{}
	out     syncBuffer
}

func (b *blockedWriter) Write(p []byte) (int, error) {
	b.entered <- struct{}{}
	<-b.release
	return b.out.Write(p)
}

// within fails the test when f does not return within a generous bound:
// it would otherwise hang for ever.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		f()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still blocked after 10s", what)
	}
}

// While a flush is blocked on a reader that stopped reading, a write that
// holds its bytes and the second Ctrl-C's FlushWithin both return; what
// was written comes out in order once the reader reads again.
func TestLagWriterBlockedReader(t *testing.T) {
	w := &blockedWriter{entered: make(chan struct{}, 10), release: make(chan struct{})}
	l := newLagWriter(w, time.Hour)
	_, _ = l.Write([]byte("a\n"))
	flushed := make(chan struct{})
	go func() {
		l.Flush()
		close(flushed)
	}()
	<-w.entered // the flush is blocked in the write
	within(t, "a write while a flush is blocked", func() { _, _ = l.Write([]byte("b\n")) })
	within(t, "FlushWithin", func() { l.FlushWithin(time.Millisecond) })
	close(w.release)
	<-flushed
	l.Flush()
	if got := w.out.String(); got != "a\nb\n" {
		t.Fatalf("written: %q", got)
	}
}
