package imap

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

// maxCommandResponses caps what the responses to one send: { command }
// may hold in all.
const maxCommandResponses = 16 << 20

// takePending copies into p what a command read past its responses, which
// belongs to the library's reader.
func (c *stepConn) takePending(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	if len(c.pending) == 0 {
		c.pending = nil
	}
	return n, nil
}

// recordingReader reads the connection for a command, recording what
// comes.
type recordingReader struct{ c *stepConn }

// Read reads from the server (what the library left unread first).
func (r recordingReader) Read(p []byte) (int, error) {
	if n, _ := r.c.takePending(p); n > 0 {
		return n, nil
	}
	n, err := r.c.Conn.Read(p)
	r.c.rec.add('<', p[:n])
	return n, err
}

// readTagged reads responses up to the one tagged tag. What was read past
// it is kept for the library's reader.
func (c *stepConn) readTagged(tag string) (CommandResult, error) {
	br := bufio.NewReaderSize(recordingReader{c}, 32<<10)
	defer func() {
		if n := br.Buffered(); n > 0 {
			rest, _ := br.Peek(n)
			c.mu.Lock()
			c.pending = append(bytes.Clone(rest), c.pending...)
			c.mu.Unlock()
		}
	}()
	res := CommandResult{Tag: tag, Lines: []string{}}
	total := 0
	for {
		resp, err := readResponse(br, c.maxLiteral, maxCommandResponses-total)
		if err != nil {
			return res, err
		}
		total += len(resp)
		text := string(bytes.TrimSuffix(resp, []byte("\r\n")))
		switch {
		case len(text) > 2 && text[:2] == "* ":
			res.Lines = append(res.Lines, text[2:])
		case len(text) > len(tag) && text[:len(tag)+1] == tag+" ":
			status, rest, _ := strings.Cut(text[len(tag)+1:], " ")
			switch status {
			case "OK", "NO", "BAD":
			default:
				return res, &engine.Mismatch{Msg: fmt.Sprintf("the tagged response has %q where OK, NO or BAD belongs", status), Received: resp}
			}
			res.Status, res.OK, res.Text = status, status == "OK", rest
			return res, nil
		case len(text) > 0 && text[0] == '+':
			return res, &engine.Mismatch{Msg: "the server asks for more from the client (+), which a command of one line cannot give", Received: resp}
		default:
			return res, &engine.Mismatch{Msg: "the server sent a response that is neither untagged (*) nor tagged " + tag, Received: resp}
		}
	}
}

// readResponse reads one response: a line and, while a line ends with a
// literal ({N}, {N+} or ~{N}), the literal and the line that continues
// it. A line over MaxLine, a literal over maxLiteral or a response over
// room fails.
func readResponse(br *bufio.Reader, maxLiteral int64, room int) ([]byte, error) {
	var resp []byte
	for {
		line, err := readLine(br, &resp)
		if err != nil {
			return resp, err
		}
		if len(resp) > room {
			return resp[:min(len(resp), excerptSize)], &engine.Mismatch{Msg: fmt.Sprintf("the responses are larger than %s", bytesize.Format(maxCommandResponses))}
		}
		n, ok := literalSize(line)
		if !ok {
			return resp, nil
		}
		if n > maxLiteral || int64(len(resp))+n > int64(room) {
			return resp, &engine.Mismatch{Msg: fmt.Sprintf("a literal of %s, more than the cap (%s)", bytesize.Format(int(n)), bytesize.Format(int(min(maxLiteral, int64(room)))))}
		}
		start := len(resp)
		resp = append(resp, make([]byte, n)...)
		if _, err := io.ReadFull(br, resp[start:]); err != nil {
			return resp, err
		}
	}
}

// readLine appends one line, CRLF included, to resp and returns it.
func readLine(br *bufio.Reader, resp *[]byte) ([]byte, error) {
	start := len(*resp)
	for {
		chunk, err := br.ReadSlice('\n')
		*resp = append(*resp, chunk...)
		if len(*resp)-start > MaxLine {
			return nil, &engine.Mismatch{Msg: fmt.Sprintf("a line longer than %s", bytesize.Format(MaxLine)), Received: (*resp)[start : start+excerptSize]}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			if err == io.EOF && len(*resp) > start {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		return (*resp)[start:], nil
	}
}

// literalSize returns N when line ends with {N}, {N+} or ~{N} and CRLF,
// read as the framer reads it (an oversized N is the largest, so that the
// cap refuses it).
func literalSize(line []byte) (int64, bool) {
	return literalAtEnd(bytes.TrimSuffix(line, []byte("\n")))
}
