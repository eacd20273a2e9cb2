package engine

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// tablePlugin serves table:// with a verb table: connect, and send, whose
// result type depends on its form (text: tableText, count: fakeResult)
// and whose value may hold an Expr checked against that type.
type tablePlugin struct{}

func (tablePlugin) Schemes() []string { return []string{"table"} }

var _ VerbPlugin = tablePlugin{}

func (tablePlugin) Verbs() VerbTable {
	return VerbTable{
		Takes: []Verb{
			{Name: "connect", Decode: func(d *Decoder) (TypedAction, error) {
				a := &tableConnect{}
				return a, d.Load(d.Value, &a.url)
			}},
			{Name: "send", Help: "(text or count)", Decode: decodeTableSend},
		},
		Refuse: func(d *Decoder) error {
			if d.Verb == "accept" {
				return d.Errorf(d.Value, "table has no accept: it is a table")
			}
			return nil
		},
	}
}

type tableConnect struct {
	Returns[fakeResult]
	url Template
}

func (a *tableConnect) Do(ctx context.Context, s *Session) (any, error) {
	s.Open(ctx, &fakeConn{})
	return fakeResult{}, nil
}

type tableText struct {
	Text string `expr:"text" json:"text"`
}

type tableSendSpec struct {
	Text  Template `yaml:"text"`
	Count Template `yaml:"count"`
	Check Expr     `yaml:"check" netrun:"bool"`
	// Checks are Exprs inside a map, which the compiler walks as copies.
	Checks map[string]Expr `yaml:"checks" netrun:"bool"`
}

type tableSend struct{ spec tableSendSpec }

func (a *tableSend) Result() any {
	if a.spec.Count.IsSet() {
		return fakeResult{}
	}
	return tableText{}
}

func (a *tableSend) Do(context.Context, *Session) (any, error) { return a.Result(), nil }

var tableForms = OneOf{What: "send", Keys: []string{"text", "count"}}

// lastTableSend is the last send decodeTableSend compiled.
var lastTableSend *tableSend

func decodeTableSend(d *Decoder) (TypedAction, error) {
	a := &tableSend{}
	lastTableSend = a
	if err := d.Load(d.Value, &a.spec); err != nil {
		return a, err
	}
	if _, err := tableForms.Check(d.Value); err != nil {
		return a, err
	}
	return a, nil
}

