package netconn

import (
	"context"
	"crypto/tls"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// TestAcceptorBoundsHandshakes checks that an Acceptor holds at most
// MaxPending clients in their TLS handshake: clients that connect and
// send nothing fill its slots, the next ones wait in the backlog, and are
// taken as the first ones' handshakes fail (their clients closed).
func TestAcceptorBoundsHandshakes(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var took atomic.Int32
	a := Accept(ctx, ln, &tls.Config{}, func() { took.Add(1) })
	defer func() { cancel(); _ = ln.Close(); a.Wait() }()
	const n = MaxPending + 4
	var clients []net.Conn
	for range n {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	for took.Load() < MaxPending {
		time.Sleep(time.Millisecond)
	}
	// A moment for an unbounded acceptor to take more (never a reason to
	// fail when it is bounded, however loaded the machine).
	time.Sleep(50 * time.Millisecond)
	if got := took.Load(); got != MaxPending {
		t.Fatalf("%d clients taken at once; want %d", got, MaxPending)
	}
	for _, c := range clients {
		_ = c.Close()
	}
	for i := range n {
		if c := <-a.Ready(); c.Err == nil {
			t.Errorf("client %d passed a handshake it never began", i)
		}
	}
	if got := took.Load(); got != n {
		t.Errorf("%d clients taken in all; want %d", got, n)
	}
}
