package mail

import (
	"sort"
	"strconv"
	"strings"
)

// maxParams bounds the parameters (and RFC 2231 sections) read from one
// header value.
const maxParams = 100

// parseParams splits a Content-Type or Content-Disposition value into its
// lower-cased first token and its parameters, keyed by lower-cased name.
//
// It is deliberately more lenient than mime.ParseMediaType, which rejects
// the whole value over one bad parameter: unquoted values may hold spaces
// (filename=my file.pdf), a duplicate keeps its first value, and garbage
// between semicolons is skipped. RFC 2231 extended values (name*=charset'
// lang'pct-encoded) and continuations (name*0, name*1*, ...) are joined and
// decoded in any charset this package knows, not only UTF-8. The values of
// name and filename also get RFC 2047 encoded words decoded (what most
// mailers, go-mail included, send) and raw 8-bit bytes read in fallback.
func parseParams(v, fallback string) (string, map[string]string) {
	first, rest, _ := strings.Cut(v, ";")
	params := map[string]string{}
	sections := map[string][]paramSection{}
	count := 0
	for rest != "" && count < maxParams {
		var key, val string
		key, val, rest = nextParam(rest)
		if key == "" {
			continue
		}
		count++
		name, star, isStar := strings.Cut(key, "*")
		if !isStar {
			if _, dup := params[name]; !dup {
				params[name] = val
			}
			continue
		}
		sec := paramSection{extended: strings.HasSuffix(key, "*")}
		idx := strings.TrimSuffix(star, "*")
		if idx != "" {
			n, err := strconv.Atoi(idx)
			if err != nil || n < 0 || n >= maxParams {
				continue
			}
			sec.n = n
		}
		sec.value = val
		sections[name] = append(sections[name], sec)
	}
	for name, secs := range sections {
		if v, ok := joinSections(secs, fallback); ok {
			params[name] = v
		}
	}
	for _, name := range []string{"name", "filename"} {
		if val, ok := params[name]; ok {
			params[name] = decodeWords(looseUTF8([]byte(val), fallback))
		}
	}
	return strings.ToLower(strings.TrimSpace(first)), params
}

// paramSection is one section of an RFC 2231 parameter: name*N or
// name*N* (extended: percent-encoded, the first one with a charset).
type paramSection struct {
	n        int
	extended bool
	value    string
}

// joinSections joins the sections of one parameter in order, up to the
// first gap or duplicate, and decodes the value to UTF-8 (its charset, or
// fallback); ok is false when no section starts the value.
func joinSections(secs []paramSection, fallback string) (value string, ok bool) {
	sort.SliceStable(secs, func(i, j int) bool { return secs[i].n < secs[j].n })
	var raw []byte
	charset := ""
	for i, sec := range secs {
		if sec.n != i {
			break // a gap or a duplicate ends the value
		}
		val := sec.value
		if sec.extended {
			if i == 0 {
				cs, after, ok := cutCharsetLang(val)
				if ok {
					charset, val = cs, after
				}
			}
			raw = append(raw, percentDecode(val)...)
		} else {
			raw = append(raw, val...)
		}
	}
	if raw == nil {
		return "", false
	}
	if charset == "" {
		return looseUTF8(raw, fallback), true
	}
	return toUTF8(raw, charset), true
}

// nextParam reads one key=value from s (which starts after a ';') and
// returns the rest after the next ';'. key is empty for a piece without '='.
func nextParam(s string) (key, val, rest string) {
	s = strings.TrimLeft(s, " \t\r\n;")
	eq := strings.IndexAny(s, "=;")
	if eq < 0 || s[eq] == ';' {
		if eq < 0 {
			return "", "", ""
		}
		return "", "", s[eq+1:]
	}
	key = strings.ToLower(strings.TrimSpace(s[:eq]))
	s = strings.TrimLeft(s[eq+1:], " \t\r\n")
	if strings.HasPrefix(s, `"`) {
		var b strings.Builder
		i := 1
		for ; i < len(s) && s[i] != '"'; i++ {
			if s[i] == '\\' && i+1 < len(s) {
				i++
			}
			b.WriteByte(s[i])
		}
		val = b.String()
		s = s[min(i+1, len(s)):]
		_, rest, _ = strings.Cut(s, ";")
		return key, val, rest
	}
	val, rest, _ = strings.Cut(s, ";")
	return key, strings.TrimSpace(val), rest
}

// cutCharsetLang splits an RFC 2231 extended value charset'lang'value.
func cutCharsetLang(v string) (charset, value string, ok bool) {
	cs, after, found := strings.Cut(v, "'")
	if !found {
		return "", v, false
	}
	_, value, found = strings.Cut(after, "'")
	if !found {
		return "", v, false
	}
	return cs, value, true
}

// percentDecode decodes %XX escapes, keeping malformed ones literally.
func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}
