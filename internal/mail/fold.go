package mail

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
)

// foldWidth is the longest header line Build writes where it can: RFC 2047
// section 2 limits a line holding an encoded word to 76 characters, within
// the 78 that RFC 5322 section 2.1.1 recommends for every line.
const foldWidth = 76

// maxHeaderLine is the hard limit of RFC 5322 section 2.1.1 on a line,
// CRLF excluded.
const maxHeaderLine = 998

// refoldHeader folds again the top-level header fields of a message that
// go-mail wrote. go-mail folds before the first word when that word is
// long, as a 75-character encoded word after "Subject: " is: the value
// then starts on a continuation line ("Subject:\r\n =?UTF-8?q?...") and
// Python's email parser with policy.default keeps the leading space of the
// continuation in the value. Here a value always starts on the field's own
// line, a first encoded word too long for that line is split in two at a
// character boundary, and lines are folded at 76 characters.
func refoldHeader(raw []byte) ([]byte, error) {
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	if end < 0 {
		return raw, nil
	}
	var out bytes.Buffer
	out.Grow(len(raw) + 64)
	for _, field := range splitFields(string(raw[:end+2])) {
		name, value, ok := strings.Cut(field, ":")
		if !ok {
			return nil, fmt.Errorf("mail: header line %q has no colon", field)
		}
		folded, err := foldField(name, strings.TrimLeft(value, " \t"))
		if err != nil {
			return nil, err
		}
		out.WriteString(folded)
	}
	out.Write(raw[end+2:])
	return out.Bytes(), nil
}

// splitFields cuts a header block, each line ended by CRLF, into its
// fields, unfolded: a line that starts with a space or a tab continues
// the field before it, and unfolding removes the CRLF before it.
func splitFields(block string) []string {
	var fields []string
	for _, line := range strings.SplitAfter(block, "\r\n") {
		line = strings.TrimSuffix(line, "\r\n")
		if line == "" {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(fields) > 0 {
			fields[len(fields)-1] += line
			continue
		}
		fields = append(fields, line)
	}
	return fields
}

// foldField writes "name: value" and its CRLF, folded at the spaces of
// value so that lines stay within foldWidth where the words allow, never
// before the first word and never before an empty word (a line of blanks
// only is not allowed). A first word that is an encoded word too long for
// the first line is split in two, except in an address field: Python's
// policy.default parser puts a space between two encoded words of a
// display name, so a name is never cut into more words than it has. A
// line over 998 characters, one word that cannot be folded, is an error.
func foldField(name, value string) (string, error) {
	words := strings.Split(value, " ")
	if room := foldWidth - len(name) - 2; len(words[0]) > room && !addressField(name) {
		if first, rest, ok := splitEncodedWord(words[0], room); ok {
			words = append([]string{first, rest}, words[1:]...)
		}
	}
	var b strings.Builder
	line := name + ":"
	for i, w := range words {
		if i > 0 && w != "" && len(line)+1+len(w) > foldWidth {
			if err := endLine(&b, name, line); err != nil {
				return "", err
			}
			line = ""
		}
		line += " " + w
	}
	if err := endLine(&b, name, line); err != nil {
		return "", err
	}
	return b.String(), nil
}

// endLine writes one line of a header field and its CRLF.
func endLine(b *strings.Builder, name, line string) error {
	if len(line) > maxHeaderLine {
		return fmt.Errorf("mail: header %s: a line of %d characters, over the limit of %d: the value has a word too long to fold",
			name, len(line), maxHeaderLine)
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return nil
}

// splitEncodedWord splits a UTF-8 RFC 2047 encoded word into two encoded
// words of the same charset and encoding that decode, one after the other,
// to the same text: the first as long as it can be within max characters,
// cut between two characters (RFC 2047 section 5 forbids cutting one). ok
// is false when w is not such a word or no character fits.
func splitEncodedWord(w string, max int) (first, rest string, ok bool) {
	if !strings.HasPrefix(w, "=?") || !strings.HasSuffix(w, "?=") || len(w) < 8 {
		return "", "", false
	}
	parts := strings.SplitN(w[2:len(w)-2], "?", 3)
	if len(parts) != 3 || !strings.EqualFold(parts[0], "utf-8") {
		return "", "", false
	}
	prefix := "=?" + parts[0] + "?" + parts[1] + "?"
	budget := max - len(prefix) - len("?=")
	switch parts[1] {
	case "Q", "q":
		cut := qCut(parts[2], budget)
		if cut <= 0 {
			return "", "", false
		}
		return prefix + parts[2][:cut] + "?=", prefix + parts[2][cut:] + "?=", true
	case "B", "b":
		data, good := decodeBase64Word(parts[2])
		if !good {
			return "", "", false
		}
		n := 0
		for i := 1; i < len(data); i++ {
			if data[i]&0xC0 != 0x80 && base64.StdEncoding.EncodedLen(i) <= budget {
				n = i
			}
		}
		if n == 0 {
			return "", "", false
		}
		enc := base64.StdEncoding
		return prefix + enc.EncodeToString(data[:n]) + "?=", prefix + enc.EncodeToString(data[n:]) + "?=", true
	}
	return "", "", false
}

// qCut is the longest prefix of the Q-encoded text q, within budget
// characters, that ends between two UTF-8 characters and leaves some text
// after it: 0 when there is none. A token is "=XX" or one character.
func qCut(q string, budget int) int {
	cut := 0
	for i := 0; i < len(q) && i <= budget; {
		b, n := q[i], 1
		if b == '=' && i+2 < len(q) && isHex(q[i+1]) && isHex(q[i+2]) {
			b, n = unhex(q[i+1])<<4|unhex(q[i+2]), 3
		}
		if i > 0 && b&0xC0 != 0x80 {
			cut = i
		}
		i += n
	}
	return cut
}

// addressField reports whether the field name holds addresses with
// display names (RFC 5322 section 3.6.2 and 3.6.3).
func addressField(name string) bool {
	switch strings.ToLower(name) {
	case "from", "sender", "reply-to", "to", "cc", "bcc":
		return true
	}
	return false
}
