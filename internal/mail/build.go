package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"mime"
	netmail "net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// MaxAttachmentSize is the most Build attaches, one file or all of them
// together: 25 MiB, what most mail servers accept for a whole message.
const MaxAttachmentSize = 25 << 20

// Spec is a message to build. Plugins decode it from the scenario (send:
// { mail } of smtp, append of imap) and resolve the attachment paths; this
// package does not read YAML.
type Spec struct {
	// From is the author, "addr" or "Name <addr>"; required.
	From string
	// To, Cc and Bcc are the recipients, each like From. Bcc is validated
	// but never written into the message: it is the SMTP plugin's business
	// to add it to the envelope.
	To, Cc, Bcc []string
	// Subject may hold any Unicode; it is encoded as RFC 2047 when needed.
	// A word of it too long for a header line (998 characters) is an
	// error.
	Subject string
	// Text and HTML are the bodies; both together make a
	// multipart/alternative. Neither and no attachment gives an empty
	// text/plain body.
	Text, HTML string
	// Attachments are files to attach, in order.
	Attachments []File
	// Headers are extra header fields (X-Netrun-Token, Reply-To, ...).
	// Message-ID and Date replace the generated ones. The fields Build
	// writes from the other Spec fields or for the MIME structure (From, To,
	// Cc, Bcc, Subject, MIME-Version, Content-*) are refused.
	Headers map[string]string
	// EightBit writes the text and HTML bodies as they are, 8bit UTF-8,
	// instead of quoted-printable: the way news articles are written.
	// Header fields are still RFC 2047 encoded where needed.
	EightBit bool
}

// File is one attachment of a Spec.
type File struct {
	// Path is the file to attach, already resolved by the plugin.
	Path string
	// Name is the file name in the message; the base name of Path when
	// empty. go-mail replaces control characters and " / : < > ? \ | with
	// '_', so Parse reads such a name back changed.
	Name string
	// ContentType is the media type; detected from the extension of Name
	// when empty, application/octet-stream when that finds nothing.
	ContentType string
}

// Build renders spec with wneessen/go-mail into the raw RFC 5322 bytes,
// with CRLF line endings, that go after DATA (before dot-stuffing) or into
// an IMAP APPEND. Text and HTML are UTF-8 quoted-printable, attachments
// base64; a non-ASCII subject, display name, file name or header value is
// encoded as RFC 2047 UTF-8 Q words. Header values always start on their
// field's line and lines with encoded words are folded at 76 characters
// (refoldHeader). It also returns the Message-ID, angle
// brackets included, as Parse reads it back: generated from random bytes
// and the domain of From unless spec.Headers sets one. A Date header holds
// the current time unless spec.Headers sets one.
func Build(spec Spec) (raw []byte, messageID string, err error) {
	opts := []gomail.MsgOption{gomail.WithNoDefaultUserAgent()}
	if spec.EightBit {
		opts = append(opts, gomail.WithEncoding(gomail.NoEncoding))
	}
	m := gomail.NewMsg(opts...)
	if err := setAddresses(m, spec); err != nil {
		return nil, "", err
	}
	if strings.ContainsAny(spec.Subject, "\r\n") {
		return nil, "", errors.New("mail: subject: line breaks are not allowed")
	}
	m.Subject(spec.Subject)
	messageID, err = setHeaders(m, spec)
	if err != nil {
		return nil, "", err
	}
	if spec.EightBit {
		// Quoted-printable ends lines with CRLF; 8bit writes the text as
		// it is.
		spec.Text, spec.HTML = CRLF(spec.Text), CRLF(spec.HTML)
	}
	switch {
	case spec.Text != "" && spec.HTML != "":
		m.SetBodyString(gomail.TypeTextPlain, spec.Text)
		m.AddAlternativeString(gomail.TypeTextHTML, spec.HTML)
	case spec.HTML != "":
		m.SetBodyString(gomail.TypeTextHTML, spec.HTML)
	case spec.Text != "" || len(spec.Attachments) == 0:
		m.SetBodyString(gomail.TypeTextPlain, spec.Text)
	}
	if err := attachAll(m, spec.Attachments); err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		return nil, "", fmt.Errorf("mail: write message: %w", err)
	}
	raw, err = refoldHeader(buf.Bytes())
	if err != nil {
		return nil, "", err
	}
	return raw, messageID, nil
}

