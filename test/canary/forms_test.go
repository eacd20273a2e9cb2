package canary

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"mime/quotedprintable"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// window is the length of the pieces of each form searched for: a form
// shown in part (a quoted-printable line cut at a soft break, a transcript
// line cut by its cap) is found by any 8 bytes of it.
const window = 8

// form is one encoding of a secret, named for the report of a leak.
type form struct {
	name, text string
}

// textual are the encodings a peer, a library or a report writer applies to
// text; forms applies them once and twice (a JSON report of a transcript
// line is JSON of Go-quoted text).
var textual = []struct {
	name string
	enc  func(string) string
}{
	{"plain", func(s string) string { return s }},
	{"json-go", jsonGo},
	{"json-nohtml", jsonNoHTML},
	{"json-python", jsonPython},
	{"json-slash", func(s string) string { return strings.ReplaceAll(jsonNoHTML(s), "/", `\/`) }},
	{"go-quote", func(s string) string { q := strconv.Quote(s); return q[1 : len(q)-1] }},
	{"go-quote-ascii", func(s string) string { q := strconv.QuoteToASCII(s); return q[1 : len(q)-1] }},
	{"python-repr-bytes", pythonBytesRepr},
	{"python-ascii", pythonASCII},
	{"html", html.EscapeString},
	{"html-quot", func(s string) string {
		return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s)
	}},
	{"html-numeric", numericEntities},
	{"url-query", url.QueryEscape},
	{"url-path", url.PathEscape},
	{"url-all-upper", func(s string) string { return percentAll(s, "%%%02X") }},
	{"url-all-lower", func(s string) string { return percentAll(s, "%%%02x") }},
	{"qp", qp},
	{"imap-quoted", strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace},
}

// forms expands a secret into every encoding to search outputs for: each
// textual encoding and each pair of them, base64 (standard and URL
// alphabets, the secret at each of the three alignments inside a larger
// blob, as in AUTH PLAIN's \0user\0pass), hex in both cases.
func forms(secret string) []form {
	var out []form
	seen := map[string]bool{}
	add := func(name, text string) {
		if text != "" && !seen[text] {
			seen[text] = true
			out = append(out, form{name, text})
		}
	}
	for _, a := range textual {
		for _, b := range textual {
			add(a.name+"+"+b.name, b.enc(a.enc(secret)))
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		for align := 0; align < 3; align++ {
			add(fmt.Sprintf("base64-align%d", align), base64Core(enc, []byte(secret), align))
		}
	}
	add("hex", hex.EncodeToString([]byte(secret)))
	add("HEX", strings.ToUpper(hex.EncodeToString([]byte(secret))))
	return out
}

// base64Core is the part of the base64 of a blob that holds secret at
// offset align (mod 3) that only the secret's bytes decide: the characters
// that mix in a byte before or after it are left out.
func base64Core(enc *base64.Encoding, secret []byte, align int) string {
	blob := append(make([]byte, align), secret...)
	s := enc.EncodeToString(blob)
	first := (align*8 + 5) / 6            // first character wholly inside the secret
	last := (align + len(secret)) * 8 / 6 // characters wholly inside
	return s[first:min(last, len(strings.TrimRight(s, "=")))]
}

func jsonGo(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

func jsonNoHTML(s string) string {
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	_ = e.Encode(s)
	b := bytes.TrimSpace(buf.Bytes())
	return string(b[1 : len(b)-1])
}

// jsonPython is json.dumps with ensure_ascii: \uXXXX (lower case) for all
// but printable ASCII, surrogate pairs above the BMP, < > & as they are.
func jsonPython(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// pythonBytesRepr is repr() of the UTF-8 bytes: \xNN above ASCII.
func pythonBytesRepr(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, `\x%02x`, c)
		}
	}
	return b.String()
}

// pythonASCII is ascii() of a str: \xNN, \uNNNN or \UNNNNNNNN for
// each code point above ASCII.
func pythonASCII(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == '\'':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	return b.String()
}

func numericEntities(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x7f && r != '"' && r != '&' && r != '<' && r != '>' && r != '\'' {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "&#%d;", r)
		}
	}
	return b.String()
}

func percentAll(s, format string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, format, c)
		}
	}
	return b.String()
}

func qp(s string) string {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.String()
}

// softBreak matches a quoted-printable soft line break as it is, escaped
// in JSON or Go quoting, or in XML.
var softBreak = regexp.MustCompile(`=(\r?\n|(\\r)?\\n|&#13;&#10;|&#10;|&#xD;&#xA;|&#xA;)`)

// lineBreak matches any line break, raw or escaped, with the quoting and
// indentation that a transcript or a report adds between two lines.
var lineBreak = regexp.MustCompile(`(\r?\n|(\\r)?\\n|&#13;|&#10;|&#xD;|&#xA;)`)

// finder looks for every window of every form at once.
type finder struct {
	windows map[string]string // window -> form name
}

func newFinder(fs []form) *finder {
	f := &finder{windows: map[string]string{}}
	for _, x := range fs {
		t := x.text
		if len(t) < window {
			f.windows[t] = x.name
			continue
		}
		for i := 0; i+window <= len(t); i++ {
			f.windows[t[i:i+window]] = x.name
		}
	}
	return f
}

// leaks returns one line per form found in data: as it is, with
// quoted-printable soft breaks removed, and with every line break removed
// (base64 wrapped at 76 columns).
func (f *finder) leaks(data []byte) []string {
	var out []string
	seen := map[string]bool{}
	for _, view := range [][]byte{data, softBreak.ReplaceAll(data, nil), lineBreak.ReplaceAll(data, nil)} {
		for i := 0; i+window <= len(view); i++ {
			name, ok := f.windows[string(view[i:i+window])]
			if !ok || seen[name] {
				continue
			}
			seen[name] = true
			lo, hi := max(0, i-40), min(len(view), i+window+40)
			out = append(out, fmt.Sprintf("%s: …%s…", name, strconv.Quote(string(view[lo:hi]))))
		}
	}
	return out
}

// TestForms checks the helper itself: each form is found in a text that
// holds it, the base64 cores in real AUTH PLAIN blobs, a quoted-printable
// form split by soft breaks, and nothing in a text without the secret.
func TestForms(t *testing.T) {
	secret := canary
	f := newFinder(forms(secret))
	for _, x := range forms(secret) {
		if len(f.leaks([]byte("x "+x.text+" y"))) == 0 {
			t.Errorf("form %s (%q) not found", x.name, x.text)
		}
	}
	for _, user := range []string{"a", "ab", "abc"} {
		blob := base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + secret))
		if len(f.leaks([]byte("AUTH PLAIN "+blob))) == 0 {
			t.Errorf("AUTH PLAIN blob for user %q not found", user)
		}
	}
	long := qp(strings.Repeat("x", 70) + secret)
	if !strings.Contains(long, "=\r\n") {
		t.Fatalf("no soft break in %q", long)
	}
	if len(f.leaks([]byte(strings.ReplaceAll(strconv.Quote(long), `=\r\n`, "=\\r\\n\"\n  < \"")))) == 0 {
		t.Errorf("split quoted-printable form not found")
	}
	clean := []byte(`{"msg": "PASS ***", "b64": "AHVzZXIAKioq", "text": "imapwire & <tags> = 100% \"quoted\" é"}`)
	if l := f.leaks(clean); len(l) > 0 {
		t.Errorf("false positives: %v", l)
	}
	if !utf8.ValidString(secret) {
		t.Fatal("the canary is not UTF-8")
	}
}