func loadTable(t *testing.T, steps string) error {
	t.Helper()
	reg, err := NewRegistry(tablePlugin{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = LoadBytes("t.yaml", []byte("name: t\nsteps:\n- connect: table://x\n"+steps), reg, LoadOptions{})
	return err
}

func TestVerbTable(t *testing.T) {
	for _, tt := range []struct{ steps, want string }{
		{"- send: { text: hi }\n  assert: result.text == 'hi'\n", ""},
		{"- send: { count: '1' }\n  assert: result.count == 1\n", ""},
		// The result type comes from the decoded form: text has no count.
		{"- send: { text: hi }\n  assert: result.count == 1\n", `t.yaml:5:18: unknown field "count" of result; its fields: text`},
		// An Expr inside the value is compiled against it too.
		{"- send: { count: '1', check: result.count > 0 }\n", ""},
		{"- send: { text: hi, check: result.count > 0 }\n", `t.yaml:4:35: unknown field "count" of result; its fields: text`},
		// A failed decode that still returns its action types the asserts.
		{"- send: { text: hi, count: '2' }\n  assert: result.nope\n", "t.yaml:4:21: send has both text and count: use one of text or count\n" +
			`t.yaml:5:18: unknown field "nope" of result; its fields: data, count`},
		{"- send: {}\n", "t.yaml:4:9: send needs one of text or count"},
		{"- expect: x\n", "t.yaml:4:11: table has no expect action: it takes connect and send (text or count)"},
		{"- accept: true\n", "t.yaml:4:11: table has no accept: it is a table"},
	} {
		err := loadTable(t, tt.steps)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want { // the whole list: no error more, none less
			t.Errorf("%q:\n got %s\nwant %s", tt.steps, got, tt.want)
		}
	}
}

// TestDeferredExprInMap checks that an Expr in a map of the action's value
// is compiled against the result type and stored back in the map.
func TestDeferredExprInMap(t *testing.T) {
	if err := loadTable(t, "- send: { count: '1', checks: { a: result.count > 0 } }\n"); err != nil {
		t.Fatal(err)
	}
	if e := lastTableSend.spec.Checks["a"]; e.prog == nil || e.env == nil || e.env.rt != reflect.TypeOf(fakeResult{}) {
		t.Errorf("the Expr in the map was not compiled against fakeResult: %+v", e)
	}
	err := loadTable(t, "- send: { text: hi, checks: { a: result.count > 0 } }\n")
	if err == nil || !strings.Contains(err.Error(), `t.yaml:4:41: unknown field "count" of result`) {
		t.Errorf("got %v", err)
	}
}

func node(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Load([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

func TestIsNull(t *testing.T) {
	for src, want := range map[string]bool{
		"v:":                           true,
		"v: ~":                         true,
		"v: null":                      true,
		"v: Null":                      true,
		"v: !!null":                    true,
		"v: !<tag:yaml.org,2002:null>": true,
		"v: ''":                        false,
		"v: 'null'":                    false,
		"v: 0":                         false,
		"v: false":                     false,
		"v: {}":                        false,
		"v: []":                        false,
	} {
		if got := IsNull(MapValue(node(t, src), "v")); got != want {
			t.Errorf("IsNull(%s) = %v, want %v", src, got, want)
		}
	}
	// An absent value is no value: MapValue of a missing key, or a
	// yaml.Node field whose key was not there.
	if !IsNull(nil) || !IsNull(&yaml.Node{}) {
		t.Error("IsNull of an absent node = false, want true")
	}
}

func TestOneOf(t *testing.T) {
	forms := OneOf{What: "send", Keys: []string{"line", "hex", "base64", "file"}}
	for _, tt := range []struct {
		src, key, err string
	}{
		{"{ hex: ab }", "hex", ""},
		{"{ line: a, line_ending: lf }", "line", ""},
		{"{ line: a,\n  hex: ab }", "line", "2:3: send has both line and hex: use one of line, hex, base64 or file"},
		// The clash is named and placed in the order of Keys.
		{"{ file: f, base64: YQ== }", "base64", "1:3: send has both base64 and file: use one of line, hex, base64 or file"},
		{"{ line_ending: lf }", "", "1:1: send needs one of line, hex, base64 or file"},
		{"text", "", "1:1: send needs one of line, hex, base64 or file"},
	} {
		key, err := forms.Check(node(t, tt.src))
		got := ""
		if err != nil {
			got = strings.TrimPrefix(err.Error(), ":") // no file
		}
		if key != tt.key || got != tt.err {
			t.Errorf("%s: got %q, %q; want %q, %q", tt.src, key, got, tt.key, tt.err)
		}
	}
	custom := OneOf{Keys: []string{"a", "b"}, Optional: true,
		Both: func(a, b string) string { return a + " or " + b + ", not both" }}
	if key, err := custom.Check(node(t, "{ c: 1 }")); key != "" || err != nil {
		t.Errorf("optional, none: got %q, %v", key, err)
	}
	if _, err := custom.Check(node(t, "{ a: 1, b: 2 }")); err == nil || err.Error() != ":1:9: a or b, not both" {
		t.Errorf("custom both: got %v", err)
	}
	usage := OneOf{Keys: []string{"a", "b"}, Usage: "takes a or b"}
	for _, src := range []string{"{ c: 1 }", "{ a: 1, b: 2 }"} {
		if _, err := usage.Check(node(t, src)); err == nil || err.Error() != ":1:1: takes a or b" {
			t.Errorf("usage, %s: got %v", src, err)
		}
	}
	custom = OneOf{Keys: []string{"a"}, None: "give a"}
	if _, err := custom.Check(node(t, "{ c: 1 }")); err == nil || err.Error() != ":1:1: give a" {
		t.Errorf("custom none: got %v", err)
	}
}

func TestConflicts(t *testing.T) {
	msg := func(k string) string { return "overview takes no " + k }
	others := []string{"group", "article", "max_size"}
	for _, tt := range []struct{ src, err string }{
		{"{ overview: { group: g } }", ""},
		// Without the key, the others are fine together.
		{"{ group: g, article: 1, max_size: 1MiB }", ""},
		{"text", ""},
		// Each conflict is placed at its key, in the order of others.
		{"{ max_size: 1MiB,\n  overview: {},\n  group: g }", ":3:3: overview takes no group\n:1:3: overview takes no max_size"},
	} {
		got := ""
		if err := Conflicts(node(t, tt.src), "overview", others, msg); err != nil {
			got = err.Error()
		}
		if got != tt.err {
			t.Errorf("%s: got %q, want %q", tt.src, got, tt.err)
		}
	}
}

func TestErrorAt(t *testing.T) {
	n := node(t, "a: 1\nb: 2\n")
	if e := ErrorAt(MapKey(n, "b"), "b is %d", 2); e.Pos != (Pos{Line: 2, Col: 1}) || e.Msg != "b is 2" {
		t.Errorf("got %+v", e)
	}
	if e := ErrorAt(nil, "x"); e.Pos != (Pos{}) || e.Msg != "x" {
		t.Errorf("nil node: got %+v", e)
	}
}

func TestJoinWords(t *testing.T) {
	for _, tt := range []struct {
		words []string
		want  string
	}{{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a and b"}, {[]string{"a", "b", "c"}, "a, b and c"}} {
		if got := JoinWords(tt.words, "and"); got != tt.want {
			t.Errorf("JoinWords(%q) = %q, want %q", tt.words, got, tt.want)
		}
	}
}

// TestVerbSpecs checks that every verb has a spec, every spec a place in
// the order of verbs, and that a verb is compiled by the engine or by a
// plugin, whose scheme it then finds.
func TestVerbSpecs(t *testing.T) {
	if len(verbs) != len(verbSpecs) {
		t.Errorf("%d verbs, %d specs", len(verbs), len(verbSpecs))
	}
	for _, v := range verbs {
		spec, ok := verbSpecs[v]
		if !ok {
			t.Errorf("verb %s has no spec", v)
		}
		if (spec.compile == nil) == (spec.scheme == nil) && !spec.block {
			t.Errorf("verb %s: compile or scheme, one of them", v)
		}
		if spec.options && !spec.opens {
			t.Errorf("verb %s takes options but opens nothing", v)
		}
	}
}
