package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"testing"
)

func TestIsTimeout(t *testing.T) {
	dnsTimeout := &net.DNSError{Err: "i/o timeout", Name: "x", IsTimeout: true}
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{io.EOF, false},
		{errors.New("timeout"), false},
		{os.ErrDeadlineExceeded, true},
		{fmt.Errorf("read: %w", os.ErrDeadlineExceeded), true},
		{&net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}, true},
		{context.DeadlineExceeded, true},
		{context.Canceled, false},
		{dnsTimeout, true},
		{&net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}, false},
	} {
		if got := IsTimeout(tc.err); got != tc.want {
			t.Errorf("IsTimeout(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
