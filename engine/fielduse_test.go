package engine

import (
	"context"
	"strings"
	"testing"
)

// lazyPlugin serves lazy:// for the tests of FieldUser: its fetch records
// the fields it is told expressions read.
type lazyPlugin struct{}

type lazyResult struct {
	Size  int                `expr:"size" json:"size"`
	Sum   string             `expr:"sum" json:"sum,omitempty"`
	Reply struct{ Code int } `expr:"reply" json:"reply"`
}

type lazyFetch struct {
	Returns[lazyResult]
	path Template
	told *FieldSet
}

func (a *lazyFetch) UseFields(f FieldSet) { a.told = &f }

func (a *lazyFetch) Do(context.Context, *Session) (any, error) { return lazyResult{}, nil }

type lazyConnect struct{ Returns[lazyResult] }

func (lazyConnect) Do(context.Context, *Session) (any, error) { return lazyResult{}, nil }

func (lazyPlugin) Schemes() []string { return []string{"lazy"} }

func (lazyPlugin) Verbs() VerbTable {
	return VerbTable{Takes: []Verb{
		{Name: "connect", Decode: func(d *Decoder) (TypedAction, error) { return lazyConnect{}, nil }},
		{Name: "fetch", Decode: func(d *Decoder) (TypedAction, error) {
			a := &lazyFetch{}
			return a, d.Load(d.Value, &a.path)
		}},
	}}
}

// TestUseFields loads files and checks what each fetch was told of the
// field sum (and size) of its result.
func TestUseFields(t *testing.T) {
	const dl = "- fetch: a\n  id: dl\n"
	for _, tt := range []struct {
		name, steps string
		sum, size   bool
	}{
		{"not read", dl + "  assert: result.size == 1\n", false, true},
		{"nothing read", dl, false, false},
		{"assert", dl + "  assert: result.sum != ''\n", true, false},
		{"index", dl + "  assert: result['sum'] != ''\n", true, false},
		{"optional", dl + "  assert: result?.sum != ''\n", true, false},
		{"nested field", dl + "  assert: result.reply.Code == 226\n", false, false},
		{"retry", dl + "  retry: { until: result.sum != '' }\n", true, false},
		{"save field", dl + "  save: { s: result.sum }\n", true, false},
		{"save whole", dl + "  save: { r: result }\n", true, true},
		{"function", dl + "  assert: toJSON(result) != ''\n", true, true},
		{"let", dl + "  assert: let r = result; r.size > 0\n", true, true},
		{"compared", dl + "  assert: result != nil\n", true, true},
		{"later step", dl + "- assert: steps.dl.sum == 'x'\n", true, false},
		{"later index", dl + "- assert: steps['dl'].sum == 'x'\n", true, false},
		{"later size", dl + "- assert: steps.dl.size == 1\n", false, true},
		{"later whole", dl + "- assert: toJSON(steps.dl) != ''\n", true, true},
		{"steps whole", dl + "- assert: toJSON(steps) != ''\n", true, true},
		{"env", dl + "- assert: $env != nil\n", true, true},
		{"template", dl + "- fetch: '{{ steps.dl.sum }}'\n", true, false},
		{"step name", dl + "- assert: true\n  name: 'got {{ steps.dl.sum }}'\n", true, false},
		{"if", dl + "- assert: true\n  if: steps.dl.sum != ''\n", true, false},
		{"finally", dl, false, false},
		{"other step's result", dl + "- fetch: b\n  assert: result.sum != ''\n", false, false},
		{"other id", dl + "- fetch: b\n  id: other\n- assert: steps.other.sum != ''\n", false, false},
		{"metric", dl + "metrics:\n- { name: s, value: 'len(steps.dl.sum)' }\n", true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			steps, rest, _ := strings.Cut(tt.steps, "metrics:")
			if rest != "" {
				rest = "metrics:" + rest
			}
			if tt.name == "finally" {
				rest = "finally:\n- assert: steps.dl.size > 0\n"
				tt.size = true
			}
			src := "name: t\nsteps:\n- connect: lazy://x\n" + steps + rest
			reg, err := NewRegistry(lazyPlugin{})
			if err != nil {
				t.Fatal(err)
			}
			sc, err := LoadBytes("t.yaml", []byte(src), reg, LoadOptions{})
			if err != nil {
				t.Fatalf("load: %v\n%s", err, src)
			}
			a := sc.Steps[1].Action.(*lazyFetch)
			if a.told == nil {
				t.Fatal("UseFields was not called")
			}
			if got := a.told.Has("sum"); got != tt.sum {
				t.Errorf("sum read: %v, want %v\n%s", got, tt.sum, src)
			}
			if got := a.told.Has("size"); got != tt.size {
				t.Errorf("size read: %v, want %v\n%s", got, tt.size, src)
			}
		})
	}
}

// TestUseFieldsBranches: a fetch in a parallel branch is told about its
// own step's expressions, and a file without FieldUser records nothing.
func TestUseFieldsBranches(t *testing.T) {
	src := `name: t
steps:
- parallel:
    count: 2
    steps:
    - connect: lazy://x
    - fetch: a
      assert: result.sum != ''
    - fetch: b
      assert: result.size > 0
`
	reg, err := NewRegistry(lazyPlugin{})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := LoadBytes("t.yaml", []byte(src), reg, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	steps := sc.Steps[0].Action.(*parallelAction).branches[0].steps
	a, b := steps[1].Action.(*lazyFetch), steps[2].Action.(*lazyFetch)
	if !a.told.Has("sum") || b.told.Has("sum") || !b.told.Has("size") {
		t.Errorf("told a %+v, b %+v", *a.told, *b.told)
	}
}
