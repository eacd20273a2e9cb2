package engine

import (
	"fmt"
	"net"
	"testing"
)

func TestPortsFree(t *testing.T) {
	p := NewPorts()
	if p.lo <= 0 || p.hi <= p.lo || p.hi != ephemeralStart() {
		t.Fatalf("range [%d, %d) is not below the ephemeral ports from %d", p.lo, p.hi, ephemeralStart())
	}
	seen := map[int]bool{}
	for range 50 {
		port, err := p.Free()
		if err != nil {
			t.Fatal(err)
		}
		if seen[port] {
			t.Fatalf("port %d handed out twice", port)
		}
		seen[port] = true
		if port < p.lo || port >= p.hi {
			t.Errorf("port %d is outside [%d, %d)", port, p.lo, p.hi)
		}
		for _, network := range []string{"tcp", "udp"} {
			var err error
			addr := fmt.Sprintf("127.0.0.1:%d", port)
			if network == "tcp" {
				var l net.Listener
				if l, err = net.Listen(network, addr); err == nil {
					l.Close()
				}
			} else {
				var c net.PacketConn
				if c, err = net.ListenPacket(network, addr); err == nil {
					c.Close()
				}
			}
			if err != nil {
				t.Errorf("port %d is not free for %s: %v", port, network, err)
			}
		}
	}
}

// TestPortsTaken checks that a port in use is not handed out: with a range
// of one port, which is taken, Free falls back to a port the system gives.
func TestPortsTaken(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := l.Addr().(*net.TCPAddr).Port
	p := &Ports{given: map[int]bool{}, lo: taken, hi: taken + 1, claims: &claims{}}
	port, err := p.Free()
	if err != nil {
		t.Fatal(err)
	}
	if port == taken {
		t.Fatalf("port %d is in use but was handed out", taken)
	}
}

// TestPortsClaimedElsewhere checks that a port another allocator holds (as
// another netrun process would, through its lock file) is not handed out,
// and is handed out again once that allocator lets go.
func TestPortsClaimedElsewhere(t *testing.T) {
	other := NewPorts()
	port, err := other.Free()
	if err != nil {
		t.Fatal(err)
	}
	p := &Ports{given: map[int]bool{}, lo: port, hi: port + 1, claims: &claims{}}
	t.Cleanup(p.claims.release)
	if got, err := p.Free(); err != nil || got == port {
		t.Fatalf("Free() = %d, %v; want another port than %d, which the other allocator holds", got, err, port)
	}
	other.claims.release()
	p.given = map[int]bool{}
	p.lo, p.hi = port, port+1
	if !p.take(port) {
		t.Fatalf("port %d is still refused after the other allocator released it", port)
	}
}
