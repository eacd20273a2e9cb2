package engine_test

import (
	"testing"

	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

func TestMapKeyAndValue(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Load([]byte("a: 1\nb: { c: 2 }\nlist: [a, x, b, y]\n"), &doc); err != nil {
		t.Fatal(err)
	}
	m := doc.Content[0]
	if k := engine.MapKey(m, "b"); k == nil || k.Value != "b" || k.Line != 2 || k.Column != 1 {
		t.Errorf("MapKey(b) = %+v", k)
	}
	if v := engine.MapValue(engine.MapValue(m, "b"), "c"); v == nil || v.Value != "2" {
		t.Errorf("MapValue(b.c) = %+v", v)
	}
	for name, n := range map[string]*yaml.Node{
		"missing key":  engine.MapValue(m, "z"),
		"nil mapping":  engine.MapKey(nil, "a"),
		"a sequence":   engine.MapValue(engine.MapValue(m, "list"), "a"),
		"a scalar":     engine.MapKey(engine.MapValue(m, "a"), "1"),
		"the document": engine.MapValue(&doc, "a"),
	} {
		if n != nil {
			t.Errorf("%s: got %+v, want nil", name, n)
		}
	}
}
