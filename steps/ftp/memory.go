package ftp

import (
	"errors"
	"hash"
	"io"
	"strings"
)

// firstBlock is the least a download into memory starts with; its
// buffer grows growth times at a time. readBlock is what is read at a
// time.
const (
	firstBlock = 64 << 10
	growth     = 4
	readBlock  = 64 << 10
)

// readToMemory reads src to its end into memory, hashing it on the way
// unless h is nil,
// and returns it as a string. limit > 0 is the cap (the data connection
// fails past it). The content goes into one strings.Builder, which grows
// four times at a time through sizes chosen so that the last is just over
// the cap: a growth holds the old buffer, one four times its size and the
// garbage of earlier ones, about 1.4 times the cap at most. The text is
// the builder's buffer, not a copy of it, unless most of it is unused.
func readToMemory(h hash.Hash, src io.Reader, limit int) (string, error) {
	size := firstBlock
	if limit > 0 {
		// Quarter the cap (rounding up) down to the first block.
		size = limit + 1
		for size > growth*firstBlock {
			size = (size + growth - 1) / growth
		}
	}
	b := &strings.Builder{}
	b.Grow(size)
	p := make([]byte, readBlock)
	for {
		k, err := src.Read(p)
		if k > 0 {
			if h != nil {
				_, _ = h.Write(p[:k])
			}
			if b.Len()+k > b.Cap() {
				b = regrow(b, max(growth*b.Cap(), b.Len()+k))
			}
			b.Write(p[:k])
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
	}
	if 2*b.Len() < b.Cap() {
		// The text is kept with the step's result: not in a buffer more
		// than twice its size. The copy costs less than the growth did.
		b = regrow(b, b.Len())
	}
	return b.String(), nil
}

// regrow copies b into a new builder of capacity size.
func regrow(b *strings.Builder, size int) *strings.Builder {
	n := &strings.Builder{}
	n.Grow(size)
	n.WriteString(b.String())
	return n
}