// setAddresses sets From (required), To and Cc of m, and checks the Bcc
// addresses, which the message does not show.
func setAddresses(m *gomail.Msg, spec Spec) error {
	if strings.TrimSpace(spec.From) == "" {
		return errors.New("mail: from is required")
	}
	if err := m.From(spec.From); err != nil {
		return fmt.Errorf("mail: from %q: %w", spec.From, err)
	}
	if len(spec.To) > 0 {
		if err := m.To(spec.To...); err != nil {
			return fmt.Errorf("mail: to: %w", err)
		}
	}
	if len(spec.Cc) > 0 {
		if err := m.Cc(spec.Cc...); err != nil {
			return fmt.Errorf("mail: cc: %w", err)
		}
	}
	for _, a := range spec.Bcc {
		if _, err := netmail.ParseAddress(a); err != nil {
			return fmt.Errorf("mail: bcc %q: %w", a, err)
		}
	}
	return nil
}

// attachAll attaches files to m, in order, refusing them once together
// they are over MaxAttachmentSize.
func attachAll(m *gomail.Msg, files []File) error {
	total := int64(0)
	for _, f := range files {
		if st, err := os.Stat(f.Path); err == nil && f.Path != "" && st.Size() <= MaxAttachmentSize {
			total += st.Size() // a single file over the limit is attach's error
		}
		if total > MaxAttachmentSize {
			return fmt.Errorf("mail: the attachments add up to more than the limit of 25 MiB (at %s)", f.Path)
		}
		if err := attach(m, f); err != nil {
			return err
		}
	}
	return nil
}

// CRLF ends every line of s with CRLF: a bare LF becomes CRLF, and a CRLF
// stays one; a last line without an ending is left without one. It is the
// one conversion of text typed with LF endings (a YAML block, a file
// edited on Unix) to the CRLF lines of mail, of NNTP articles and of the
// line protocols' commands.
func CRLF(s string) string {
	if strings.Count(s, "\n") == strings.Count(s, "\r\n") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// setHeaders writes spec.Headers, in name order, and the Message-ID, which
// it returns.
func setHeaders(m *gomail.Msg, spec Spec) (string, error) {
	messageID := ""
	for _, name := range slices.Sorted(maps.Keys(spec.Headers)) {
		value := spec.Headers[name]
		if !ValidHeaderName(name) {
			return "", fmt.Errorf("mail: header %q: not a valid field name", name)
		}
		if strings.ContainsAny(value, "\r\n") {
			return "", fmt.Errorf("mail: header %s: line breaks are not allowed in the value", name)
		}
		switch canon := textproto.CanonicalMIMEHeaderKey(name); {
		case canon == "From", canon == "To", canon == "Cc", canon == "Bcc", canon == "Subject",
			canon == "Mime-Version", strings.HasPrefix(canon, "Content-"):
			return "", fmt.Errorf("mail: header %s: set by the message itself, not in headers", name)
		case canon == "Message-Id":
			id := strings.Trim(strings.TrimSpace(value), "<>")
			if id == "" || strings.ContainsAny(id, " \t<>") {
				return "", fmt.Errorf("mail: header %s: %q is not a message id", name, value)
			}
			m.SetMessageIDWithValue(id)
			messageID = "<" + id + ">"
		case canon == "Date":
			m.SetGenHeader(gomail.HeaderDate, value)
		case canon == "Reply-To":
			if err := m.ReplyTo(value); err != nil {
				return "", fmt.Errorf("mail: header %s: %w", name, err)
			}
		default:
			m.SetGenHeader(gomail.Header(name), value)
		}
	}
	if messageID == "" {
		id, err := newMessageID(spec.From)
		if err != nil {
			return "", err
		}
		m.SetMessageIDWithValue(id)
		messageID = "<" + id + ">"
	}
	return messageID, nil
}

// ValidHeaderName reports whether name is a header field name (RFC 5322,
// section 2.2: printable ASCII except colon, not empty).
func ValidHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}

