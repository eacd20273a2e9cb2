package main

import (
	"io"
	"os"
	"sync"
)

// maxHeldOutput is how much console output of finished scenarios netrun
// holds in memory while they wait for a slower one before them (-j N);
// past it, blocks wait in temporary files.
const maxHeldOutput = 32 << 20

// inOrder writes blocks numbered 0, 1, 2… in that order, whatever the
// order they come in: a block waits for those before it. What waits is
// held in memory up to max bytes, and in a temporary file past that, so
// that one slow scenario and many verbose ones after it cannot fill
// memory.
type inOrder struct {
	mu      sync.Mutex
	w       io.Writer
	max     int
	held    int // bytes of pending blocks in memory
	next    int
	pending map[int]heldBlock
}

// heldBlock is a block waiting for its turn: in memory, or in file.
type heldBlock struct {
	b    []byte
	file *os.File
}

func newInOrder(w io.Writer, max int) *inOrder {
	return &inOrder{w: w, max: max, pending: map[int]heldBlock{}}
}

// put gives block i (nil: nothing to write) and writes what is ready.
func (o *inOrder) put(i int, b []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.pending[i] = o.hold(i, b)
	for {
		h, ok := o.pending[o.next]
		if !ok {
			return
		}
		delete(o.pending, o.next)
		o.next++
		o.write(h)
	}
}

// hold keeps block i until its turn: in memory while under max, else in
// a temporary file (in memory after all if no file can be made). The
// next block is written at once and never held.
func (o *inOrder) hold(i int, b []byte) heldBlock {
	if i == o.next || o.held+len(b) <= o.max || len(b) == 0 {
		o.held += len(b)
		return heldBlock{b: b}
	}
	f, err := os.CreateTemp("", "netrun-output-*")
	if err == nil {
		_ = os.Remove(f.Name()) // unlinked: gone with netrun, whatever happens
		if _, err = f.Write(b); err == nil {
			return heldBlock{file: f}
		}
		_ = f.Close()
	}
	o.held += len(b)
	return heldBlock{b: b}
}

// write writes a block whose turn it is and lets go of it.
func (o *inOrder) write(h heldBlock) {
	if h.file != nil {
		if _, err := h.file.Seek(0, io.SeekStart); err == nil {
			_, _ = io.Copy(o.w, h.file)
		}
		_ = h.file.Close()
		return
	}
	o.held -= len(h.b)
	if len(h.b) > 0 {
		_, _ = o.w.Write(h.b)
	}
}
