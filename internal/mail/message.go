// Package mail is netrun's one mail parser, used by pop3, imap and the
// sandbox, and the message builder used by smtp (send: { mail }) and imap
// (append).
//
// # Parse
//
// Parse turns the raw bytes of a message into a Message, the shape of a
// parsed mail in the scenario format (section 4). It reads MIME multipart of
// any nesting with emersion/go-message's textproto layer, decodes RFC 2047
// encoded words and RFC 2231 parameters, and converts every charset it knows
// to UTF-8: the GB family (GB2312 and GBK are read as GB18030, their
// superset), Big5, ISO-8859-*, Windows-125*, Shift_JIS, EUC-JP, ISO-2022-JP,
// EUC-KR, KOI8-R/U, UTF-16/32 and everything golang.org/x/text indexes. The
// decoding is done here, per part: the package never sets go-message's
// global CharsetReader and holds no mutable state.
//
// The rules, which callers and scenario authors can rely on:
//
//   - Text is the first text/plain leaf that is not an attachment, HTML the
//     first text/html one; later ones are ignored. Both are UTF-8 with CRLF
//     turned into LF and a leading byte-order mark removed.
//   - A leaf part is an attachment when its Content-Disposition is
//     "attachment", or it has a filename (Content-Disposition filename or
//     Content-Type name), or its type is neither text/plain nor text/html
//     (inline images of multipart/related, message/rfc822, a signature).
//     Attachments are not descended into. Attachment.ContentType is the
//     lower-case media type without parameters; Size and SHA256 are those
//     of the transfer-decoded bytes, before any charset conversion, so they
//     match the file that was attached.
//   - Headers maps each header name, in Go's canonical form
//     (net/textproto.CanonicalMIMEHeaderKey: "Message-Id", "X-Netrun-Token",
//     "Mime-Version"), to its first value, unfolded and decoded (encoded
//     words, raw 8-bit bytes).
//   - From, To and Cc are "Name <addr>" with the name decoded, or "addr"
//     alone; the name is quoted only when it holds one of , ; < > @ : " ( )
//     [ ] \. From joins several addresses with ", ".
//   - MessageID is the Message-ID header as written, angle brackets
//     included; Build returns the same form. Date is the zero time when
//     absent or unparseable.
//   - Raw 8-bit bytes in headers, and text parts without a charset, are
//     read as UTF-8 when valid, else in the first non-UTF-8 charset the
//     message declares anywhere. An unknown charset leaves best-effort
//     UTF-8, invalid sequences replaced by U+FFFD.
//
// Parse is lenient and bounded: a multipart whose boundary matches no part
// is re-read with the boundary its body uses, and else kept as text;
// a truncated part keeps what was read; nesting deeper than 20 multiparts,
// and parts beyond the 10,000th, are skipped. It returns an error only when
// nothing useful is there (empty input, no header field at all), and even
// then a non-nil Message holding what could be read. The caller bounds the
// size of raw; memory stays proportional to it.
//
// # Build
//
// Build renders a Spec with wneessen/go-mail into the RFC 5322 bytes that go
// after DATA (before dot-stuffing) or into an IMAP APPEND.
package mail

import (
	"bufio"
	"bytes"
	"errors"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	mtextproto "github.com/emersion/go-message/textproto"
	netmail "net/mail"
)

// Message is a parsed mail, as the scenario format shows it (the elements
// of result.messages of pop3 and imap fetch).
type Message struct {
	// UID is the IMAP UID; Parse leaves it zero for the caller to set.
	UID uint32 `expr:"uid" json:"uid,omitempty"`
	// Number is the POP3 message number; Parse leaves it zero.
	Number int `expr:"number" json:"number,omitempty"`
	// Flags are the IMAP flags (\Seen, \Flagged, $Label) as the server
	// spells them; Parse leaves them nil for the caller to set.
	Flags []string `expr:"flags" json:"flags,omitempty"`
	// From is the author, "Name <addr>" or "addr".
	From string `expr:"from" json:"from"`
	// To lists the To addresses, each like From.
	To []string `expr:"to" json:"to"`
	// Cc lists the Cc addresses, each like From.
	Cc []string `expr:"cc" json:"cc"`
	// Subject is the decoded Subject.
	Subject string `expr:"subject" json:"subject"`
	// Date is the Date header, the zero time when absent or unparseable.
	Date time.Time `expr:"date" json:"date"`
	// MessageID is the Message-ID header, angle brackets included.
	MessageID string `expr:"message_id" json:"message_id"`
	// Headers maps each canonical header name to its first value, decoded.
	Headers map[string]string `expr:"headers" json:"headers"`
	// Text is the first text/plain body that is not an attachment.
	Text string `expr:"text" json:"text"`
	// HTML is the first text/html body that is not an attachment.
	HTML string `expr:"html" json:"html"`
	// Attachments lists the attachments in the order of the message.
	Attachments []Attachment `expr:"attachments" json:"attachments"`
	// Size is the length of the raw message in bytes.
	Size int `expr:"size" json:"size"`
}

// Attachment describes one attachment of a parsed mail.
type Attachment struct {
	// Filename is the decoded file name, empty when the part has none.
	Filename string `expr:"filename" json:"filename"`
	// ContentType is the lower-case media type, without parameters.
	ContentType string `expr:"content_type" json:"content_type"`
	// Size is the length of the decoded content in bytes.
	Size int `expr:"size" json:"size"`
	// SHA256 is the lower-case hex SHA-256 of the decoded content.
	SHA256 string `expr:"sha256" json:"sha256"`
}

