package schema

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// width is the longest line indent writes a value on, when it fits.
const width = 110

// indent writes v as JSON with sorted keys: an object or array whose
// compact form fits on its line is written there, a longer one a member a
// line. used is how much of the line is already taken.
func indent(b *bytes.Buffer, v any, depth, used int) error {
	flat, err := compact(v)
	if err != nil {
		return err
	}
	m, isMap := v.(map[string]any)
	list, isList := v.([]any)
	if depth*2+used+len(flat) <= width || len(m)+len(list) == 0 {
		b.Write(flat)
		return nil
	}
	pad := strings.Repeat("  ", depth+1)
	end := "]"
	if isMap {
		b.WriteString("{\n")
		end = "}"
		for i, k := range slices.Sorted(maps.Keys(m)) {
			key, _ := compact(k)
			b.WriteString(pad + string(key) + ": ")
			if err := indent(b, m[k], depth+1, len(key)+2); err != nil {
				return err
			}
			b.WriteString(separator(i, len(m)))
		}
	} else if isList {
		b.WriteString("[\n")
		for i, e := range list {
			b.WriteString(pad)
			if err := indent(b, e, depth+1, 0); err != nil {
				return err
			}
			b.WriteString(separator(i, len(list)))
		}
	}
	b.WriteString(strings.Repeat("  ", depth) + end)
	return nil
}

func separator(i, n int) string {
	if i < n-1 {
		return ",\n"
	}
	return "\n"
}

// compact is v as JSON on one line, with a space after each comma and
// colon between members, and <, > and & as they are.
func compact(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return spaced(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// spaced adds a space after each comma and colon of compact JSON that
// stands outside a string.
func spaced(in []byte) []byte {
	out := make([]byte, 0, len(in)+len(in)/8)
	inString, escaped := false, false
	for _, c := range in {
		out = append(out, c)
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ',' || c == ':'):
			out = append(out, ' ')
		}
	}
	return out
}
