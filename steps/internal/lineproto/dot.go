package lineproto

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

// defaultMaxBlock is the largest block readDotBlockSize reads when given
// no cap.
const defaultMaxBlock = 32 << 20

// firstBlockBuf is the first buffer of a block of unknown size: small,
// since such blocks are often a header alone (POP3's TOP, NNTP's HEAD),
// read by the hundred; a large one doubles it a few more times.
const firstBlockBuf = 4 << 10

// readDotBlockSize reads a dot-terminated block (a POP3 RETR, an NNTP
// ARTICLE) up to its line ".": lines starting with ".." lose their first
// dot, each line keeps its line ending as received, and the final "." is
// not returned. A block larger than max bytes (defaultMaxBlock when max <=
// 0) fails with an error that names the cap, and the connection is not
// used after it, nor after any other error in the middle of a block. The
// transcript shows the first lines and the size.
//
// The block is read straight into one buffer, line by line, without a copy
// of each line. When the peer said the block is about size bytes (POP3's
// LIST), the buffer starts at that size (plus a little, and never above
// the cap), so that an honest block is read without growing it. Otherwise
// (size 0), or for a peer that sends more than it said, the buffer doubles
// from 4 KiB and, once half the cap would not hold it, is grown to the
// cap at once, so that what one block costs stays under 1.5 times the cap.
func (c *Conn) readDotBlockSize(ctx context.Context, s *engine.Session, max, size int) ([]byte, error) {
	if max <= 0 {
		max = defaultMaxBlock
	}
	stop := engine.Deadline(ctx, c.nc)
	defer stop()
	if c.err != nil {
		return nil, c.err
	}
	b := &block{max: max}
	if size > 0 {
		b.out = make([]byte, 0, min(size+size/32+4<<10, max))
	}
	out, err := b.read(ctx, c, s)
	if err != nil && c.err == nil {
		// The rest of the block is still to come: nothing after it can be
		// read in step.
		c.err = fmt.Errorf("the connection is out of step after %d lines of a dot-terminated block: %w", b.lines, err)
	}
	return out, err
}

// block is a dot-terminated block being read.
type block struct {
	out   []byte
	max   int
	lines int
}

// read reads lines into b.out up to the line ".".
func (b *block) read(ctx context.Context, c *Conn, s *engine.Session) ([]byte, error) {
	const what = "the end of a dot-terminated block (a line \".\")"
	start := time.Now()
	for {
		from := len(b.out) // where this line starts in out
		stuffed := false   // whether its first dot was dropped
		for {
			chunk, err := c.rd.ReadSlice('\n')
			if len(b.out) == from && len(chunk) > 0 && chunk[0] == '.' && !stuffed {
				if isDotLine(chunk) {
					b.lines++
					if b.lines <= transcriptLines {
						c.record(s, chunk)
						c.recorded = 0
					} else if s != nil {
						s.Note("… %d lines in all, %s", b.lines, bytesize.Format(len(b.out)))
					}
					return b.out, nil
				}
				if err == nil || len(chunk) > 1 {
					chunk, stuffed = chunk[1:], true
				}
			}
			if n := len(b.out) - from + len(chunk) + dot(stuffed); n > c.max {
				got := append(b.lineSoFar(from, stuffed), chunk[:min(len(chunk), 512)]...)
				c.err = &engine.Mismatch{Received: got, Msg: fmt.Sprintf(
					"received a line longer than %s while waiting for %s; the line cap bounds memory, and the connection is not used after it",
					bytesize.Format(c.max), what)}
				return nil, c.err
			}
			if len(b.out)+len(chunk) > b.max {
				c.err = &engine.Mismatch{Received: bytes.Clone(b.out[:min(len(b.out), 512)]), Msg: fmt.Sprintf(
					"the block is larger than %s, the cap on what one read keeps; the connection is not used after it",
					bytesize.Format(b.max))}
				return nil, c.err
			}
			b.grow(len(chunk))
			b.out = append(b.out, chunk...)
			if err == nil {
				break
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				var rec *engine.Session
				if b.lines < transcriptLines {
					rec = s
				}
				return nil, c.readFailed(ctx, rec, b.lineSoFar(from, stuffed), err, awaited{what: what}, start)
			}
		}
		b.lines++
		if b.lines <= transcriptLines {
			c.record(s, b.lineSoFar(from, stuffed))
			c.recorded = 0
		}
	}
}

