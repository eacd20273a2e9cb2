package engine

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v4"
)

// MapKey returns the key node of key in the mapping m, or nil when m is
// nil, is not a mapping, or has no such key. Errors about a key itself,
// such as one that does not go with another, are placed at it.
func MapKey(m *yaml.Node, key string) *yaml.Node {
	if i := mapIndex(m, key); i >= 0 {
		return m.Content[i]
	}
	return nil
}

// MapValue returns the value node of key in the mapping m, or nil when m
// is nil, is not a mapping, or has no such key.
func MapValue(m *yaml.Node, key string) *yaml.Node {
	if i := mapIndex(m, key); i >= 0 {
		return m.Content[i+1]
	}
	return nil
}

// mapIndex returns the index in m.Content of the key node of key, or -1.
func mapIndex(m *yaml.Node, key string) int {
	if m == nil || m.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// IsNull reports whether n holds no value: an absent node (nil, or the
// zero Node of a key that was not there), or a null scalar (`key:`,
// `key: ~`, `key: null`, `key: !!null ...`). A quoted empty text,
// `key: ""`, is a string, not null. Plugins call it before Load: the
// YAML decoder does not hand a null to UnmarshalYAML, so a value such as
// `send:` would otherwise decode to nothing without an error.
func IsNull(n *yaml.Node) bool {
	if n == nil || n.Kind == 0 {
		return true
	}
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// ErrorAt returns a load error positioned at n (line and column; the
// loader adds the file name); a nil n gives an error without a line.
// Use it where no Decoder is at hand, such as in an
// UnmarshalYAML; with one, d.Errorf does the same with the file.
func ErrorAt(n *yaml.Node, format string, args ...any) *Error {
	e := &Error{Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Pos = Pos{Line: n.Line, Col: n.Column}
	}
	return e
}

// OneOf describes keys of which a mapping takes exactly one (or at most
// one, when Optional), such as the forms of a payload: line, hex, base64
// or file. Its Check replaces counting keys by hand:
//
//	forms := engine.OneOf{What: "send", Keys: []string{"line", "hex", "base64", "file"}}
//	key, err := forms.Check(m)
//
// Two of the keys are the error "send has both line and hex: use one of
// line, hex, base64 or file" at the second of them (in the order of Keys);
// none is "send needs one of line, hex, base64 or file".
type OneOf struct {
	// What names the value in the default messages: "send".
	What string
	// Keys are the keys, in the order the messages list them.
	Keys []string
	// Optional accepts none of the keys.
	Optional bool
	// Both, when set, words the error for two keys a and b instead of
	// "WHAT has both A and B: use one of LIST".
	Both func(a, b string) string
	// None, when set, words the error for none of the keys instead of
	// "WHAT needs one of LIST".
	None string
	// Usage, when set, is the one error for none and for two of the keys,
	// placed at the mapping rather than at a key: "imap send takes one of
	// { append }, { create } ...".
	Usage string
}

// Check returns the one key of Keys that m has ("" when it has none and
// o is Optional), or the positioned error of a clash or of a missing key.
// An m that is not a mapping has none of the keys.
func (o OneOf) Check(m *yaml.Node) (string, error) {
	var first string
	for _, k := range o.Keys {
		key := MapKey(m, k)
		if key == nil {
			continue
		}
		if first == "" {
			first = k
			continue
		}
		switch {
		case o.Usage != "":
			return first, ErrorAt(m, "%s", o.Usage)
		case o.Both != nil:
			return first, ErrorAt(key, "%s", o.Both(first, k))
		}
		return first, ErrorAt(key, "%s has both %s and %s: use one of %s", o.What, first, k, o.List())
	}
	switch {
	case first != "" || o.Optional:
		return first, nil
	case o.Usage != "":
		return "", ErrorAt(m, "%s", o.Usage)
	case o.None != "":
		return "", ErrorAt(m, "%s", o.None)
	}
	return "", ErrorAt(m, "%s needs one of %s", o.What, o.List())
}

// Conflicts returns the errors of the keys of others that m has beside
// key, one at each, worded by msg(other), in the order of others; nil when
// m has no key or none of others. It is for a key whose form takes none
// of some keys, such as nntp fetch's overview, which names its group
// inside and so takes neither group, article nor max_size; OneOf is for
// keys of which exactly one is given.
func Conflicts(m *yaml.Node, key string, others []string, msg func(other string) string) error {
	if MapKey(m, key) == nil {
		return nil
	}
	var errs ErrorList
	for _, k := range others {
		if n := MapKey(m, k); n != nil {
			errs = append(errs, ErrorAt(n, "%s", msg(k)))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// List renders Keys for a message: "line, hex, base64 or file".
func (o OneOf) List() string { return JoinWords(o.Keys, "or") }

// JoinWords renders words as a list for a message, the last after word:
// JoinWords([a b c], "and") is "a, b and c".
func JoinWords(words []string, word string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + word + " " + words[len(words)-1]
}
