package lineproto

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestWriteDotBlockInPieces checks that a block larger than one piece is
// dot-stuffed across piece boundaries exactly as dotStuff does it whole.
func TestWriteDotBlockInPieces(t *testing.T) {
	c, peer := pair(t, 0)
	var raw bytes.Buffer
	for i := 0; raw.Len() < 3*stuffPiece; i++ {
		fmt.Fprintf(&raw, ".line %d with a leading dot\nplain line %d\r\n", i, i)
	}
	want := append(dotStuff(raw.Bytes()), ".\r\n"...)
	got := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(peer, int64(len(want))))
		got <- b
	}()
	if err := c.WriteDotBlock(ctxFor(t, 10*time.Second), nil, raw.Bytes()); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, want) {
		t.Fatalf("sent %d bytes that differ from dotStuff's %d", len(b), len(want))
	}
}

// sendLines writes lines of 1000 bytes (CRLF included) from peer until
// total bytes are sent, then ".\r\n" when end is true; it returns at once.
func sendLines(t *testing.T, peer net.Conn, total int, end bool) {
	t.Helper()
	line := append(bytes.Repeat([]byte("x"), 998), '\r', '\n')
	piece := bytes.Repeat(line, 64)
	go func() {
		for sent := 0; sent < total; sent += len(piece) {
			if _, err := peer.Write(piece); err != nil {
				return
			}
		}
		if end {
			_, _ = peer.Write([]byte(".\r\n"))
		}
	}()
}

// allocated returns how many bytes f allocated, in the whole process.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestReadDotBlockMemory checks what a block over the cap costs: the
// buffers of a block read line by line with a copy of each line and
// append's doubling cost several times the cap; readDotBlockSize allocates at
// most twice the cap in all (1.5 times at once).
func TestReadDotBlockMemory(t *testing.T) {
	const capBytes = 16 << 20
	c, peer := pair(t, 0)
	sendLines(t, peer, 40<<20, true)
	var err error
	n := allocated(func() { _, err = c.readDotBlock(ctxFor(t, 20*time.Second), nil, capBytes) })
	if err == nil || !strings.Contains(err.Error(), "larger than 16 MiB") {
		t.Fatalf("error %v, want the cap named", err)
	}
	if n > 2*capBytes+1<<20 {
		t.Errorf("a block over a cap of 16 MiB allocated %.1f MiB, want at most 2 times the cap", float64(n)/(1<<20))
	}
}

// TestReadDotBlockSizeHonest checks that a block of the size announced is
// read into one buffer, never grown.
func TestReadDotBlockSizeHonest(t *testing.T) {
	const size = 8 << 20
	c, peer := pair(t, 0)
	sendLines(t, peer, size, true)
	var b []byte
	var err error
	n := allocated(func() { b, err = c.readDotBlockSize(ctxFor(t, 20*time.Second), nil, 32<<20, size) })
	if err != nil || len(b) < size {
		t.Fatalf("read %d bytes, %v", len(b), err)
	}
	if n > size+size/16+1<<20 {
		t.Errorf("a block of 8 MiB announced allocated %.1f MiB", float64(n)/(1<<20))
	}
}
