package lineproto

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

// Follower follows the 3-digit replies of a byte stream that something
// else reads, as FTP's control connection is read by its library: Feed
// takes what was received, in order, in pieces of any size, and hands
// over each reply as soon as its last line is in. Its replies are RFC
// 959's: the lines between the first ("CODE-text") and the last ("CODE
// text") may be any text, and Enhanced is always empty.
//
// Memory is bounded as for ReadReply: a line of at most DefaultMaxLine
// bytes, a reply of at most MaxReplyLines lines and MaxReplyBytes bytes.
// Past a cap, or at a line that cannot start a reply, Feed fails with an
// engine.Mismatch, and the stream is out of step from then on.
type Follower struct {
	// Proto names the protocol in messages, such as "FTP"; Where names the
	// stream, such as "the control connection".
	Proto, Where string

	line []byte
	cur  *replyBuilder
}

// Feed follows b, and calls done with each reply it completes and its
// bytes as received.
func (f *Follower) Feed(b []byte, done func(r Reply)) error {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		part := b
		if i >= 0 {
			part = b[:i+1]
		}
		b = b[len(part):]
		f.line = append(f.line, part...)
		if len(f.line) > DefaultMaxLine {
			return &engine.Mismatch{Received: f.line[:512], Msg: fmt.Sprintf(
				"the server sent a line longer than %s on %s; the cap bounds memory, and the connection is not used after it",
				bytesize.Format(DefaultMaxLine), f.Where)}
		}
		if i < 0 {
			return nil
		}
		raw := f.line
		f.line = nil
		if f.cur == nil {
			f.cur = &replyBuilder{free: true, noun: "an " + f.Proto + " reply line"}
		}
		text := strings.TrimSuffix(strings.TrimSuffix(string(raw), "\n"), "\r")
		ok, err := f.cur.add(text, raw)
		if err != nil {
			return err
		}
		if ok {
			done(f.cur.r)
			f.cur = nil
		}
	}
	return nil
}

// Midway reports whether part of a reply was fed and not finished.
func (f *Follower) Midway() bool { return f.cur != nil || len(f.line) > 0 }
