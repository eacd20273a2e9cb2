package ftp

import (
	"errors"
	"hash"
	"io"
	"unsafe"
)

// firstBlock is the least a download into memory starts with; its
// buffer grows growth times at a time.
const (
	firstBlock = 64 << 10
	growth     = 4
)

// readToMemory reads src to its end into memory, hashing it on the way,
// and returns it as a string. max > 0 is the cap (the data connection
// fails past it). The content is read straight into one buffer, which
// grows four times at a time through sizes chosen so that the last is
// just over the cap: a growth holds the old buffer, one four times its
// size and the garbage of earlier ones, about 1.33 times the cap at most.
// The text is that buffer, not a copy of it, unless most of it is unused.
func readToMemory(h hash.Hash, src io.Reader, max int) (string, error) {
	size := firstBlock
	if max > 0 {
		// Quarter the cap (rounding up) down to the first block.
		size = max + 1
		for size > growth*firstBlock {
			size = (size + growth - 1) / growth
		}
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), growth*cap(buf))
			copy(grown, buf)
			buf = grown
		}
		k, err := src.Read(buf[len(buf):cap(buf)])
		_, _ = h.Write(buf[len(buf) : len(buf)+k])
		buf = buf[:len(buf)+k]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
	}
	if len(buf) == 0 {
		return "", nil
	}
	if 2*len(buf) < cap(buf) {
		// The text is kept with the step's result: not in a buffer more
		// than twice its size. The copy costs less than the growth did.
		buf = append([]byte(nil), buf...)
	}
	// buf is never written again: the string may share its bytes.
	return unsafe.String(&buf[0], len(buf)), nil
}
