package engine

import (
	"fmt"
	"net"
	"sync"
)

// Ports hands out free loopback ports, each at most once per run, so that
// scenarios running in parallel never get the same one.
type Ports struct {
	mu    sync.Mutex
	given map[int]bool
}

// NewPorts returns an empty allocator.
func NewPorts() *Ports { return &Ports{given: map[int]bool{}} }

// Free returns a port that is free on 127.0.0.1 for both TCP and UDP now
// and was not handed out before in this run.
func (p *Ports) Free() (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("free_port: %w", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		u, uerr := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		l.Close()
		if uerr != nil {
			continue
		}
		u.Close()
		if !p.given[port] {
			p.given[port] = true
			return port, nil
		}
	}
	return 0, fmt.Errorf("free_port: no free port found")
}
