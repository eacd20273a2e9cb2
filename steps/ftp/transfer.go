package ftp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/textproto"
	"os"
	"strings"

	jftp "github.com/jlaffaye/ftp"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

// A download is read first into a block of maxText+1 bytes, which holds a
// small file whole; the rest of a larger one into copyBuffers buffers of
// copyBuffer bytes, which go round from the reader to the writer, the
// hasher and back. Large buffers mean few hand-overs between goroutines.
const (
	copyBuffer  = 2 << 20
	copyBuffers = 4
)

// download retrieves path: into the file to (written to a temporary file
// beside it, renamed when complete, removed on failure), or into memory
// when to is "". max > 0 caps the size. It computes the SHA-256 only when
// hashed is set.
func (c *conn) download(ctx context.Context, s *engine.Session, path, to string, max int, hashed bool) (FileResult, error) {
	res := FileResult{Path: path}
	what := "RETR " + path
	if err := c.d.Ready(what); err != nil {
		return res, err
	}
	unbind := c.bind(ctx, s)
	defer unbind()
	var f *os.File
	if to != "" {
		var err error
		if res.To, f, err = openLocal(to); err != nil {
			return res, err
		}
		defer func() { discardLocal(f, res.To) }()
	}
	c.limit = int64(max)
	resp, err := c.sc.Retr(path)
	if err != nil {
		res.Reply = c.reply()
		return res, c.explain(what, err)
	}
	var h hash.Hash
	if hashed {
		h = sha256.New()
	}
	n, text, copyErr := receive(f, h, resp, c.lastData(), max)
	closeErr := resp.Close()
	res.Size, res.Reply = int(n), c.reply()
	if copyErr != nil {
		return res, c.transferFailed(what, copyErr, closeErr, max)
	}
	if f == nil {
		res.Text = text
	}
	if closeErr != nil {
		return res, c.explain(what, closeErr)
	}
	res.Text = text
	if f != nil {
		if err := finish(f, res.To); err != nil {
			return res, err
		}
		f = nil
	}
	if h == nil {
		s.Note("received %s", bytesize.Format(res.Size))
		return res, nil
	}
	res.SHA256 = hex.EncodeToString(h.Sum(nil))
	s.Note("received %s, sha256 %s", bytesize.Format(res.Size), res.SHA256)
	return res, nil
}

// receive copies the file resp carries (on the data connection d) into
// f, or into memory when f is nil (within max), hashing it into h unless
// h is nil. It returns its size and its text: the file read into memory,
// or one written to f when it is at most maxText bytes; no text on an
// error.
func receive(f *os.File, h hash.Hash, resp io.Reader, d *dataConn, max int) (int64, string, error) {
	if f == nil {
		text, err := readToMemory(h, resp, max) // "" on an error
		return int64(len(text)), text, err
	}
	n, head, err := copyHashed(f, h, resp, d)
	if err != nil {
		return n, "", err
	}
	return n, string(head), nil
}

// copyHashed copies src (on the data connection d) to dst and into h
// unless h is nil, and returns the number of bytes and, when the file is
// at most maxText bytes, all of them. Past that first block, a download
// nothing hashes goes from the socket to dst in the kernel when it can
// (dataConn.spliceTo).
func copyHashed(dst *os.File, h hash.Hash, src io.Reader, d *dataConn) (int64, []byte, error) {
	first := make([]byte, maxText+1)
	k, err := io.ReadFull(src, first)
	first = first[:k]
	if h != nil {
		_, _ = h.Write(first)
	}
	if _, werr := dst.Write(first); werr != nil {
		return int64(k), nil, &localError{werr}
	}
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return int64(k), first, nil
	case err != nil:
		return int64(k), nil, err
	}
	if h == nil && d != nil {
		if n, ok, err := d.spliceTo(dst); ok {
			return int64(k) + n, nil, err
		}
	}
	n, err := pipeline(dst, h, src)
	return int64(k) + n, nil, err
}

// pipeline copies src to dst and into h (unless h is nil) until src
// ends. Reading, writing and hashing each run in a goroutine of their
// own, with buffers going round between them, so that a large download
// costs the time of the slowest of the three rather than of all: SHA-256
// alone takes most of a second per GiB.
func pipeline(dst io.Writer, h hash.Hash, src io.Reader) (int64, error) {
	free := make(chan []byte, copyBuffers)
	for i := 0; i < copyBuffers; i++ {
		free <- make([]byte, copyBuffer)
	}
	toWrite := make(chan []byte, copyBuffers)
	toHash := make(chan []byte, copyBuffers)
	var werr error                // set by the writer before it closes failed
	failed := make(chan struct{}) // closed when a write failed
	written := make(chan struct{})
	go func() {
		defer close(written)
		defer close(toHash)
		for b := range toWrite {
			if werr == nil {
				if _, err := dst.Write(b); err != nil {
					werr = &localError{err}
					close(failed)
				}
			}
			if h == nil {
				free <- b[:cap(b)]
				continue
			}
			toHash <- b
		}
	}()
	hashed := make(chan struct{})
	go func() {
		defer close(hashed)
		for b := range toHash {
			_, _ = h.Write(b)
			free <- b[:cap(b)]
		}
	}()
	n, rerr := readRound(src, free, toWrite, failed)
	close(toWrite)
	<-written
	<-hashed
	switch {
	case werr != nil:
		return n, werr
	case rerr == io.EOF:
		return n, nil
	}
	return n, rerr
}

