package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"mime/quotedprintable"
	"strings"

	mtextproto "github.com/emersion/go-message/textproto"
)

const (
	// maxDepth bounds the nesting of multiparts that Parse descends into.
	maxDepth = 20
	// maxParts bounds the number of parts Parse reads in one message.
	maxParts = 10000
)

// walker holds the state of one Parse call.
type walker struct {
	msg      *Message
	fallback string // charset for undeclared 8-bit bytes, see fallbackCharset
	parts    int
	textSet  bool
	htmlSet  bool
}

// entity reads one entity (the message itself or a part) whose header is h
// and whose raw body, still transfer-encoded, is body.
func (w *walker) entity(h mtextproto.Header, body io.Reader, depth int) {
	w.parts++
	ctype, cparams := parseParams(h.Get("Content-Type"), w.fallback)
	if ctype == "" || !strings.Contains(ctype, "/") {
		ctype = "text/plain" // RFC 2045 section 5.2: the default
	}
	if strings.HasPrefix(ctype, "multipart/") {
		if depth >= maxDepth {
			return
		}
		content, ok := w.multipart(body, cparams["boundary"], depth)
		if ok {
			return
		}
		// No part could be read at all: keep the body as text.
		body = bytes.NewReader(content)
		ctype, cparams = "text/plain", map[string]string{"charset": cparams["charset"]}
	}
	w.leaf(h, ctype, cparams, body)
}

// multipart reads the parts of a multipart body. When the declared
// boundary finds no part (a wrong or missing boundary parameter), it tries
// once more with the boundary the body itself uses: the first line that
// starts with "--". It reports whether any part was read; if not, it
// returns the whole body for the caller to read as text.
func (w *walker) multipart(body io.Reader, boundary string, depth int) ([]byte, bool) {
	c := &capture{}
	if boundary != "" && w.readParts(io.TeeReader(body, c), boundary, depth, c) {
		return nil, true
	}
	rest, _ := io.ReadAll(body)
	content := append(c.buf, rest...)
	c.buf = nil
	if guess := guessBoundary(content); guess != "" && guess != boundary {
		if w.readParts(bytes.NewReader(content), guess, depth, nil) {
			return nil, true
		}
	}
	return content, false
}

// readParts reads the parts of a multipart body with one boundary. It
// reports whether at least one part was found. c, when not nil, stops
// capturing once a part is found.
func (w *walker) readParts(body io.Reader, boundary string, depth int, c *capture) bool {
	mr := mtextproto.NewMultipartReader(body, boundary)
	found := false
	for w.parts < maxParts {
		p, err := mr.NextPart()
		if err != nil {
			break // io.EOF, or malformed: keep what was read
		}
		if !found && c != nil {
			c.stop()
		}
		found = true
		w.entity(p.Header, p, depth+1)
	}
	return found
}

// guessBoundary returns the boundary of the first line of content that
// looks like a delimiter line ("--" and a token), or "".
func guessBoundary(content []byte) string {
	for len(content) > 0 {
		line := content
		if i := bytes.IndexByte(content, '\n'); i >= 0 {
			line, content = content[:i], content[i+1:]
		} else {
			content = nil
		}
		line = bytes.TrimRight(line, " \t\r")
		if bytes.HasPrefix(line, []byte("--")) && len(line) > 2 && len(line) <= 72 &&
			!bytes.ContainsAny(line[2:], " \t") {
			return strings.TrimSuffix(string(line[2:]), "--")
		}
	}
	return ""
}

// leaf reads a part that is not a multipart: the text, the HTML, or an
// attachment (see the package documentation for the rule).
func (w *walker) leaf(h mtextproto.Header, ctype string, cparams map[string]string, body io.Reader) {
	disp, dparams := parseParams(h.Get("Content-Disposition"), w.fallback)
	filename := dparams["filename"]
	if filename == "" {
		filename = cparams["name"]
	}
	dec := transferDecoder(h.Get("Content-Transfer-Encoding"), body)
	isText := ctype == "text/plain" || ctype == "text/html"
	if disp == "attachment" || filename != "" || !isText {
		sum := sha256.New()
		n, _ := io.Copy(sum, dec) // a broken encoding keeps what decoded
		w.msg.Attachments = append(w.msg.Attachments, Attachment{
			Filename:    filename,
			ContentType: ctype,
			Size:        int(n),
			SHA256:      hex.EncodeToString(sum.Sum(nil)),
		})
		return
	}
	if (ctype == "text/plain" && w.textSet) || (ctype == "text/html" && w.htmlSet) {
		return
	}
	data, _ := io.ReadAll(dec) // a truncated part keeps what was read
	text := ""
	if cs, ok := cparams["charset"]; ok && cs != "" {
		text = toUTF8(data, cs)
	} else {
		text = looseUTF8(data, w.fallback)
	}
	text = strings.TrimPrefix(text, "\uFEFF")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if ctype == "text/plain" {
		w.msg.Text, w.textSet = text, true
	} else {
		w.msg.HTML, w.htmlSet = text, true
	}
}

// transferDecoder undoes a Content-Transfer-Encoding. An unknown encoding
// leaves the bytes as they are.
func transferDecoder(cte string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &base64Filter{r: r})
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	default:
		return r
	}
}

// base64Filter drops everything that is not in the base64 alphabet (line
// breaks, the spaces some mailers indent with, stray garbage), so that one
// bad byte does not end the attachment.
type base64Filter struct{ r io.Reader }

// Read implements io.Reader.
func (f *base64Filter) Read(p []byte) (int, error) {
	for {
		n, err := f.r.Read(p)
		k := 0
		for _, c := range p[:n] {
			if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
				c == '+' || c == '/' || c == '=' {
				p[k] = c
				k++
			}
		}
		if k > 0 || err != nil {
			return k, err
		}
	}
}

// capture records what a multipart reader consumes until the first part is
// found, so that a body without any part can still be read as text.
type capture struct {
	buf     []byte
	stopped bool
}

// Write implements io.Writer.
func (c *capture) Write(p []byte) (int, error) {
	if !c.stopped {
		c.buf = append(c.buf, p...)
	}
	return len(p), nil
}

// stop ends the recording and releases what was recorded.
func (c *capture) stop() { c.stopped, c.buf = true, nil }
