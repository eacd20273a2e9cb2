package wire

import (
	"context"
	"net"

	"github.com/netrunhq/netrun/engine"
)

// ReadStream carries out e on a stream connection, the expect step of a
// stream plugin (tcp, tls, daytime): it resolves e, reads from rd within
// ctx's deadline, set on nc, records what arrives, and names the peer,
// remote, in the result. It returns the step's result: an ExpectResult,
// or nil with the error.
func (e *Expect) ReadStream(ctx context.Context, s *engine.Session, nc net.Conn, rd *Reader, remote string) (any, error) {
	m, err := e.Resolve(s)
	if err != nil {
		return nil, err
	}
	stop := engine.Deadline(ctx, nc)
	defer stop()
	res, err := m.Read(ctx, rd, s.Received)
	if err != nil {
		return nil, err
	}
	res.From = remote
	return *res, nil
}
