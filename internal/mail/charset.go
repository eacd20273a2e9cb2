package mail

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// charsetAlias returns the encoding of a label that the indexes get wrong or
// do not know: the GB family is decoded as GB18030, the superset of GB2312
// and GBK that mailers mislabel freely; UTF-16 and UTF-32 follow RFC 2781
// (big-endian unless a byte-order mark says otherwise). utf8 reports whether
// the label means UTF-8 (or its subset US-ASCII), which needs no decoder.
// It is a function, not a map, so that the package holds no mutable state.
func charsetAlias(label string) (enc encoding.Encoding, utf8Label, ok bool) {
	switch label {
	case "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "x-utf_8j",
		"unicode-1-1-utf-8", "unicode-2-0-utf-8", "x-unicode20utf8":
		return nil, true, true
	case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936",
		"euc-cn", "x-euc-cn", "csgb2312", "gb_2312-80", "gb_2312", "chinese",
		"csiso58gb231280", "iso-ir-58", "936":
		return simplifiedchinese.GB18030, false, true
	case "hz-gb-2312":
		return simplifiedchinese.HZGB2312, false, true
	case "utf-16":
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), false, true
	case "utf-16be":
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), false, true
	case "utf-16le":
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), false, true
	case "utf-32":
		return utf32.UTF32(utf32.BigEndian, utf32.UseBOM), false, true
	case "utf-32be":
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), false, true
	case "utf-32le":
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), false, true
	case "tis-620":
		return charmap.Windows874, false, true
	}
	return nil, false, false
}

// lookupCharset finds the decoder for a MIME charset label. It returns
// (nil, true) for UTF-8 and US-ASCII, (nil, false) for a label it does not
// know.
func lookupCharset(label string) (encoding.Encoding, bool) {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	if label == "" {
		return nil, true
	}
	if enc, isUTF8, ok := charsetAlias(label); ok {
		return enc, isUTF8 || enc != nil
	}
	if enc, err := htmlindex.Get(label); err == nil && enc != nil {
		// The WHATWG index maps ISO-2022-KR, ISO-2022-CN and friends to
		// "replacement", which would turn the whole text into U+FFFD.
		if name, _ := htmlindex.Name(enc); name != "replacement" {
			return enc, true
		}
	}
	for _, idx := range []*ianaindex.Index{ianaindex.MIME, ianaindex.IANA} {
		if enc, err := idx.Encoding(label); err == nil && enc != nil {
			return enc, true
		}
	}
	if rest, found := strings.CutPrefix(label, "x-"); found {
		return lookupCharset(rest)
	}
	return nil, false
}

// asciiCompatible reports whether raw 8-bit header bytes may be decoded with
// this label: the multi-byte Unicode forms would garble the ASCII around them.
func asciiCompatible(label string) bool {
	label = strings.ToLower(label)
	return !strings.HasPrefix(label, "utf-16") && !strings.HasPrefix(label, "utf-32") &&
		!strings.HasPrefix(label, "ucs")
}

// toUTF8 converts b from charset to UTF-8. It never fails: an unknown
// charset, or bytes invalid in the one named, leave best-effort UTF-8 with
// invalid sequences replaced by U+FFFD.
func toUTF8(b []byte, charset string) string {
	enc, known := lookupCharset(charset)
	if !known || enc == nil {
		return validUTF8(b)
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return validUTF8(b)
	}
	return validUTF8(out)
}

// looseUTF8 reads bytes whose charset was not declared (raw 8-bit header
// values, a text part without a charset): UTF-8 when they are valid UTF-8,
// else the message's fallback charset, else UTF-8 with replacements.
func looseUTF8(b []byte, fallback string) string {
	if utf8.Valid(b) || fallback == "" {
		return validUTF8(b)
	}
	return toUTF8(b, fallback)
}

// validUTF8 returns b as a string, invalid UTF-8 sequences replaced.
func validUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// fallbackScanLimit bounds how much of a raw message fallbackCharset reads.
const fallbackScanLimit = 256 << 10

// fallbackCharset guesses the charset of raw 8-bit bytes in headers (and of
// text parts without a charset): the first charset= parameter in the
// message, when it names a known, ASCII-compatible charset other than
// UTF-8. Mailers that put raw GBK in a Subject declare GBK on the body.
func fallbackCharset(raw []byte) string {
	if len(raw) > fallbackScanLimit {
		raw = raw[:fallbackScanLimit]
	}
	const key = "charset="
	for i := 0; i+len(key) <= len(raw); {
		j := indexFold(raw[i:], key)
		if j < 0 {
			return ""
		}
		i += j + len(key)
		v := raw[i:]
		v = bytes.TrimLeft(v, `"' `)
		end := bytes.IndexAny(v, "\"'; \t\r\n")
		if end < 0 {
			end = len(v)
		}
		label := string(v[:end])
		if enc, ok := lookupCharset(label); ok && enc != nil && asciiCompatible(label) {
			return label
		}
	}
	return ""
}

// indexFold is bytes.Index with an ASCII-case-insensitive match of a
// lower-case needle.
func indexFold(s []byte, needle string) int {
	for i := 0; i+len(needle) <= len(s); i++ {
		j := 0
		for j < len(needle) && lowerASCII(s[i+j]) == needle[j] {
			j++
		}
		if j == len(needle) {
			return i
		}
	}
	return -1
}

// lowerASCII lower-cases one ASCII letter.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
