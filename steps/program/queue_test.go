package program

import (
	"bytes"
	"math/rand"
	"testing"
)

// TestOutputQueue: the unread queue gives what a plain slice that drops
// its oldest bytes beyond maxQueue gives, whatever the sizes of writes and
// reads, and counts the same dropped bytes; its array stays bounded.
func TestOutputQueue(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	o := newOutput()
	var model []byte
	var dropped int64
	next := byte(0)
	sizes := []int{1, 100, 4 << 10, 32 << 10, 300 << 10, maxQueue - 1, maxQueue, maxQueue + 5}
	for i := 0; i < 2000; i++ {
		if rng.Intn(3) > 0 {
			p := make([]byte, sizes[rng.Intn(len(sizes))])
			for j := range p {
				p[j] = next
				next++
			}
			write(o, p)
			model = append(model, p...)
			if over := len(model) - maxQueue; over > 0 {
				dropped += int64(over)
				model = model[over:]
			}
		} else if len(model) > 0 {
			buf := make([]byte, sizes[rng.Intn(len(sizes))])
			n, err := o.Read(buf)
			if err != nil || n != min(len(buf), len(model)) || !bytes.Equal(buf[:n], model[:n]) {
				t.Fatalf("step %d: read %d, %v; want %d bytes as the model", i, n, err, min(len(buf), len(model)))
			}
			model = model[n:]
		}
		if got := o.takeDropped(); got != dropped {
			t.Fatalf("step %d: dropped %d, want %d", i, got, dropped)
		}
		dropped = 0
		if cap(o.queue) > 3*maxQueue {
			t.Fatalf("step %d: queue array of %d bytes", i, cap(o.queue))
		}
		o.takePending()
	}
}
