package wire

import (
	"context"
	"testing"

	"github.com/netrunhq/netrun/engine"
)

// decodePlugin serves wt:// with connect and expect, keeping what
// DecodeExpect returned.
type decodePlugin struct{ got *[]Expect }

func (decodePlugin) Schemes() []string { return []string{"wt"} }

func (p decodePlugin) Verbs() engine.VerbTable {
	return engine.VerbTable{Takes: []engine.Verb{
		{Name: "connect", Decode: func(*engine.Decoder) (engine.TypedAction, error) { return noAction{}, nil }},
		{Name: "expect", Decode: func(d *engine.Decoder) (engine.TypedAction, error) {
			e, err := DecodeExpect(d)
			*p.got = append(*p.got, e)
			return noAction{}, err
		}},
	}}
}

// noAction does nothing.
type noAction struct{ engine.Returns[ExpectResult] }

func (noAction) Do(context.Context, *engine.Session) (any, error) { return nil, nil }

// DecodeExpect drops the YAML nodes of every expect, and builds the
// Matcher of a literal one once, whichever plugin calls it.
func TestDecodeExpectLoaded(t *testing.T) {
	var got []Expect
	reg, err := engine.NewRegistry(decodePlugin{got: &got})
	if err != nil {
		t.Fatal(err)
	}
	_, err = engine.LoadBytes("t.yaml", []byte(`name: t
steps:
  - connect: wt://x
  - expect: { line: true, equals: ok }
  - expect: "{{ 1 }}"
`), reg, engine.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d expects decoded", len(got))
	}
	for i, e := range got {
		if e.node != nil || e.keys != nil || (e.fixed != nil) != (i == 0) {
			t.Errorf("expect %d: node %v, keys %v, fixed %v", i, e.node != nil, e.keys != nil, e.fixed != nil)
		}
	}
}
