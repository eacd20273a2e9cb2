package engine

import (
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
		ok, err := decodeFlat(n, &got)
		if ok != tc.flat {
			t.Errorf("%s: flat %v, want %v", tc.src, ok, tc.flat)
		}
		if !ok {
			if got != (flatProbe{}) {
				t.Errorf("%s: changed without decoding: %+v", tc.src, got)
			}
			continue
		}
		if werr := n.Load(&want); (err != nil) != (werr != nil) {
			t.Errorf("%s: error %v, decoder's %v", tc.src, err, werr)
		}
		if got.On != want.On || got.Text.Source() != want.Text.Source() || got.Text.Pos() != want.Text.Pos() ||
			got.Re.Source() != want.Re.Source() || got.Text.IsSet() != want.Text.IsSet() || got.Re.IsSet() != want.Re.IsSet() {
			t.Errorf("%s: %+v, decoder %+v", tc.src, got, want)
		}
	}
	var s struct {
		Name string `yaml:"name"`
	}
	if ok, _ := decodeFlat(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, &s); ok {
		t.Error("a struct with a string field is not flat")
	}
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
