package engine

import (
	"fmt"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v4"
)

type flatProbe struct {
	On   bool     `yaml:"on"`
	Text Template `yaml:"text"`
	Re   Template `yaml:"re"`
}

// decodeFlat gives what the YAML decoder gives, and leaves alone what it
// cannot decode as the YAML decoder would.
func TestDecodeFlatAsTheDecoder(t *testing.T) {
	for _, tc := range []struct {
		src  string
		flat bool
	}{
		{`{ on: true, text: hello, re: '^a' }`, true},
		{`{ text: "{{ x }}" }`, true},
		{`{ on: False }`, true},
		{`{}`, true},
		{`{ text: a, text: b }`, false},
		{`{ on: yes }`, false},
		{`{ on: "true" }`, false},
		{`{ on: {} }`, false},
		{`{ text: ~ }`, false},
		{`{ nope: 1 }`, false},
		{`!!map { text: a }`, true},
		{"a: &x 1\nb: { text: *x }", false},
		{`{ on: !!bool 1 }`, false},
		{`{ on: !!bool t }`, false},
		{`{ on: !!bool F }`, false},
		{`{ on: !!bool TRUE }`, true},
		{`{ text: [a], re: {b: 1} }`, false},
	} {
		var doc yaml.Node
		if err := yaml.Load([]byte(tc.src), &doc); err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		n := doc.Content[0]
		if n.Kind == yaml.MappingNode && len(n.Content) == 4 && n.Content[0].Value == "a" {
			n = n.Content[3]
		}
		var got, want flatProbe
		ok := decodeFlat(n, &got)
		if ok != tc.flat {
			t.Errorf("%s: flat %v, want %v", tc.src, ok, tc.flat)
		}
		if !ok {
			if got != (flatProbe{}) {
				t.Errorf("%s: changed without decoding: %+v", tc.src, got)
			}
			continue
		}
		if werr := n.Load(&want); werr != nil {
			t.Errorf("%s: decoded flat, but the decoder says %v", tc.src, werr)
		}
		if got.On != want.On || got.Text.Source() != want.Text.Source() || got.Text.Pos() != want.Text.Pos() ||
			got.Re.Source() != want.Re.Source() || got.Text.IsSet() != want.Text.IsSet() || got.Re.IsSet() != want.Re.IsSet() {
			t.Errorf("%s: %+v, decoder %+v", tc.src, got, want)
		}
	}
	var s struct {
		Name string `yaml:"name"`
	}
	if ok := decodeFlat(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, &s); ok {
		t.Error("a struct with a string field is not flat")
	}
}

// Strict words every error of a flat struct as the YAML decoder does, to
// the letter and column, and reports them all.
func TestStrictFlatErrorsAsTheDecoder(t *testing.T) {
	for _, src := range []string{
		`{ on: !!bool 1, text: a }`,
		`{ on: !!bool t }`,
		`{ on: !!bool f }`,
		`{ on: !!bool T }`,
		`{ on: !!bool yes }`,
		`{ on: !!bool "true" }`,
		`{ on: true, text: [a], re: {b: 1} }`,
		`{ text: [a], re: [b] }`,
		`{ on: 1, text: {} }`,
		`{ on: TRUE, text: a }`,
	} {
		var doc yaml.Node
		if err := yaml.Load([]byte(src), &doc); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		n := doc.Content[0]
		var got, want flatProbe
		gerr := Strict(n, &got)
		werr := strictByDecoder(n, &want)
		if fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Errorf("%s:\n got %v\nwant %v", src, gerr, werr)
		}
		if got.On != want.On || got.Text.Source() != want.Text.Source() || got.Re.Source() != want.Re.Source() {
			t.Errorf("%s: %+v, decoder %+v", src, got, want)
		}
	}
}

// strictByDecoder is Strict without decodeFlat: the YAML decoder's words.
func strictByDecoder(n *yaml.Node, v any) error {
	var errs ErrorList
	checkKeys(n, reflect.TypeOf(v), &errs)
	opts := []yaml.Option{yaml.WithKnownFields()}
	if len(errs) > 0 {
		opts = nil
	}
	if err := n.Load(v, opts...); err != nil {
		errs = append(errs, errorsFrom(err, Pos{Line: n.Line, Col: n.Column})...)
	}
	if len(errs) == 0 {
		return nil
	}
	errs.Sort()
	return errs
}

func TestMayHold(t *testing.T) {
	type node struct {
		Kids []*node
		Name string
	}
	type holder struct {
		Kids []*holder
		T    *Template
	}
	for _, tc := range []struct {
		v    any
		want bool
	}{
		{node{}, false}, {holder{}, true}, {map[string][]Expr{}, true}, {struct{ A any }{}, true},
		{struct{ N int }{}, false}, {Value{}, true},
	} {
		if got := mayHold(reflect.TypeOf(tc.v), map[reflect.Type]bool{}); got != tc.want {
			t.Errorf("%T: %v", tc.v, got)
		}
	}
}