// Parse reads a raw RFC 5322 message. See the package documentation for
// the rules. The Message is never nil; the error is non-nil only when
// nothing useful could be read.
func Parse(raw []byte) (*Message, error) {
	m := &Message{
		To:          []string{},
		Cc:          []string{},
		Headers:     map[string]string{},
		Attachments: []Attachment{},
		Size:        len(raw),
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return m, errors.New("mail: empty message")
	}
	hdrBytes, body := splitHeader(raw)
	// splitHeader keeps only well-formed field lines, so ReadHeader cannot
	// fail; had it failed, h would hold the fields read before the error.
	h, _ := mtextproto.ReadHeader(bufio.NewReader(bytes.NewReader(hdrBytes)))
	w := &walker{msg: m, fallback: fallbackCharset(raw)}
	w.headers(h)
	w.entity(h, bytes.NewReader(body), 0)
	if h.Len() == 0 {
		return m, errors.New("mail: no header fields: not a mail message")
	}
	return m, nil
}

// splitHeader cuts raw at the end of its header: the first empty line, or
// the first line that is neither a header field nor a continuation (which
// then starts the body, as in Python's email package). An mbox "From "
// line and leading continuation lines at the very start are skipped. Lines
// may end in CRLF or LF. The header returned ends with an empty line.
func splitHeader(raw []byte) (hdr, body []byte) {
	start, pos := 0, 0
	for pos < len(raw) {
		end := bytes.IndexByte(raw[pos:], '\n')
		next := len(raw)
		if end >= 0 {
			end += pos
			next = end + 1
		} else {
			end = len(raw)
		}
		line := bytes.TrimSuffix(raw[pos:end], []byte("\r"))
		switch {
		case len(line) == 0:
			return withBlankLine(raw[start:pos]), raw[next:]
		case pos == start && (line[0] == ' ' || line[0] == '\t' || bytes.HasPrefix(line, []byte("From "))):
			start = next // nothing to continue, or an mbox separator
		case line[0] == ' ' || line[0] == '\t':
		case !isFieldLine(line):
			return withBlankLine(raw[start:pos]), raw[pos:]
		}
		pos = next
	}
	return withBlankLine(raw[start:]), nil
}

// withBlankLine returns a header block that ends with an empty line, so
// that go-message's ReadHeader reads all of it.
func withBlankLine(h []byte) []byte {
	out := make([]byte, 0, len(h)+4)
	out = append(out, h...)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\r', '\n')
	}
	return append(out, '\r', '\n')
}

// isFieldLine reports whether line starts a header field: a non-empty name
// of printable ASCII without ':' or space, then ':'.
func isFieldLine(line []byte) bool {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return false
	}
	for _, c := range bytes.TrimRight(line[:colon], " \t") {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

// headers fills the header-derived fields of the message.
func (w *walker) headers(h mtextproto.Header) {
	m := w.msg
	for f := h.Fields(); f.Next(); {
		key := textproto.CanonicalMIMEHeaderKey(f.Key())
		if _, seen := m.Headers[key]; !seen {
			m.Headers[key] = w.headerText(f.Value())
		}
	}
	m.Subject = m.Headers["Subject"]
	m.MessageID = strings.TrimSpace(m.Headers["Message-Id"])
	if from := h.Get("From"); from != "" {
		m.From = strings.Join(parseAddressList(looseUTF8([]byte(from), w.fallback)), ", ")
	}
	if to := h.Get("To"); to != "" {
		m.To = parseAddressList(looseUTF8([]byte(to), w.fallback))
	}
	if cc := h.Get("Cc"); cc != "" {
		m.Cc = parseAddressList(looseUTF8([]byte(cc), w.fallback))
	}
	m.Date = parseDate(h.Get("Date"))
}

// headerText decodes one raw header value.
func (w *walker) headerText(v string) string {
	return strings.TrimSpace(decodeWords(looseUTF8([]byte(v), w.fallback)))
}

// parseDate reads a Date header; it returns the zero time when it cannot.
// Layouts seen in the wild that net/mail.ParseDate rejects are tried after
// it.
func parseDate(v string) time.Time {
	dateLayouts := [...]string{
		time.RFC1123Z, time.RFC1123, time.RFC850, time.ANSIC, time.RFC3339,
		"Mon, 2 Jan 2006 15:04:05 -0700 (MST)",
		"Mon, 2 Jan 2006 15:04:05 MST",
		"2 Jan 2006 15:04:05 MST",
		"Mon, 2 Jan 06 15:04:05 -0700",
		"Mon, 2 Jan 2006 15:04 -0700",
		"2006-01-02 15:04:05 -0700",
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	// Most mail writes RFC 5322's date as RFC 1123 with a numeric zone:
	// one layout is much cheaper than the many ParseDate tries in turn.
	if t, err := time.Parse(time.RFC1123Z, v); err == nil {
		return t
	}
	if t, err := netmail.ParseDate(v); err == nil {
		return t
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			return t
		}
	}
	return time.Time{}
}

// CountText is "1 message" or "N messages".
func CountText(n int) string {
	if n == 1 {
		return "1 message"
	}
	return strconv.Itoa(n) + " messages"
}
