package tcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// conn is an open TCP (or TLS) connection.
type conn struct {
	nc         net.Conn
	rd         *wire.Reader
	lineEnding string
	tls        bool
	remote     string
}

func newConn(nc net.Conn, isTLS bool, lineEnding string, maxBuffer int) *conn {
	var src io.Reader = nc
	if isTLS {
		src = alertReader{nc}
	}
	return &conn{nc: nc, rd: wire.NewReader(src, maxBuffer), lineEnding: lineEnding, tls: isTLS,
		remote: nc.RemoteAddr().String()}
}

// Close closes the socket (after a TLS close_notify). The connection is
// closed whatever the peer did, so a peer that left first is not an error.
func (c *conn) Close(ctx context.Context) error {
	stop := engine.Deadline(ctx, c.nc)
	defer stop()
	err := c.nc.Close()
	if err == nil || c.tls || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return fmt.Errorf("close %s: %w", c.remote, err)
}

// alertReader explains TLS alerts the peer sends after the handshake.
type alertReader struct{ r io.Reader }

func (a alertReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	return n, tlsconf.ClassifyAlert(err)
}
