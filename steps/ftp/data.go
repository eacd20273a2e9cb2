package ftp

import (
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/netrunhq/netrun/steps/wire"
)

// errTooMuch is returned by a data connection that received more than its
// cap.
var errTooMuch = errors.New("received more than the cap")

// dataConn is a data connection as the library sees it, above TLS when
// there is TLS: it counts what it receives, refuses more than limit bytes
// (when limit > 0), and keeps a copy of what it received when keep is set
// (LIST and MLSD, whose lines are checked afterwards). The deadline of raw,
// the TCP connection, is the step's, set by conn.dial.
type dataConn struct {
	net.Conn
	raw   net.Conn
	limit int64
	keep  bool
	kept  []byte
	got   int64
	// done is set once the peer closed its side: the transfer ended.
	done bool
}

// Read reads from the server within the cap.
func (d *dataConn) Read(p []byte) (int, error) {
	if d.limit > 0 && d.got > d.limit {
		return 0, fmt.Errorf("the data connection %w of %s", errTooMuch, wire.FormatSize(int(d.limit)))
	}
	if d.limit > 0 && int64(len(p)) > d.limit-d.got+1 {
		// One byte more than the cap tells a file of exactly the cap from
		// a longer one.
		p = p[:d.limit-d.got+1]
	}
	n, err := d.Conn.Read(p)
	d.got += int64(n)
	if d.keep {
		d.kept = append(d.kept, p[:n]...)
	}
	if errors.Is(err, io.EOF) {
		d.done = true
	}
	return n, err
}

// Handshake runs the TLS handshake, if any, now: the library calls it
// before an upload of nothing, which would never start it otherwise.
func (d *dataConn) Handshake() error {
	if h, ok := d.Conn.(interface{ Handshake() error }); ok {
		return h.Handshake()
	}
	return nil
}
