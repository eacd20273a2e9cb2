package main

import (
	"bytes"
	"testing"
)

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name        string
		tty         bool
		flag        string
		env         map[string]string
		color, live bool
	}{
		{"terminal", true, "", nil, true, true},
		{"pipe", false, "", nil, false, false},
		{"NO_COLOR set", true, "", map[string]string{"NO_COLOR": "1"}, false, true},
		{"NO_COLOR empty is unset", true, "", map[string]string{"NO_COLOR": ""}, true, true},
		{"TERM=dumb", true, "", map[string]string{"TERM": "dumb"}, false, false},
		{"FORCE_COLOR in a pipe", false, "", map[string]string{"FORCE_COLOR": "1"}, true, false},
		{"FORCE_COLOR=0", true, "", map[string]string{"FORCE_COLOR": "0"}, true, true},
		{"FORCE_COLOR=0 in a pipe", false, "", map[string]string{"FORCE_COLOR": "0"}, false, false},
		{"NO_COLOR beats FORCE_COLOR", false, "", map[string]string{"NO_COLOR": "1", "FORCE_COLOR": "1"}, false, false},
		{"--color=always beats NO_COLOR", false, "always", map[string]string{"NO_COLOR": "1"}, true, false},
		{"--color=never on a terminal", true, "never", map[string]string{"FORCE_COLOR": "1"}, false, true},
		{"--color=auto", true, "auto", nil, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := decide(tc.tty, tc.flag, func(k string) string { return tc.env[k] })
			if got.color != tc.color || got.live != tc.live {
				t.Errorf("color %v live %v, want color %v live %v", got.color, got.live, tc.color, tc.live)
			}
		})
	}
	// A writer that is no *os.File is never a terminal.
	if got := terminal(&bytes.Buffer{}, "", func(string) string { return "" }); got.live || got.color {
		t.Errorf("a buffer: %+v, want no colour and no status line", got)
	}
}

// TestInOrder gives blocks out of order: each is written once all those
// before it are.
func TestInOrder(t *testing.T) {
	var b bytes.Buffer
	o := newInOrder(&b, maxHeldOutput)
	o.put(2, []byte("c"))
	o.put(1, nil) // a scenario that was not run
	if b.Len() != 0 {
		t.Fatalf("wrote %q before block 0", b.String())
	}
	o.put(0, []byte("a"))
	o.put(4, []byte("e"))
	o.put(3, []byte("d"))
	if b.String() != "acde" {
		t.Errorf("wrote %q, want acde", b.String())
	}
}

// TestInOrderSpills holds blocks past the cap in temporary files: what
// memory holds never passes it, and the output is the same.
func TestInOrderSpills(t *testing.T) {
	var b bytes.Buffer
	o := newInOrder(&b, 10)
	block := func(c byte) []byte { return bytes.Repeat([]byte{c}, 8) }
	for i := 4; i >= 1; i-- {
		o.put(i, block(byte('a'+i)))
		if o.held > 10 {
			t.Fatalf("holds %d bytes in memory, cap 10", o.held)
		}
	}
	spilled := 0
	for _, h := range o.pending {
		if h.file != nil {
			spilled++
		}
	}
	if spilled != 3 {
		t.Errorf("%d blocks in files, want 3 (one fits under the cap)", spilled)
	}
	o.put(0, block('a'))
	want := string(block('a')) + string(block('b')) + string(block('c')) + string(block('d')) + string(block('e'))
	if b.String() != want || o.held != 0 || len(o.pending) != 0 {
		t.Errorf("wrote %q (held %d, %d pending), want %q", b.String(), o.held, len(o.pending), want)
	}
}
