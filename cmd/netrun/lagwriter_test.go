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
