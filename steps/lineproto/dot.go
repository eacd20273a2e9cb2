package lineproto

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/wire"
)

// DefaultMaxBlock is the largest block ReadDotBlock reads when given no cap.
const DefaultMaxBlock = 32 << 20

// ReadDotBlock reads a dot-terminated block (a POP3 RETR, an NNTP ARTICLE)
// up to its line ".": lines starting with ".." lose their first dot, each
// line keeps its line ending as received, and the final "." is not
// returned. A block larger than max bytes (DefaultMaxBlock when max <= 0)
// fails with an error that names the cap, and the connection is not used
// after it. The transcript shows the first lines and the size.
func (c *Conn) ReadDotBlock(ctx context.Context, s *engine.Session, max int) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxBlock
	}
	stop := engine.Deadline(ctx, c.nc)
	defer stop()
	start := time.Now()
	var out []byte
	lines := 0
	for {
		var rec *engine.Session
		if lines < transcriptLines {
			rec = s
		}
		what := "the end of a dot-terminated block (a line \".\")"
		line, raw, err := c.readLine(ctx, rec, what, start)
		if err != nil {
			if lines > 0 && c.err == nil {
				c.err = fmt.Errorf("the connection is out of step after %d lines of a dot-terminated block: %w", lines, err)
			}
			return nil, err
		}
		lines++
		if line == "." {
			if lines > transcriptLines && s != nil {
				s.Note("… %d lines in all, %s", lines, wire.FormatSize(len(out)))
			}
			return out, nil
		}
		raw = bytes.TrimPrefix(raw, []byte("."))
		if len(out)+len(raw) > max {
			c.err = fmt.Errorf("the block is larger than %s, the cap on what one read keeps; the connection is not used after it",
				wire.FormatSize(max))
			return nil, c.err
		}
		out = append(out, raw...)
	}
}

// DotStuff prepares raw, a message or an article, to be sent after DATA or
// POST: every line that starts with "." gets another ".", every line ends
// with CRLF (a bare LF becomes CRLF), and a last line without an ending gets
// one. The terminating line ".\r\n" is not added: send it after the result.
func DotStuff(raw []byte) []byte {
	return appendStuffed(make([]byte, 0, len(raw)+len(raw)/64+2), raw)
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
