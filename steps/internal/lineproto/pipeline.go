package lineproto

import (
	"context"
	"fmt"
	"strings"

	"github.com/netrunhq/netrun/engine"
)

// batchWriter is a Transport that can send several requests' lines in
// one write (lineTransport): a pipelined batch then costs one system call
// and, over TLS, one record, instead of one for each command.
type batchWriter interface {
	WriteBatch(ctx context.Context, s *engine.Session, reqs []Request) error
}

// Window is the pipelining window of a peer that says it takes
// pipelining: 64 commands of a few dozen bytes stay well within a TCP
// window, as RFC 2920 section 3.1 asks of a client whose writes block.
const Window = 64

// Pipeline sends the requests' lines and reads their replies, in order,
// with at most window commands written whose replies are still unread: a
// window of 1 is Command in a loop, one round trip a command; a larger one
// is pipelining (POP3's PIPELINING, RFC 2449 section 6.6; SMTP's, RFC
// 2920), for a peer that says it takes it. Once half the window's replies
// are read, the lines that fill it again are written together, so that
// the peer always has commands to answer. Commands are short lines, so a
// window of a few dozen never fills the peer's receive buffer, and a write
// never waits on the peer while its replies wait on us.
//
// each is called with the index of each request written and its reply
// (and data block, as Command returns them). Once it returns an error, no
// more lines are written, but the replies already due are still read and
// given to each, so that the dialogue stays in step and each sees what the
// peer did (a DELE it accepted); Pipeline returns the first error. An
// error of the connection while replies are due leaves the dialogue out of
// step.
func (d *Dialogue[R]) Pipeline(ctx context.Context, s *engine.Session, reqs []Request, window int, each func(i int, r R, block []byte) error) error {
	if len(reqs) == 0 {
		return nil
	}
	if err := d.Ready(reqs[0].Verb()); err != nil {
		return err
	}
	window = max(window, 1)
	sent := 0
	var failed error
	for i, req := range reqs {
		if ahead := sent - i; ahead <= window/2 && sent < len(reqs) && failed == nil {
			n := min(window-ahead, len(reqs)-sent)
			if err := d.writeBatch(ctx, s, reqs[sent:sent+n]); err != nil {
				d.outOfStep(ahead, req, err)
				return d.fail(reqs[sent].Verb(), err, true)
			}
			sent += n
		}
		if i == sent {
			break // an error of each stopped the writes: nothing more is due
		}
		r, block, err := d.Reply(ctx, s, req)
		if err != nil {
			d.outOfStep(sent-i-1, req, err)
			return d.fail(req.Verb(), err, true)
		}
		if err := each(i, r, block); failed == nil {
			failed = err
		}
	}
	return failed
}

// writeBatch writes the lines of reqs: in one write when the transport
// can, else one by one.
func (d *Dialogue[R]) writeBatch(ctx context.Context, s *engine.Session, reqs []Request) error {
	if bw, ok := d.t.(batchWriter); ok && len(reqs) > 1 {
		return bw.WriteBatch(ctx, s, reqs)
	}
	for _, req := range reqs {
		if err := d.t.Write(ctx, s, req); err != nil {
			return err
		}
	}
	return nil
}

// outOfStep breaks the dialogue when a pipelined batch failed with due
// replies still unread: they would be read as the replies to later
// commands.
func (d *Dialogue[R]) outOfStep(due int, at Request, err error) {
	if due > 0 {
		d.Break(fmt.Errorf("%d pipelined %s still unread after %s failed: %w", due, plural(due, d.Noun), at.Verb(), err))
	}
}

// plural is noun ("reply", "response") in the plural unless n is 1.
func plural(n int, noun string) string {
	switch {
	case n == 1:
		return noun
	case strings.HasSuffix(noun, "y"):
		return strings.TrimSuffix(noun, "y") + "ies"
	}
	return noun + "s"
}

// WriteBatch sends the lines of reqs in one write, and records them all,
// as they would be one by one: each line must be one line, as WriteLine
// wants (a Text request may hold several).
func (t *lineTransport[R]) WriteBatch(ctx context.Context, s *engine.Session, reqs []Request) error {
	n := 0
	for _, req := range reqs {
		if !req.Text {
			if err := checkLine(req.Line); err != nil {
				return err
			}
		}
		n += wireLen(req)
	}
	b := make([]byte, 0, n)
	for _, req := range reqs {
		b = appendWire(b, req)
	}
	return t.c.writeLines(ctx, s, b)
}
