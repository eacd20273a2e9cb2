package program

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// TestSetPipeSize: a pipe is enlarged to readMax, or to a quarter of it
// when the user's pipes are limited, or left as it was; root is not
// limited.
func TestSetPipeSize(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	size := func() int {
		n, err := unix.FcntlInt(r.Fd(), unix.F_GETPIPE_SZ, 0)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := size()
	setPipeSize(r, readMax)
	switch got := size(); {
	case os.Getuid() == 0 && got != readMax:
		t.Errorf("pipe of %d bytes, want %d", got, readMax)
	case got != readMax && got != readMax/4 && got != before:
		t.Errorf("pipe of %d bytes, want %d, %d or %d", got, readMax, readMax/4, before)
	}
}