// readRound reads src into the buffers of free and hands each to
// toWrite, until src ends (io.EOF), fails, or failed is closed
// (errWriteFailed). It returns the bytes read.
func readRound(src io.Reader, free <-chan []byte, toWrite chan<- []byte, failed <-chan struct{}) (int64, error) {
	var n int64
	for {
		buf := <-free
		k, err := io.ReadFull(src, buf)
		n += int64(k)
		toWrite <- buf[:k]
		switch {
		case err == nil:
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return n, io.EOF
		default:
			return n, err
		}
		select {
		case <-failed:
			return n, errWriteFailed
		default:
		}
	}
}

// errWriteFailed stops the reader of copyHashed once the writer failed.
var errWriteFailed = errors.New("the local write failed")

// transferFailed explains a transfer that broke off: copyErr ended it,
// closeErr is what closing the data connection and reading the server's
// reply gave.
func (c *conn) transferFailed(what string, copyErr, closeErr error, max int) error {
	var te *textproto.Error
	if closeErr != nil && !errors.As(closeErr, &te) {
		// The reply to the transfer was not read: the next one would be
		// taken for it.
		c.d.Break(fmt.Errorf("the reply to %s was not read: %v", what, closeErr))
	}
	var le *localError
	switch {
	case errors.Is(copyErr, errTooMuch):
		return fmt.Errorf("%s: the file is larger than max_size (%s); netrun stopped reading it", what, bytesize.Format(max))
	case errors.As(copyErr, &le):
		return fmt.Errorf("%s: %w", what, le)
	}
	return c.explain(what, copyErr)
}

// list lists dir with MLSD when the server offers it (MLST in FEAT), else
// LIST, and checks that every line of the listing was read.
func (c *conn) list(ctx context.Context, s *engine.Session, dir string, max int) (ListResult, error) {
	res := ListResult{Path: dir, Command: "LIST", Entries: []Entry{}, Unparsed: []string{}}
	if c.sc.IsTimePreciseInList() {
		res.Command = "MLSD"
	}
	what := strings.TrimSpace(res.Command + " " + dir)
	var entries []*jftp.Entry
	var raw []byte
	reply, err := c.listing(ctx, s, what, "listing", max, true, func() (err error) {
		if entries, err = c.sc.List(dir); err == nil {
			if d := c.lastData(); d != nil {
				raw, d.kept = d.kept, nil
			}
		}
		return err
	})
	res.Reply = reply
	if err != nil {
		return res, err
	}
	res.Entries, res.Unparsed = match(raw, entries)
	raw, entries = nil, nil
	s.Note("%d entries", len(res.Entries))
	if len(res.Unparsed) > 0 {
		return res, &engine.Mismatch{Received: []byte(strings.Join(res.Unparsed, "\n")), Msg: fmt.Sprintf(
			"%s: %d of the listing's lines could not be read as entries, the first: %q", what, len(res.Unparsed), res.Unparsed[0])}
	}
	return res, nil
}

// match pairs the lines of a listing with the entries the library read
// from them, in order, and returns the entries (without "." and "..") and
// the lines that gave none. Empty lines and ls's "total N" are not
// entries.
func match(raw []byte, entries []*jftp.Entry) ([]Entry, []string) {
	out, unparsed := make([]Entry, 0, len(entries)), []string{}
	j := 0
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\n')
		if i < 0 {
			i = len(raw) - 1
		}
		b := bytes.TrimRight(raw[:i+1], "\r\n")
		raw = raw[i+1:]
		if len(bytes.TrimSpace(b)) == 0 || isTotal(b) {
			continue
		}
		if j < len(entries) && describes(b, entries[j]) {
			if e := entries[j]; e.Name != "." && e.Name != ".." {
				out = append(out, entryOf(e))
			}
			j++
			continue
		}
		unparsed = append(unparsed, string(b))
	}
	return out, unparsed
}

// describes reports whether a listing line is the one e was read from:
// it ends with a space and the name, or is a link's "name -> target".
// Comparisons of string(b) do not copy b.
func describes(line []byte, e *jftp.Entry) bool {
	n, l := len(e.Name), len(line)
	if string(line) == e.Name || (l > n && line[l-n-1] == ' ' && string(line[l-n:]) == e.Name) {
		return true
	}
	return e.Type == jftp.EntryTypeLink && strings.Contains(string(line), " "+e.Name+" -> ")
}

// isTotal reports whether line is ls's "total N".
func isTotal(line []byte) bool {
	f := bytes.Fields(line)
	return len(f) == 2 && string(f[0]) == "total" && len(bytes.Trim(f[1], "0123456789")) == 0
}

// entryOf converts a library entry.
func entryOf(e *jftp.Entry) Entry {
	typ := "file"
	switch e.Type {
	case jftp.EntryTypeFolder:
		typ = "dir"
	case jftp.EntryTypeLink:
		typ = "link"
	}
	return Entry{Name: e.Name, Type: typ, Size: int(e.Size), Modified: e.Time.UTC(), Target: e.Target}
}