// newMessageID returns a fresh id (without angle brackets): random bytes at
// the domain of from, so that the machine's host name never leaks.
func newMessageID(from string) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("mail: message id: %w", err)
	}
	domain := "netrun.invalid"
	if a, err := netmail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
			domain = strings.ToLower(d)
		}
	}
	return "netrun." + hex.EncodeToString(b) + "@" + domain, nil
}

// attach adds one file, read into memory after its size is checked.
func attach(m *gomail.Msg, f File) error {
	if f.Path == "" {
		return errors.New("mail: attachment: a file path is required")
	}
	st, err := os.Stat(f.Path)
	if err != nil {
		return fmt.Errorf("mail: attachment: %w", err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("mail: attachment %s: not a regular file", f.Path)
	}
	if st.Size() > MaxAttachmentSize {
		return fmt.Errorf("mail: attachment %s: %d bytes, over the limit of 25 MiB", f.Path, st.Size())
	}
	data, err := os.ReadFile(f.Path)
	if err != nil {
		return fmt.Errorf("mail: attachment: %w", err)
	}
	if len(data) > MaxAttachmentSize {
		return fmt.Errorf("mail: attachment %s: %d bytes, over the limit of 25 MiB", f.Path, len(data))
	}
	name := f.Name
	if name == "" {
		name = filepath.Base(f.Path)
	}
	if strings.ContainsAny(name, "\r\n") {
		return fmt.Errorf("mail: attachment %s: line breaks are not allowed in the name", f.Path)
	}
	ctype := f.ContentType
	if ctype == "" {
		ctype = contentTypeByName(name)
	} else if _, _, err := mime.ParseMediaType(ctype); err != nil {
		return fmt.Errorf("mail: attachment %s: content type %q: %w", f.Path, ctype, err)
	}
	m.AttachReadSeeker(name, bytes.NewReader(data), gomail.WithFileContentType(gomail.ContentType(ctype)))
	return nil
}

// knownMediaType is the media type of a common extension, or "".
func knownMediaType(ext string) string {
	switch ext {
	case ".txt", ".text", ".log":
		return "text/plain"
	case ".csv":
		return "text/csv"
	case ".htm", ".html":
		return "text/html"
	case ".md":
		return "text/markdown"
	case ".ics":
		return "text/calendar"
	case ".json":
		return "application/json"
	case ".xml":
		return "application/xml"
	case ".yaml", ".yml":
		return "application/yaml"
	case ".pdf":
		return "application/pdf"
	case ".zip":
		return "application/zip"
	case ".gz", ".tgz":
		return "application/gzip"
	case ".tar":
		return "application/x-tar"
	case ".doc":
		return "application/msword"
	case ".docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case ".xls":
		return "application/vnd.ms-excel"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".ppt":
		return "application/vnd.ms-powerpoint"
	case ".pptx":
		return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	}
	return knownBinaryType(ext)
}

// knownBinaryType is knownMediaType for images, sound and video.
func knownBinaryType(ext string) string {
	switch ext {
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".gif":
		return "image/gif"
	case ".svg":
		return "image/svg+xml"
	case ".webp":
		return "image/webp"
	case ".mp3":
		return "audio/mpeg"
	case ".mp4":
		return "video/mp4"
	}
	return ""
}

// contentTypeByName detects a media type from the extension of a file
// name. The fixed table knownMediaType comes first so that the result does not
// depend on the machine's mime.types; then the standard library; then
// application/octet-stream.
func contentTypeByName(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	if t := knownMediaType(ext); t != "" {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		// message/* may not be base64-encoded (RFC 2046 section 5.2.1),
		// and attachments always are.
		if mt, _, err := mime.ParseMediaType(t); err == nil && !strings.HasPrefix(mt, "message/") {
			return mt
		}
	}
	return "application/octet-stream"
}
