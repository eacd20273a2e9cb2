package ftp

import (
	"crypto/tls"
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
	// sent is set once netrun sent on it (or shook hands for an empty
	// upload): an upload, which Close ends as the peer needs.
	sent bool
}

// drainMax is the most an upload's data connection may still receive
// while it is shut down: TLS session tickets and alerts, a few hundred
// bytes; a peer that sends more is cut off.
const drainMax = 64 << 10

// Write sends to the server.
func (d *dataConn) Write(p []byte) (int, error) {
	d.sent = true
	return d.Conn.Write(p)
}

// Close ends the data connection. In plain text, and for a transfer
// broken off, it only closes it. With TLS (RFC 4217 section 9, RFC 8446
// section 6.1) an upload ends with a close_notify alert and the TCP
// half-close, then what the server still sends (TLS 1.3 session tickets
// never read while uploading, its own close_notify) is read until it
// closes its side: closing with unread bytes would make the kernel reset
// the connection and drop the end of the file still in its send buffer,
// and vsftpd answers "426 Failure reading network stream". A download
// read to its end is answered with close_notify too, which vsftpd waits
// for. The step's deadline, on raw, bounds it all; the server's reply on
// the control connection says whether the file arrived whole, so what
// goes wrong here is not an error of its own.
func (d *dataConn) Close() error {
	tc, ok := d.Conn.(*tls.Conn)
	if !ok || !tc.ConnectionState().HandshakeComplete || (!d.sent && !d.done) {
		return d.raw.Close()
	}
	if d.sent {
		if err := tc.CloseWrite(); err == nil {
			if hc, ok := d.raw.(interface{ CloseWrite() error }); ok {
				_ = hc.CloseWrite()
			}
			_, _ = io.CopyN(io.Discard, tc, drainMax)
		}
	}
	_ = tc.Close()
	return nil
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
	d.sent = true
	if h, ok := d.Conn.(interface{ Handshake() error }); ok {
		return h.Handshake()
	}
	return nil
}
