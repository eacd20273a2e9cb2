package sandbox

import "net"

// serveEcho serves echo-tcp and echo-tls.
func serveEcho(s *Sandbox, l listener) { serveConns(s, l, nil, echo) }

// echo writes back every byte c receives until the client closes its side,
// the connection stays idle too long or the sandbox closes.
func echo(c net.Conn) {
	buf := make([]byte, 32*1024)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// echoDatagram answers a datagram with the same bytes.
func echoDatagram(_ *Sandbox, p []byte) []byte {
	return p
}
