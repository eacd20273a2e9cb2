package wire

import "syscall"

// reserve maps n bytes of address space outside Go's heap for a large
// buffer: the system gives memory to its pages only as they are written,
// and discard gives it back at once (which memory that the garbage
// collector owns cannot do). It returns nil when the system refuses.
func reserve(n int) []byte {
	mem, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
	if err != nil {
		return nil
	}
	// Huge pages, where the system allows them, take 512 times fewer
	// page faults to fill.
	_ = syscall.Madvise(mem, syscall.MADV_HUGEPAGE)
	return mem
}

// discard gives the memory of mem's whole pages back to the system; they
// read as zeros if used again.
func discard(mem []byte) {
	if len(mem) > 0 {
		_ = syscall.Madvise(mem, syscall.MADV_DONTNEED)
	}
}

// unreserve unmaps what reserve mapped.
func unreserve(mem []byte) { _ = syscall.Munmap(mem) }
