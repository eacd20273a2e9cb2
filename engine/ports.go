package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
)

// Ports hands out free loopback ports, each at most once per run, so that
// scenarios running in parallel never get the same one.
//
// The ports come from below the system's range of ephemeral ports (on
// Linux, /proc/sys/net/ipv4/ip_local_port_range; else 32768-60999), so
// that no outgoing connection and no listener on port 0, of netrun or of
// another program, takes a port between the moment it is handed out and
// the moment the program under test binds it. Each port handed out is also
// claimed with a lock file in /tmp/netrun-ports, held until the Ports
// is dropped or the process ends, so that netrun processes running side by
// side (a class graded in several shells, test packages) never pick the
// same port either.
type Ports struct {
	mu    sync.Mutex
	given map[int]bool
	// claims holds the lock files of the ports handed out.
	claims *claims
	// lo and hi bound the ports handed out: [lo, hi).
	lo, hi int
}

// NewPorts returns an empty allocator.
func NewPorts() *Ports {
	first := ephemeralStart()
	p := &Ports{given: map[int]bool{}, lo: first / 2, hi: first, claims: &claims{}}
	runtime.AddCleanup(p, func(c *claims) { c.release() }, p.claims)
	return p
}

// take hands out port when no one holds it: not given before in this run,
// claimed by no other netrun process, and bindable now.
func (p *Ports) take(port int) bool {
	if p.given[port] || !p.claims.claim(port) {
		return false
	}
	if !bindable(port) {
		p.claims.unclaim(port)
		return false
	}
	p.given[port] = true
	return true
}

// ephemeralStart returns the first port of the system's ephemeral range.
func ephemeralStart() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err == nil {
		var lo, hi int
		if _, err := fmt.Sscanf(strings.TrimSpace(string(b)), "%d %d", &lo, &hi); err == nil && lo >= 4096 && lo <= 65535 {
			return lo
		}
	}
	return 32768
}

// Free returns a port that is free on 127.0.0.1 for both TCP and UDP now
// and was not handed out before in this run.
func (p *Ports) Free() (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for range 200 {
		if port := p.lo + rand.IntN(p.hi-p.lo); p.take(port) {
			return port, nil
		}
	}
	// The range is crowded: take what the system gives for port 0.
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("free_port: %w", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if p.take(port) {
			return port, nil
		}
	}
	return 0, fmt.Errorf("free_port: no free port found")
}

// bindable reports whether port is free on 127.0.0.1 for TCP and UDP. The
// TCP check binds without SO_REUSEADDR, as a program under test may, so a
// port with connections in TIME_WAIT counts as taken.
func bindable(port int) bool {
	// No program may be started while the check's sockets are open:
	// between fork and exec a child holds every open socket, and one it
	// held would keep the port taken for a moment after the check closed
	// it, so that the listen that follows failed ("address already in
	// use") when scenarios run side by side.
	unlock := lockFork()
	defer unlock()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	lc := net.ListenConfig{Control: noReuseAddr}
	l, err := lc.Listen(context.Background(), "tcp", addr)
	if err != nil {
		return false
	}
	defer l.Close()
	u, err := net.ListenPacket("udp", addr)
	if err != nil {
		return false
	}
	u.Close()
	return true
}
