package linesrv

import (
	"bufio"
	"errors"
	"io"
)

// ErrBlockTooLarge is a dot-terminated block over its cap.
var ErrBlockTooLarge = errors.New("block too large")

// Block bounds a dot-terminated block that ReadBlock reads.
type Block struct {
	// Max is the most bytes of the block, without dot-stuffing.
	Max int
	// LongLines takes a line longer than MaxLine in pieces; without it
	// such a line is ErrLineTooLong, and nothing more is read.
	LongLines bool
	// Drain reads on to the lone dot past Max, keeping nothing, and
	// then returns ErrBlockTooLarge; without it ErrBlockTooLarge comes at
	// once, and the rest of the block is not read.
	Drain bool
}

// ReadBlock reads a dot-terminated block up to its lone dot (after CRLF
// or a bare LF), undoes the dot-stuffing and returns the block with its
// line ends as the client sent them. The end of the connection before the
// dot is io.ErrUnexpectedEOF.
func (c *Conn) ReadBlock(b Block) ([]byte, error) {
	var buf []byte
	atStart, tooBig := true, false // the next piece starts a line
	for {
		line, err := c.readSlice()
		whole := err == nil
		switch {
		case errors.Is(err, bufio.ErrBufferFull) && b.LongLines:
			err = nil // a long line: take it in pieces
		case errors.Is(err, bufio.ErrBufferFull):
			return nil, ErrLineTooLong
		case err == io.EOF:
			return nil, io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
		start := atStart
		atStart = whole
		if start && (string(line) == ".\r\n" || string(line) == ".\n") {
			if tooBig {
				return nil, ErrBlockTooLarge
			}
			return buf, nil
		}
		if start && len(line) > 0 && line[0] == '.' {
			line = line[1:]
		}
		if tooBig || len(buf)+len(line) > b.Max {
			if !b.Drain {
				return nil, ErrBlockTooLarge
			}
			tooBig, buf = true, nil
			continue
		}
		buf = append(buf, line...)
	}
}

// WriteBlock writes data as a dot-terminated block and flushes it:
// CRLF line ends, a leading dot doubled, a final line end added when data
// lacks one, then the lone dot. Empty data is the dot alone, where
// textproto's DotWriter writes an empty line before it (which poplib and
// nntplib read as a line of the block).
func (c *Conn) WriteBlock(data []byte) error {
	if len(data) == 0 {
		if _, err := c.W.W.WriteString(".\r\n"); err != nil {
			return err
		}
		return c.W.W.Flush()
	}
	dw := c.W.DotWriter()
	if _, err := dw.Write(data); err != nil {
		return err
	}
	return dw.Close()
}

// WriteLines writes lines, each ending with CRLF, as a block (WriteBlock).
func (c *Conn) WriteLines(lines []string) error {
	if len(lines) == 0 {
		return c.WriteBlock(nil)
	}
	dw := c.W.DotWriter()
	for _, l := range lines {
		if _, err := io.WriteString(dw, l+"\r\n"); err != nil {
			return err
		}
	}
	return dw.Close()
}
