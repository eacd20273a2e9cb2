package mail

import (
	"io"
	"mime"
	netmail "net/mail"
	"strings"
)

// wordDecoder returns a mime.WordDecoder that converts every charset this
// package knows and never fails on one it does not (best-effort UTF-8). A
// new value per use: nothing is shared between messages.
func wordDecoder() *mime.WordDecoder {
	return &mime.WordDecoder{CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
		b, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		return strings.NewReader(toUTF8(b, charset)), nil
	}}
}

// parseAddressList reads an address header (already valid UTF-8) into
// display strings: "Name <addr>", or "addr" when there is no name. It uses
// net/mail, and when that rejects the value (unbalanced quotes, bare
// non-addresses, which happen in the wild) splits it leniently instead,
// so an address header never makes the message unreadable.
func parseAddressList(v string) []string {
	out := []string{}
	v = strings.TrimSpace(v)
	if v == "" {
		return out
	}
	p := netmail.AddressParser{WordDecoder: wordDecoder()}
	if list, err := p.ParseList(v); err == nil {
		for _, a := range list {
			out = append(out, formatAddress(a.Name, a.Address))
		}
		return out
	}
	for _, piece := range splitAddresses(v) {
		name, addr := splitAddress(piece)
		if name != "" || addr != "" {
			out = append(out, formatAddress(name, addr))
		}
	}
	return out
}

// formatAddress renders a parsed address. The name is decoded (quoted
// encoded words, which net/mail leaves alone, too) and is quoted only when
// it holds a character that would make "Name <addr>" ambiguous.
func formatAddress(name, addr string) string {
	// net/mail decodes utf-8 and iso-8859-1 words itself, without checking
	// the bytes: =?utf-8?q?=FF?= would give invalid UTF-8.
	name = strings.TrimSpace(validUTF8([]byte(decodeWords(name))))
	if name == "" || name == addr {
		return addr
	}
	if strings.ContainsAny(name, `,;<>@:"()[]\`) {
		name = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`
	}
	if addr == "" {
		return name
	}
	return name + " <" + addr + ">"
}

// splitAddresses splits a list at the commas outside quotes, angle brackets
// and comments. A quote left open ignores quotes altogether.
func splitAddresses(v string) []string {
	out, balanced := splitAddressesQuoted(v, true)
	if !balanced {
		out, _ = splitAddressesQuoted(v, false)
	}
	return out
}

// splitAddressesQuoted is splitAddresses, honouring double quotes or not.
// It reports whether the quotes were balanced.
func splitAddressesQuoted(v string, quotes bool) ([]string, bool) {
	var out []string
	depth, inQuote, inAngle, start := 0, false, false, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '\\' && (inQuote || depth > 0):
			i++
		case c == '"' && depth == 0 && quotes:
			inQuote = !inQuote
		case inQuote:
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth > 0:
		case c == '<':
			inAngle = true
		case c == '>':
			inAngle = false
		case (c == ',' || c == ';') && !inAngle:
			out = append(out, v[start:i])
			start = i + 1
		}
	}
	return append(out, v[start:]), !inQuote
}

// splitAddress reads one address leniently: "name <addr>", "<addr>",
// "addr (name)" or a bare word.
func splitAddress(s string) (name, addr string) {
	s = strings.TrimSpace(s)
	if _, after, ok := strings.Cut(s, ":"); ok && !strings.ContainsAny(s[:len(s)-len(after)], `<"@`) {
		s = strings.TrimSpace(after) // a group's display name
	}
	if lt := strings.LastIndexByte(s, '<'); lt >= 0 {
		addr = s[lt+1:]
		addr, _, _ = strings.Cut(addr, ">")
		return unquote(s[:lt]), strings.TrimSpace(addr)
	}
	if open := strings.IndexByte(s, '('); open >= 0 {
		name = strings.TrimSuffix(s[open+1:], ")")
		return unquote(name), strings.TrimSpace(s[:open])
	}
	return "", s
}

// unquote trims a display name and removes its quotes and escapes.
func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
		s = strings.NewReplacer(`\\`, `\`, `\"`, `"`).Replace(s)
	}
	return strings.TrimSpace(s)
}
