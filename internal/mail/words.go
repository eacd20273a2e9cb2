package mail

import (
	"encoding/base64"
	"strings"
)

// encodedWord is one RFC 2047 encoded word, its payload already decoded to
// bytes in its charset.
type encodedWord struct {
	charset string
	data    []byte
}

// parseEncodedWord reads an encoded word =?charset?B|Q?text?= at the start
// of s. It returns the word and its length in s. When s does not start with
// a well-formed word, ok is false and n, when positive, is how far the
// caller may skip: no word can start before it. That keeps decoding linear
// on hostile input.
func parseEncodedWord(s string) (w encodedWord, n int, ok bool) {
	if !strings.HasPrefix(s, "=?") {
		return w, 0, false
	}
	rest := s[2:]
	q := strings.IndexByte(rest[:min(len(rest), maxCharsetLen+1)], '?')
	if q <= 0 || q+3 > len(rest) || rest[q+2] != '?' {
		return w, 0, false
	}
	charset := rest[:q]
	if strings.ContainsAny(charset, " \t\r\n=") {
		return w, 0, false
	}
	// RFC 2231 section 5: a language may follow the charset after '*'.
	charset, _, _ = strings.Cut(charset, "*")
	enc := rest[q+1]
	text := rest[q+3:]
	end := -1
	for j := 0; j < len(text); j++ {
		if c := text[j]; c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			return w, 2 + q + 3 + j, false
		}
		if text[j] == '?' && j+1 < len(text) && text[j+1] == '=' {
			end = j
			break
		}
	}
	if end < 0 {
		return w, len(s), false
	}
	text = text[:end]
	switch enc {
	case 'B', 'b':
		w.data, ok = decodeBase64Word(text)
	case 'Q', 'q':
		w.data, ok = decodeQWord(text), true
	}
	if !ok {
		return w, 0, false
	}
	w.charset = charset
	return w, 2 + q + 3 + end + 2, true
}

// maxCharsetLen bounds the charset name of an encoded word.
const maxCharsetLen = 64

// decodeBase64Word decodes the payload of a B word, tolerating missing
// padding.
func decodeBase64Word(text string) ([]byte, bool) {
	b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(text, "="))
	if err != nil {
		return nil, false
	}
	return b, true
}

// decodeQWord decodes the payload of a Q word: '_' is a space, =XX a byte.
// A malformed escape is kept literally.
func decodeQWord(text string) []byte {
	out := make([]byte, 0, len(text))
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]):
			out = append(out, unhex(text[i+1])<<4|unhex(text[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

// isHex reports whether c is a hexadecimal digit.
func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unhex returns the value of a hexadecimal digit.
func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// decodeWords decodes the RFC 2047 encoded words in a header value that is
// already valid UTF-8. Unlike mime.WordDecoder it joins the bytes of
// adjacent words of one charset before converting them, so a multi-byte
// character split across two words (common with GBK subjects) survives.
// Whitespace between two encoded words is dropped, as RFC 2047 says.
// Unknown charsets give best-effort UTF-8; malformed words stay as they are.
func decodeWords(s string) string {
	if !strings.Contains(s, "=?") {
		return s
	}
	segs := wordSegments(s)
	var out strings.Builder
	var run []byte
	runCharset := ""
	flush := func() {
		if run != nil {
			out.WriteString(toUTF8(run, runCharset))
			run, runCharset = nil, ""
		}
	}
	for k, sg := range segs {
		if !sg.word {
			if strings.Trim(sg.text, " \t\r\n") == "" && k > 0 && k+1 < len(segs) &&
				segs[k-1].word && segs[k+1].word {
				continue
			}
			flush()
			out.WriteString(sg.text)
			continue
		}
		if run != nil && !strings.EqualFold(sg.charset, runCharset) {
			flush()
		}
		if run == nil {
			run, runCharset = []byte{}, sg.charset
		}
		run = append(run, sg.data...)
	}
	flush()
	return out.String()
}

// wordSegment is a part of a header value: an encoded word, or the text
// between two.
type wordSegment struct {
	word bool
	encodedWord
	text string
}

// wordSegments cuts s into encoded words and the text around them.
func wordSegments(s string) []wordSegment {
	var segs []wordSegment
	lit := 0
	for i := 0; i < len(s); {
		if s[i] == '=' {
			w, n, ok := parseEncodedWord(s[i:])
			if ok {
				if i > lit {
					segs = append(segs, wordSegment{text: s[lit:i]})
				}
				segs = append(segs, wordSegment{word: true, encodedWord: w})
				i += n
				lit = i
				continue
			}
			if n > 0 {
				i += n
				continue
			}
		}
		i++
	}
	if lit < len(s) {
		segs = append(segs, wordSegment{text: s[lit:]})
	}
	return segs
}
