package netconn

import (
	"io"
	"net"
	"runtime"
	"testing"
)

// TestQuickAck: a TCP connection is wrapped on Linux, reads and half-closes
// as before; anything else is left as it is.
func TestQuickAck(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		_, _ = io.Copy(c, c) // echo until our CloseWrite
	}()
	raw, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	nc := QuickAck(raw)
	if _, wrapped := nc.(*quickAckConn); wrapped != (runtime.GOOS == "linux") {
		t.Fatalf("wrapped: %T on %s", nc, runtime.GOOS)
	}
	if _, err := nc.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	hc, ok := nc.(interface{ CloseWrite() error })
	if !ok {
		t.Fatalf("%T lost CloseWrite", nc)
	}
	if err := hc.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(nc)
	if err != nil || string(got) != "hello" {
		t.Fatalf("read %q, %v", got, err)
	}
	p1, p2 := net.Pipe()
	t.Cleanup(func() { p1.Close(); p2.Close() })
	if QuickAck(p1) != p1 {
		t.Error("a pipe was wrapped")
	}
}
