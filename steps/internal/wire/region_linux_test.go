package wire

import (
	"syscall"
	"testing"
)

// TestRegionNotUnderAddressLimit checks that no region is mapped under a
// limit of the address space (ulimit -v): the mapping would count whole
// against it, and the frame's copy into the heap could then fail, which
// Go cannot survive. A large buffer then grows in the heap as elsewhere.
func TestRegionNotUnderAddressLimit(t *testing.T) {
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &old); err != nil {
		t.Fatal(err)
	}
	if !roomy(64 << 20) {
		t.Skipf("no region here anyway (limit %d)", old.Cur)
	}
	lim := old
	lim.Cur = 1 << 46 // far above what the test uses
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Setrlimit(syscall.RLIMIT_AS, &old) })
	if roomy(64 << 20) {
		t.Error("a region is mapped under ulimit -v")
	}
	if g := newRegion(64 << 20); g != nil {
		g.free()
		t.Error("newRegion mapped under ulimit -v")
	}
}
