package httpstep

import (
	"context"
	"crypto/tls"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSpareConnection checks that the connection connect made serves the
// first request while it is open, and that a new one is made once the
// server has closed it.
func TestSpareConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	closed := make(chan struct{})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if len(conns) == 0 {
				_ = c.Close()
				close(closed)
			}
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	c, err := newClient(clientConfig{tls: &tls.Config{}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	ctx, addr := context.Background(), ln.Addr().String()

	spare, _, err := c.dialFirst(ctx, addr, false)
	if err != nil {
		t.Fatal(err)
	}
	<-closed
	nc, _, err := c.dial(ctx, addr, false)
	if err != nil {
		t.Fatal(err)
	}
	if nc == spare {
		t.Error("the closed connection was handed to the transport")
	}
	if !strings.Contains(noteText(c.tap), "the server closed the connection made by connect") {
		t.Errorf("notes: %s", noteText(c.tap))
	}

	spare, _, err = c.dialFirst(ctx, addr, false)
	if err != nil {
		t.Fatal(err)
	}
	if nc, _, err := c.dial(ctx, "127.0.0.1:1", false); err == nil || nc == spare {
		t.Errorf("another address got the spare connection (err %v)", err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if nc, _, err := c.dial(short, addr, true); err == nil || nc == spare {
		t.Errorf("a TLS dial got the plain spare connection (err %v)", err)
	}
	nc, _, err = c.dial(ctx, addr, false)
	if err != nil || nc != spare {
		t.Errorf("the open spare connection was not used (err %v)", err)
	}
}

// noteText joins the notes the tap holds.
func noteText(t *tap) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var b strings.Builder
	for _, e := range t.events {
		b.WriteString(e.note + "\n")
	}
	return b.String()
}
