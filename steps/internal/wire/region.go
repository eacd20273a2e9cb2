package wire

import (
	"os"
	"runtime"
	"strings"
	"unsafe"
)

// heapMax is the largest buffer a Reader keeps in Go's heap where the
// system can map memory for it: a larger one lies in a region.
const heapMax = 1 << 20

// takeStep is how much of a frame region.take copies before it gives the
// copied pages back.
const takeStep = 4 << 20

// region is memory mapped outside Go's heap for a buffer that outgrew
// heapMax, up to the Reader's cap. A buffer growing by doubling keeps its
// old and new arrays alive together, and a frame copied out of a buffer in
// Go's heap is held twice until the collector runs: with a region the
// buffer never moves, its pages are given back as the frame is copied out,
// and a 100 MiB frame costs about 100 MiB. A cleanup unmaps it if its
// Reader is dropped while it holds data.
type region struct {
	mem     []byte
	cleanup runtime.Cleanup
}

// newRegion maps n bytes, or returns nil where the system cannot.
func newRegion(n int) *region {
	mem := reserve(n)
	if mem == nil {
		return nil
	}
	g := &region{mem: mem}
	g.cleanup = runtime.AddCleanup(g, unreserve, mem)
	return g
}

// free unmaps the region; nothing may use its memory afterwards.
func (g *region) free() {
	g.cleanup.Stop()
	unreserve(g.mem)
	g.mem = nil
}

// release gives back the memory of the whole pages within mem[from:to]
// and returns where the pages it gave back end.
func (g *region) release(from, to int) int {
	page := os.Getpagesize()
	from = (from + page - 1) / page * page
	to = to / page * page
	if from >= to {
		return from
	}
	discard(g.mem[from:to])
	return to
}

// take copies data, a part of the region, into Go's heap as a string,
// giving the region's pages back as they are copied.
func (g *region) take(data []byte) string {
	if len(data) == 0 {
		return ""
	}
	// A Builder's first Grow allocates exactly, without zeroing the array
	// first (which would fault in all its pages before the region's go).
	var out strings.Builder
	out.Grow(len(data))
	off := int(uintptr(unsafe.Pointer(&data[0])) - uintptr(unsafe.Pointer(&g.mem[0])))
	freed := off
	for done := 0; done < len(data); {
		n, _ := out.Write(data[done:min(len(data), done+takeStep)])
		done += n
		freed = g.release(freed, off+done)
	}
	return out.String()
}
