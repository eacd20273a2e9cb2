package wire

import (
	"time"

	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

// Message matches one message of a message protocol (WebSocket) received
// from from: the message is the frame, matched as a whole by equals,
// contains, match and reject, like a datagram.
func (m *Matcher) Message(data []byte, from string) (*ExpectResult, error) {
	d := *m
	d.frame = frameMessage
	if d.nothing {
		return nil, mismatch(data, "expected nothing, received a message of %s", bytesize.Format(len(data)))
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

// NoMessage is the outcome when no message came within the step timeout:
// success for nothing: true, a mismatch otherwise.
func (m *Matcher) NoMessage(waited time.Duration) (*ExpectResult, error) {
	d := *m
	d.frame = frameMessage
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
