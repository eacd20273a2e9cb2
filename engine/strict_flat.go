package engine

import (
	"reflect"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"
)

// flatStruct is how Strict decodes a struct whose every YAML field is a
// bool or a value that decodes itself (a Template, an Expr): key by key,
// without the YAML decoder, which builds a decoder and walks the type by
// reflection for each mapping (a payload or an expect: two a round trip).
type flatStruct struct {
	fields map[string]flatField // nil: not flat
}

type flatField struct {
	index  int
	isBool bool
}

// flatStructs remembers flatStruct by type; like fieldMaps, it holds only
// facts about Go types.
var flatStructs sync.Map // reflect.Type -> *flatStruct

func flatOf(t reflect.Type) *flatStruct {
	if f, ok := flatStructs.Load(t); ok {
		return f.(*flatStruct)
	}
	f := &flatStruct{fields: buildFlat(t)}
	flatStructs.Store(t, f)
	return f
}

// buildFlat maps the keys of struct t to its fields, or returns nil when
// a field is of another kind, inline, or there are more than 64.
func buildFlat(t reflect.Type) map[string]flatField {
	if t.NumField() > 64 {
		return nil
	}
	out := map[string]flatField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case name == "-":
			continue
		case opts != "" || name == "":
			return nil
		case f.Type.Kind() == reflect.Bool:
			out[name] = flatField{index: i, isBool: true}
		case f.Type.Kind() != reflect.Pointer && reflect.PointerTo(f.Type).Implements(unmarshalerType):
			out[name] = flatField{index: i}
		default:
			return nil
		}
	}
	return out
}

// decodeFlat decodes the mapping n into the struct v points to, as the
// YAML decoder would, when the struct is flat, every value is a plain
// scalar, mapping or list under a key given once, and every value decodes
// without an error. ok is false when it cannot: the YAML decoder is then
// left to decode n and to word every error, as it always has. Nothing is
// changed then, but when a value refuses itself: the values before it are
// set already, as the decoder sets them again.
func decodeFlat(n *yaml.Node, v any) (ok bool) {
	rv := reflect.ValueOf(v)
	if n.Kind != yaml.MappingNode || n.ShortTag() != "!!map" || rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return false
	}
	fs := flatOf(rv.Elem().Type())
	if fs.fields == nil {
		return false
	}
	var seen uint64
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		f, known := fs.fields[k.Value]
		if !known || k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" || seen&(1<<f.index) != 0 || !direct(val) {
			return false
		}
		seen |= 1 << f.index
		if f.isBool {
			if _, plain := flatBool(val); !plain {
				return false
			}
		}
	}
	s := rv.Elem()
	for i := 0; i+1 < len(n.Content); i += 2 {
		f, val := fs.fields[n.Content[i].Value], n.Content[i+1]
		fv := s.Field(f.index)
		if f.isBool {
			b, _ := flatBool(val)
			fv.SetBool(b)
			continue
		}
		if err := fv.Addr().Interface().(yaml.Unmarshaler).UnmarshalYAML(val); err != nil {
			return false
		}
	}
	return true
}

// flatBool returns the value of a bool scalar written as the YAML decoder
// surely takes it (true, True, TRUE, false, False, FALSE, tagged !!bool),
// and false for anything else, which is left to the decoder: "1", "yes"
// or "t" under !!bool, say, which it words its own way.
func flatBool(n *yaml.Node) (value, ok bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		return false, false
	}
	switch n.Value {
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	}
	return false, false
}
