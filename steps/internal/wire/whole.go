package wire

import (
	"time"

	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

// Datagram matches one datagram received from from: the datagram is the
// frame, matched as a whole by equals, contains, match and reject.
func (m *Matcher) Datagram(data []byte, from string) (*ExpectResult, error) {
	return m.whole(frameDatagram, data, from, "a datagram of "+bytesize.Format(len(data))+" from "+from)
}

// Message matches one message of a message protocol (WebSocket) received
// from from: the message is the frame, matched as a whole by equals,
// contains, match and reject, like a datagram.
func (m *Matcher) Message(data []byte, from string) (*ExpectResult, error) {
	return m.whole(frameMessage, data, from, "a message of "+bytesize.Format(len(data)))
}

// whole matches data, received from from, as one frame of its own (a
// datagram or a message); got says what it is when none was expected.
func (m *Matcher) whole(frame framing, data []byte, from, got string) (*ExpectResult, error) {
	d := *m
	d.frame = frame
	if d.nothing {
		return nil, mismatch(data, "expected nothing, received %s", got)
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
	return m.none(frameDatagram, waited)
}

// NoMessage is the outcome when no message came within the step timeout:
// success for nothing: true, a mismatch otherwise.
func (m *Matcher) NoMessage(waited time.Duration) (*ExpectResult, error) {
	return m.none(frameMessage, waited)
}

// none is the outcome when no frame of its own came in time.
func (m *Matcher) none(frame framing, waited time.Duration) (*ExpectResult, error) {
	d := *m
	d.frame = frame
	return d.timedOut(nil, waited)
}

// Nothing reports whether the matcher waits for silence (nothing: true).
func (m *Matcher) Nothing() bool { return m.nothing }

// Want says what the matcher waits for, in words: "a message that
// contains "OK"", for messages of the protocol that uses it.
func (m *Matcher) Want() string {
	d := *m
	d.frame = frameMessage
	return d.want()
}
