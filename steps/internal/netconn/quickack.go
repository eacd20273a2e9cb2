package netconn

import (
	"net"
	"syscall"
)

// QuickAck wraps a TCP connection so that every read first asks the kernel
// to acknowledge at once what arrives (TCP_QUICKACK on Linux; a no-op
// elsewhere). A line protocol sends a command and waits for the reply;
// a server that writes its reply in two pieces (Postfix during the TLS
// handshake and after STARTTLS) holds the second one under Nagle's
// algorithm until the first is acknowledged, and Linux delays that ACK by
// up to 40 ms: 30-85% of TLS connects to Postfix took 40 ms more. Linux
// clears the flag on its own, hence before each read. Connections that
// are not TCP are returned as they are.
func QuickAck(nc net.Conn) net.Conn {
	tc, ok := nc.(*net.TCPConn)
	if !ok || !quickAckSupported {
		return nc
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return nc
	}
	return &quickAckConn{TCPConn: tc, rc: rc}
}

// quickAckConn is a TCP connection that sets TCP_QUICKACK before reads.
// It embeds *net.TCPConn so that CloseWrite and the rest stay available.
type quickAckConn struct {
	*net.TCPConn
	rc syscall.RawConn
}

// Read sets TCP_QUICKACK and reads.
func (c *quickAckConn) Read(b []byte) (int, error) {
	_ = c.rc.Control(setQuickAck)
	return c.TCPConn.Read(b)
}
