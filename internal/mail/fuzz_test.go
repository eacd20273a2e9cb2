package mail

import (
	"mime"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestAddressEncodedWordValidUTF8 is what FuzzParse found: net/mail decodes
// utf-8 (and iso-8859-1) encoded words itself, without checking the bytes,
// so a From of =?utf-8?q?=FF?= gave a name that was not UTF-8.
func TestAddressEncodedWordValidUTF8(t *testing.T) {
	for _, h := range []string{
		"=?utf-8?q?=FF?= <a@b>",
		"=?utf-8?b?/w==?= <a@b>",
		"a@b (=?utf-8?q?=FF?=)",
		"\"=?utf-8?q?=FF=FE?=\" <a@b>, =?UTF-8?Q?=C3?= <c@d>",
	} {
		for _, got := range parseAddressList(h) {
			if !utf8.ValidString(got) {
				t.Errorf("%q gave %q", h, got)
			}
		}
	}
}

// FuzzDecodeWords checks the RFC 2047 decoder: it never panics, always
// gives valid UTF-8 for valid UTF-8, leaves text without "=?" alone, and
// decodes what mime's encoders wrote back to the original text.
func FuzzDecodeWords(f *testing.F) {
	for _, s := range []string{"", "hello", "=?utf-8?q?caf=C3=A9?=", "=?gbk?b?xOO6ww==?= =?gbk?b?ysC95w==?=",
		"=?utf-8?q?a?= b =?utf-8?q?c?=", "=?x-unknown?q?=FF?=", "=?utf-8?b?!!!?=", "=?", "=??=", "=?utf-8*en?q?x?="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		got := decodeWords(s)
		if !utf8.ValidString(got) {
			t.Fatalf("decodeWords(%q) = %q: not UTF-8", s, got)
		}
		if !strings.Contains(s, "=?") && got != s {
			t.Fatalf("decodeWords(%q) = %q: text without encoded words changed", s, got)
		}
		if len(got) > 3*len(s)+16 {
			t.Fatalf("decodeWords(%q) grew to %d bytes", s, len(got))
		}
		if strings.Contains(s, "=?") || strings.TrimSpace(s) != s {
			return
		}
		for _, enc := range []mime.WordEncoder{mime.BEncoding, mime.QEncoding} {
			w := enc.Encode("utf-8", s)
			if back := decodeWords(w); back != s {
				t.Fatalf("round trip of %q through %q gave %q", s, w, back)
			}
		}
	})
}

// FuzzParseParams checks the RFC 2231 parameter reader: no panic, at most
// maxParams values, valid UTF-8 values for valid UTF-8 input, and a
// RFC 2231 filename* written from any text reads back as that text.
func FuzzParseParams(f *testing.F) {
	for _, s := range []string{"attachment; filename=a.txt", "text/plain; charset=\"utf-8\"",
		"attachment; filename*=utf-8''caf%C3%A9.txt", "attachment; filename*0*=gbk''%C4%E3; filename*1*=%BA%C3",
		"a; name=\"=?utf-8?b?5L2g5aW9?=\"", "a; x*=''%", "a; x*99999999999999999999=1", "a;;;=;", "a; b=\"unclosed"} {
		f.Add(s, "")
	}
	f.Add("attachment; filename=\xc4\xe3", "gbk")
	f.Fuzz(func(t *testing.T, v, fallback string) {
		if len(fallback) > 40 {
			fallback = fallback[:40]
		}
		first, params := parseParams(v, fallback)
		if len(params) > maxParams {
			t.Fatalf("%d params", len(params))
		}
		if utf8.ValidString(v) {
			if !utf8.ValidString(first) {
				t.Fatalf("type %q not UTF-8", first)
			}
			for k, p := range params {
				if !utf8.ValidString(k) || !utf8.ValidString(p) {
					t.Fatalf("param %q=%q not UTF-8", k, p)
				}
			}
		}
		name := strings.ToValidUTF8(v, "")
		if strings.Contains(name, "=?") || strings.TrimSpace(name) != name {
			return
		}
		enc := "attachment; filename*=utf-8''" + strings.ReplaceAll(url.PathEscape(name), ";", "%3B")
		if _, p := parseParams(enc, fallback); p["filename"] != name {
			t.Fatalf("filename %q written as %q read back as %q", name, enc, p["filename"])
		}
	})
}
