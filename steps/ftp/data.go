package ftp

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"syscall"

	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/wire"
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
	// lines counts the line feeds received, when keep is set.
	lines int64
	// done is set once the peer closed its side: the transfer ended.
	done bool
	// sent is set once netrun sent on it (or shook hands for an empty
	// upload): an upload, which Close ends as the peer needs; put counts
	// what was sent.
	sent bool
	put  int64
	// unclosed is set when the server did not close an upload's data
	// connection after netrun ended its side, within the step's timeout.
	unclosed bool
}

// A listing is held as text, as the library's entries (a string of each
// line and a struct) and as the step's entries, and reading each line
// leaves garbage: it takes about three times its size and a few hundred
// bytes a line in memory. Each byte of a listing counts listingWeight
// times against its cap, and each line lineCost bytes more, so that the
// cap bounds what it takes in memory.
const (
	listingWeight = 3
	lineCost      = 320
)

// used is what the data received counts against the cap: its bytes, or
// for a listing what it takes in memory.
func (d *dataConn) used() int64 {
	if d.keep {
		return listingWeight*d.got + lineCost*d.lines
	}
	return d.got
}

// Read reads from the server within the cap.
func (d *dataConn) Read(p []byte) (int, error) {
	if d.limit > 0 {
		used := d.used()
		if used > d.limit {
			return 0, fmt.Errorf("the data connection %w of %s", errTooMuch, bytesize.Format(int(d.limit)))
		}
		// One byte more than the cap tells a file of exactly the cap from
		// a longer one.
		room := d.limit - used + 1
		if d.keep {
			room = (d.limit-used)/listingWeight + 1
		}
		if int64(len(p)) > room {
			p = p[:room]
		}
	}
	n, err := d.Conn.Read(p)
	d.got += int64(n)
	if d.keep {
		d.lines += int64(bytes.Count(p[:n], []byte{'\n'}))
		d.hold(p[:n])
	}
	if errors.Is(err, io.EOF) {
		d.done = true
	}
	return n, err
}

// spliceTo copies what the server still sends to f until it closes the
// connection, within the cap, when nothing else needs the bytes: in plain
// text the kernel moves them from the socket to the file (splice(2),
// through os.File.ReadFrom) and netrun never copies them, as a hash or
// TLS would need. It returns ok false, having read nothing, when the
// connection has TLS or keeps what it receives.
func (d *dataConn) spliceTo(f *os.File) (n int64, ok bool, err error) {
	tc, plain := d.Conn.(*net.TCPConn)
	if !plain || d.keep {
		return 0, false, nil
	}
	lr := &io.LimitedReader{R: tc, N: math.MaxInt64}
	if d.limit > 0 {
		// One byte more than the cap tells a file of exactly the cap from
		// a longer one.
		lr.N = max(d.limit-d.got+1, 0)
	}
	n, err = f.ReadFrom(lr)
	d.got += n
	switch {
	case err != nil:
		return n, true, spliceError(tc, f, err)
	case d.limit > 0 && d.got > d.limit:
		return n, true, fmt.Errorf("the data connection %w of %s", errTooMuch, bytesize.Format(int(d.limit)))
	}
	d.done = true
	return n, true, nil
}

// spliceError words an error of spliceTo as a read would (a timeout, a
// reset connection, for conn.explain), or as a failure to write the local
// file: splice(2) fails on either side with the same kind of error.
func spliceError(tc *net.TCPConn, f *os.File, err error) error {
	var se *os.SyscallError
	var ne net.Error
	switch {
	case errors.As(err, &ne), errors.Is(err, net.ErrClosed):
		return err // from the socket, as a read gives them
	case !errors.As(err, &se):
		return &localError{err} // a write of the copy without splice
	}
	for _, remote := range []syscall.Errno{syscall.ECONNRESET, syscall.ECONNABORTED, syscall.ETIMEDOUT,
		syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ENETDOWN, syscall.ENETRESET} {
		if errors.Is(se.Err, remote) {
			return &net.OpError{Op: "read", Net: "tcp", Source: tc.LocalAddr(), Addr: tc.RemoteAddr(), Err: se}
		}
	}
	return &localError{&os.PathError{Op: "write", Path: f.Name(), Err: se.Err}}
}

// hold appends b to kept, which grows by doubling up to what the cap
// allows a listing's bytes, never beyond.
func (d *dataConn) hold(b []byte) {
	if need := len(d.kept) + len(b); need > cap(d.kept) {
		c := max(2*cap(d.kept), need, 4<<10)
		if d.limit > 0 {
			c = min(c, max(int(d.limit/listingWeight)+1, need))
		}
		grown := make([]byte, len(d.kept), c)
		copy(grown, d.kept)
		d.kept = grown
	}
	d.kept = append(d.kept, b...)
}

// drainMax is the most an upload's data connection may still receive
// while it is shut down: TLS session tickets and alerts, a few hundred
// bytes; a peer that sends more is cut off.
const drainMax = 64 << 10

// Write sends to the server.
func (d *dataConn) Write(p []byte) (int, error) {
	d.sent = true
	n, err := d.Conn.Write(p)
	d.put += int64(n)
	return n, err
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
			_, err := io.CopyN(io.Discard, tc, drainMax)
			d.unclosed = wire.IsTimeout(err)
		}
	}
	_ = tc.Close()
	return nil
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
