package engine

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"
)

// Strict decodes n into v with unknown keys as errors. Every error is
// positioned; an unknown key comes with a did-you-mean when one is close.
// Use it from a custom UnmarshalYAML; plugins otherwise call Decoder.Load.
func Strict(n *yaml.Node, v any) error {
	var errs ErrorList
	checkKeys(n, reflect.TypeOf(v), &errs)
	// Unknown keys are reported above, with suggestions; decode the rest
	// so that their errors are reported too.
	if u, ok := v.(yaml.Unmarshaler); ok && len(errs) == 0 && direct(n) {
		// The value decodes itself: call it without building a decoder
		// (a plugin's UnmarshalYAML, for each send and expect of a file).
		if err := u.UnmarshalYAML(n); err != nil {
			errs = errorsFrom(err, Pos{Line: n.Line, Col: n.Column})
			errs.Sort()
			return errs
		}
		return nil
	}
	if len(errs) == 0 && decodeFlat(n, v) {
		return nil
	}
	opts := []yaml.Option{yaml.WithKnownFields()}
	if len(errs) > 0 {
		opts = nil
	}
	if err := n.Load(v, opts...); err != nil {
		errs = append(errs, errorsFrom(err, Pos{Line: n.Line, Col: n.Column})...)
	}
	if len(errs) > 0 {
		errs.Sort()
		return errs
	}
	return nil
}

// direct reports whether n can be handed to an UnmarshalYAML as it is:
// what the YAML decoder would hand it (not a null, which it skips, nor an
// alias or a document, which it resolves first).
func direct(n *yaml.Node) bool {
	switch n.Kind {
	case yaml.ScalarNode:
		return n.ShortTag() != "!!null"
	case yaml.MappingNode, yaml.SequenceNode:
		return true
	}
	return false
}

var (
	exprsType       = reflect.TypeOf(Exprs{})
	unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()
	nodeType        = reflect.TypeOf(yaml.Node{})
)

// checkKeys reports every mapping key of n that t has no field for.
func checkKeys(n *yaml.Node, t reflect.Type, errs *ErrorList) {
	if n == nil || t == nil {
		return
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	t = deref(t)
	if decodesItself(t) {
		return
	}
	switch t.Kind() {
	case reflect.Bool:
		checkBool(n, errs)
	case reflect.Struct:
		if n.Kind == yaml.MappingNode {
			checkFields(n, t, errs)
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode {
			for i := 1; i < len(n.Content); i += 2 {
				checkKeys(n.Content[i], t.Elem(), errs)
			}
		}
	case reflect.Slice, reflect.Array:
		if n.Kind == yaml.SequenceNode {
			for _, c := range n.Content {
				checkKeys(c, t.Elem(), errs)
			}
		}
	}
}

// decodesItself reports whether the YAML decoder hands values of type t
// whole to t: a yaml.Node or a yaml.Unmarshaler, which check their keys.
func decodesItself(t reflect.Type) bool {
	if d, ok := selfDecoding.Load(t); ok {
		return d.(bool)
	}
	d := t == nodeType || reflect.PointerTo(t).Implements(unmarshalerType) || t.Implements(unmarshalerType)
	selfDecoding.Store(t, d)
	return d
}

// selfDecoding remembers decodesItself by type (Implements looks through
// the method set, for every node of every file).
var selfDecoding sync.Map // reflect.Type -> bool

// checkBool refuses a bool that YAML 1.1 words and quoted strings would
// turn on, and a null.
func checkBool(n *yaml.Node, errs *ErrorList) {
	switch {
	case IsNull(n):
		*errs = append(*errs, &Error{Pos: Pos{Line: n.Line, Col: n.Column}, Msg: "expected true or false, got no value"})
	case n.Kind == yaml.ScalarNode && n.ShortTag() != "!!bool":
		*errs = append(*errs, &Error{Pos: Pos{Line: n.Line, Col: n.Column}, Msg: fmt.Sprintf("expected true or false, got a string %q", n.Value)})
	}
}

// checkFields checks the keys of the mapping n against struct t, and
// their values against the fields' types.
func checkFields(n *yaml.Node, t reflect.Type, errs *ErrorList) {
	fields := yamlFields(t)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		ft, ok := fields[k.Value]
		switch {
		case !ok:
			*errs = append(*errs, &Error{Pos: Pos{Line: k.Line, Col: k.Column}, Msg: unknownKey(k.Value, keysOf(fields))})
		case IsNull(val) && deref(ft) == templateType:
			// The decoder skips a null value, which would leave the key
			// unset: `equals:` would then match anything.
			*errs = append(*errs, &Error{Pos: Pos{Line: val.Line, Col: val.Column},
				Msg: fmt.Sprintf("%s has no value; write '' for an empty text", k.Value)})
		case IsNull(val) && (deref(ft) == exprType || deref(ft) == exprsType):
			// Likewise `assert:` or `until:` would check nothing.
			*errs = append(*errs, &Error{Pos: Pos{Line: val.Line, Col: val.Column},
				Msg: fmt.Sprintf("%s has no value: write an expression", k.Value)})
		default:
			checkKeys(val, ft, errs)
		}
	}
}

// fieldMaps remembers yamlFields by type: Strict runs for every mapping
// of every file, and a type's fields never change. Like encoding/json's
// cache of struct fields, it holds only facts about Go types, never data
// of a file.
var fieldMaps sync.Map // reflect.Type -> map[string]reflect.Type

// yamlFields maps the YAML keys of struct t, inline fields included, to
// their types. The map is shared: callers must not change it.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldMaps.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := buildYAMLFields(t)
	fieldMaps.Store(t, m)
	return m
}

func buildYAMLFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range yamlFields(ft) {
					out[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

func keysOf(m map[string]reflect.Type) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// unknownKey words the error for key, with the closest of known.
func unknownKey(key string, known []string) string {
	msg := fmt.Sprintf("unknown key %q", key)
	if s := suggest(key, known); s != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", s)
	}
	if len(known) > 0 && len(known) <= 16 {
		return msg + "; expected one of: " + strings.Join(known, ", ")
	}
	return msg
}

// suggest returns the candidate closest to s, if close enough.
func suggest(s string, candidates []string) string {
	best, bestD := "", 3
	if len(s) <= 4 {
		bestD = 2
	}
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and transpositions of two neighbours (smpt,
// smtp) each count one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// deref is t without its pointers.
func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}
