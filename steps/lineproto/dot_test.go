package lineproto

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"
)

// TestWriteDotBlockInPieces checks that a block larger than one piece is
// dot-stuffed across piece boundaries exactly as DotStuff does it whole.
func TestWriteDotBlockInPieces(t *testing.T) {
	c, peer := pair(t, 0)
	var raw bytes.Buffer
	for i := 0; raw.Len() < 3*stuffPiece; i++ {
		fmt.Fprintf(&raw, ".line %d with a leading dot\nplain line %d\r\n", i, i)
	}
	want := append(DotStuff(raw.Bytes()), ".\r\n"...)
	got := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(peer, int64(len(want))))
		got <- b
	}()
	if err := c.WriteDotBlock(ctxFor(t, 10*time.Second), nil, raw.Bytes()); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, want) {
		t.Fatalf("sent %d bytes that differ from DotStuff's %d", len(b), len(want))
	}
}
