package wire

import (
	"time"

	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

// MaxDatagram is the largest datagram sent or received: 64 KiB.
const MaxDatagram = 64 << 10

// Datagram matches one datagram received from from: the datagram is the
// frame, matched as a whole by equals, contains, match and reject.
func (m *Matcher) Datagram(data []byte, from string) (*ExpectResult, error) {
	d := *m
	d.frame = frameDatagram
	if d.nothing {
		return nil, mismatch(data, "expected nothing, received a datagram of %s from %s", bytesize.Format(len(data)), from)
	}
	if v, bad := d.rejected(data, len(data)); bad {
		return nil, v.err
	}
	loc, err := d.test(data)
	if err != nil {
		return nil, err
	}
	res := d.result(verdict{outcome: passed, data: data, loc: loc})
	res.From = from
	return res, nil
}

// NoDatagram is the outcome when no datagram came within the step timeout:
// success for nothing: true, a mismatch otherwise.
func (m *Matcher) NoDatagram(waited time.Duration) (*ExpectResult, error) {
	d := *m
	d.frame = frameDatagram
	return d.timedOut(nil, waited)
}
