package wire

import (
	"context"
	"io"
	"strings"
	"testing"
)

// TestLargeFrameHandedOver: a frame of several MiB becomes result.data
// without a copy; what followed it in the same read stays buffered for the
// next expect, and reading and consuming more never changes the data the
// first expect returned.
func TestLargeFrameHandedOver(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", (3<<20)/16)
	r := NewReader(&script{chunks: []string{big[:1<<20], big[1<<20:] + ";next;" + strings.Repeat("z", 2<<20) + ";"}, end: io.EOF}, 8<<20)
	want := []string{big, "next", strings.Repeat("z", 2<<20)}
	var got []*ExpectResult
	for range want {
		m := Matcher{frame: frameUntil, delim: ";"}
		res, err := m.Read(context.Background(), r, nil)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, res)
	}
	for i, res := range got {
		if res.Data != want[i] || res.Bytes != len(want[i]) {
			t.Errorf("frame %d: %d bytes, want %d (equal: %v)", i, len(res.Data), len(want[i]), res.Data == want[i])
		}
	}
	if len(r.Buffered()) != 0 {
		t.Errorf("%d bytes left buffered", len(r.Buffered()))
	}
}