// lineSoFar returns the raw bytes received of the line that starts at from
// in out: with its stuffing dot, in a copy.
func (b *block) lineSoFar(from int, stuffed bool) []byte {
	line := make([]byte, 0, len(b.out)-from+1)
	if stuffed {
		line = append(line, '.')
	}
	return append(line, b.out[from:]...)
}

// grow makes room for n more bytes in out: the buffer doubles, from
// firstBlockBuf, until doubling would pass half the cap; then it takes the
// cap at once, so that a block never holds two buffers of more than 1.5
// times the cap together. The caller has checked that out stays under the
// cap.
func (b *block) grow(n int) {
	if len(b.out)+n <= cap(b.out) {
		return
	}
	size := max(2*cap(b.out), firstBlockBuf, len(b.out)+n)
	if size > b.max/2 {
		size = b.max
	}
	grown := make([]byte, len(b.out), size)
	copy(grown, b.out)
	b.out = grown
}

// dot is 1 when a line's stuffing dot was dropped: it counts in the line's
// length on the wire.
func dot(stuffed bool) int {
	if stuffed {
		return 1
	}
	return 0
}

// isDotLine reports whether line is the terminating line: "." and its line
// ending (CRLF, or a bare LF).
func isDotLine(line []byte) bool {
	return string(line) == ".\r\n" || string(line) == ".\n"
}

// appendStuffed appends raw to out dot-stuffed, with CRLF line ends.
func appendStuffed(out, raw []byte) []byte {
	for len(raw) > 0 {
		line := raw
		rest := []byte(nil)
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, rest = raw[:i], raw[i+1:]
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) > 0 && line[0] == '.' {
			out = append(out, '.')
		}
		out = append(out, line...)
		out = append(out, '\r', '\n')
		raw = rest
	}
	return out
}

// stuffPiece is how much of a dot-stuffed block WriteDotBlock sends at once.
const stuffPiece = 64 << 10

// WriteDotBlock sends raw as a dot-terminated block (DATA, POST): dot-
// stuffed, with CRLF line ends, then the line ".". It sends it in pieces of
// about 64 KiB, so that a large message is never copied whole. The
// transcript shows the first lines and the size.
func (c *Conn) WriteDotBlock(ctx context.Context, s *engine.Session, raw []byte) error {
	buf := make([]byte, 0, stuffPiece+1024)
	rec := s
	sent := 0
	for len(raw) > 0 {
		n := min(len(raw), stuffPiece)
		if i := bytes.IndexByte(raw[n-1:], '\n'); i >= 0 {
			n += i // end the piece at a line end, so stuffing sees whole lines
		} else {
			n = len(raw)
		}
		buf = appendStuffed(buf[:0], raw[:n])
		raw = raw[n:]
		if len(raw) == 0 {
			buf = append(buf, ".\r\n"...)
		}
		if err := c.write(ctx, rec, buf); err != nil {
			return err
		}
		sent += len(buf)
		rec = nil // one transcript excerpt, not one per piece
	}
	if sent == 0 {
		return c.write(ctx, s, []byte(".\r\n"))
	}
	return nil
}

// SplitLines splits a block, as readDotBlockSize returns it, into lines without
// their endings (CRLF, or a bare LF). The lines share one copy of the
// block, not one allocation each.
func SplitLines(block []byte) []string {
	text := string(block)
	out := make([]string, 0, bytes.Count(block, []byte("\n"))+1)
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		out = append(out, strings.TrimSuffix(line, "\r"))
	}
	return out
}
