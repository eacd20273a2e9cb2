// Package schematest checks a schema fragment (see package schema) against
// the Go structs its YAML is decoded into, by reflection, so that an
// option added to a struct without the schema, or to the schema without
// the struct, fails the owning package's tests.
package schematest

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Fragment is a decoded fragment under test. Every definition of it that
// has properties must be checked (Definition, Within) or Exempt by the end
// of the test.
type Fragment struct {
	t       testing.TB
	raw     map[string]any
	doc     fragment
	checked map[string]bool
}

type fragment struct {
	Definitions map[string]map[string]any `json:"definitions"`
	Actions     map[string]struct {
		Schemes map[string][]string `json:"schemes"`
	} `json:"actions"`
}

// New decodes frag; at the end of the test it reports the definitions
// with properties that were neither checked nor exempted.
func New(t testing.TB, frag []byte) *Fragment {
	t.Helper()
	f := &Fragment{t: t, checked: map[string]bool{}}
	if err := json.Unmarshal(frag, &f.doc); err != nil {
		t.Fatalf("schema fragment: %v", err)
	}
	if err := json.Unmarshal(frag, &f.raw); err != nil {
		t.Fatalf("schema fragment: %v", err)
	}
	t.Cleanup(func() {
		for _, name := range slices.Sorted(maps.Keys(f.doc.Definitions)) {
			if len(properties(f.doc.Definitions[name])) > 0 && !f.checked[name] {
				t.Errorf("schema definition %s is checked against no Go struct: add a schematest check or Exempt it", name)
			}
		}
	})
	return f
}

// Definition checks that definition def takes exactly the YAML keys of
// the structs types (united): its properties, and those of the object
// shapes of its anyOf and oneOf.
func (f *Fragment) Definition(def string, types ...any) {
	f.t.Helper()
	f.compare(def, types, false)
}

// Within checks that every key of definition def is a YAML key of one of
// types, for a form that takes only some of a struct's keys.
func (f *Fragment) Within(def string, types ...any) {
	f.t.Helper()
	f.compare(def, types, true)
}

// Exempt marks definitions that no struct stands for (why says what they
// are checked by instead).
func (f *Fragment) Exempt(why string, defs ...string) {
	for _, d := range defs {
		f.checked[d] = true
	}
}

func (f *Fragment) compare(def string, types []any, subset bool) {
	f.t.Helper()
	d, ok := f.doc.Definitions[def]
	if !ok {
		f.t.Errorf("schema fragment has no definition %s", def)
		return
	}
	f.checked[def] = true
	f.report("definition "+def, properties(d), keysOf(f.t, types), subset, types)
}

// At checks the schema at a path of the fragment, such as top or
// top/properties/metrics/items, as Definition does.
func (f *Fragment) At(path string, types ...any) {
	f.t.Helper()
	var v any = f.raw
	for _, p := range strings.Split(path, "/") {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	s, ok := v.(map[string]any)
	if !ok {
		f.t.Errorf("schema fragment has no schema at %s", path)
		return
	}
	f.report(path, properties(s), keysOf(f.t, types), false, types)
}

// Options checks that the options that verb's (connect, listen) schemes
// take, all schemes together, are exactly the YAML keys of types. Options
// the engine takes for every step are not in the fragment.
func (f *Fragment) Options(verb string, types ...any) {
	f.t.Helper()
	part, ok := f.doc.Actions[verb]
	if !ok {
		f.t.Errorf("schema fragment has no %s", verb)
		return
	}
	var got []string
	for _, opts := range part.Schemes {
		got = append(got, opts...)
	}
	f.report(verb+" options", got, keysOf(f.t, types), false, types)
}

func (f *Fragment) report(what string, got, want []string, subset bool, types []any) {
	f.t.Helper()
	got, want = sorted(got), sorted(want)
	var extra []string
	for _, k := range got {
		if !slices.Contains(want, k) {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 || (!subset && !slices.Equal(got, want)) {
		names := make([]string, len(types))
		for i, v := range types {
			names[i] = reflect.TypeOf(v).String()
		}
		f.t.Errorf("schema %s has keys %s\nthe structs %s take %s", what,
			strings.Join(got, " "), strings.Join(names, ", "), strings.Join(want, " "))
	}
}

// properties lists the keys of a definition's properties and of those of
// its anyOf and oneOf members.
func properties(def map[string]any) []string {
	var out []string
	add := func(s any) {
		m, _ := s.(map[string]any)
		props, _ := m["properties"].(map[string]any)
		for k := range props {
			out = append(out, k)
		}
	}
	add(def)
	for _, key := range []string{"anyOf", "oneOf"} {
		list, _ := def[key].([]any)
		for _, s := range list {
			add(s)
		}
	}
	return out
}

func keysOf(t testing.TB, types []any) []string {
	t.Helper()
	var out []string
	for _, v := range types {
		out = append(out, YAMLKeys(t, reflect.TypeOf(v))...)
	}
	return out
}

// YAMLKeys returns the YAML keys of struct type typ (or a pointer to one):
// the names of its yaml tags, and those of structs embedded with
// ",inline". An exported field without a yaml tag is an error.
func YAMLKeys(t testing.TB, typ reflect.Type) []string {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct {
		t.Fatalf("%s is not a struct", typ)
	}
	var keys []string
	for i := range typ.NumField() {
		field := typ.Field(i)
		key, opts, _ := strings.Cut(field.Tag.Get("yaml"), ",")
		switch {
		case opts == "inline":
			keys = append(keys, YAMLKeys(t, field.Type)...)
		case key == "-":
		case key != "":
			keys = append(keys, key)
		case field.IsExported():
			t.Errorf("%s.%s has no yaml tag", typ, field.Name)
		}
	}
	return keys
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}
