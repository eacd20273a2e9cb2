package schema_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/expr-lang/expr/builtin"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/netrunhq/netrun/engine"
)

// compile compiles the assembled schema as draft-07.
func compile(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(assembled(t)))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	return compileDoc(t, doc)
}

// compileDoc compiles a decoded schema as draft-07.
func compileDoc(t *testing.T, doc any) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	const url = "scenario.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatalf("add schema: %v", err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return sch
}

func TestSchemaCompiles(t *testing.T) {
	compile(t)
	var top struct {
		Schema string `json:"$schema"`
	}
	if err := json.Unmarshal(assembled(t), &top); err != nil {
		t.Fatal(err)
	}
	if top.Schema != "http://json-schema.org/draft-07/schema#" {
		t.Errorf("$schema is %q, want draft-07", top.Schema)
	}
}

// TestDescriptions checks that every property has a description, directly
// or through its $ref: editors show it as the hover text. Properties inside
// conditions (if, then, else, not, dependencies) are left out.
func TestDescriptions(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(assembled(t), &doc); err != nil {
		t.Fatal(err)
	}
	described := func(v any) bool {
		for range 10 {
			m, ok := v.(map[string]any)
			if !ok {
				return false
			}
			if _, ok := m["description"]; ok {
				return true
			}
			ref, ok := m["$ref"].(string)
			if !ok {
				return false
			}
			v = pointer(doc, ref)
		}
		return false
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if props, ok := x["properties"].(map[string]any); ok {
				for k, p := range props {
					if p != false && !described(p) {
						t.Errorf("%s/properties/%s has no description", path, k)
					}
				}
			}
			for k, c := range x {
				switch k {
				case "if", "then", "else", "not", "dependencies":
					// Conditions only validate; hovers come from the
					// properties they constrain.
				default:
					walk(path+"/"+k, c)
				}
			}
		case []any:
			for i, c := range x {
				walk(fmt.Sprintf("%s/%d", path, i), c)
			}
		}
	}
	walk("#", doc)
}

// TestStepShapes checks the keys each action's step shape allows against
// the loader's rules: every common key, as only where a step opens
// something, on only where a step acts on a connection, and the options
// of connect and listen that the plugins' schemes take (each plugin's
// TestSchemaKeys checks those against its option struct).
func TestStepShapes(t *testing.T) {
	var doc struct {
		Definitions map[string]struct {
			Properties map[string]any `json:"properties"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal(assembled(t), &doc); err != nil {
		t.Fatal(err)
	}
	common := "name id timeout retry assert save if continue fails points hint visibility"
	options := schemeOptions(t)
	for _, verb := range strings.Fields("connect listen accept send expect fetch assert spawn close sleep") {
		want := common + " " + verb + " " + options[verb]
		switch verb {
		case "connect", "listen", "spawn":
			want += " as"
		case "accept":
			want += " as on"
		case "send", "expect", "fetch", "close":
			want += " on"
		}
		shape, ok := doc.Definitions[verb+"Step"]
		if !ok {
			t.Errorf("no definition %sStep", verb)
			continue
		}
		var got []string
		for k := range shape.Properties {
			got = append(got, k)
		}
		if g, w := sorted(got), sorted(strings.Fields(want)); g != w {
			t.Errorf("%sStep allows %s\nwant %s", verb, g, w)
		}
	}
}

// schemeOptions returns, for connect and listen, the options that the
// schemes of every plugin of this build take, from their fragments.
func schemeOptions(t *testing.T) map[string]string {
	t.Helper()
	reg := registry(t)
	out := map[string]string{}
	for _, s := range reg.Schemes() {
		p, _ := reg.Plugin(s)
		f, ok := p.(engine.SchemaFragment)
		if !ok {
			continue
		}
		var frag struct {
			Actions map[string]struct {
				Schemes map[string][]string `json:"schemes"`
			} `json:"actions"`
		}
		if err := json.Unmarshal(f.Schema(), &frag); err != nil {
			t.Fatal(err)
		}
		for verb, part := range frag.Actions {
			for _, opts := range part.Schemes {
				out[verb] += " " + strings.Join(opts, " ")
			}
		}
	}
	return out
}

func sorted(s []string) string {
	s = slices.Clone(s)
	slices.Sort(s)
	return strings.Join(slices.Compact(s), " ")
}

// pointer resolves a local JSON pointer such as #/definitions/step in doc.
func pointer(doc map[string]any, ref string) any {
	var v any = doc
	for _, p := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// TestReservedNames checks the schema's reserved names against expr's
// builtins, and that the loader refuses each of them as a var name, so
// that an expr upgrade that adds a builtin shows up here.
func TestReservedNames(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(assembled(t), &doc); err != nil {
		t.Fatal(err)
	}
	enum, _ := pointer(doc, "#/definitions/bindingName/allOf/1/not/enum").([]any)
	var names []string
	for _, n := range enum {
		names = append(names, n.(string))
	}
	want := append(strings.Fields(`result steps env sandbox uuid now file sha256 base64 free_port
		true false nil not and or in matches contains startsWith endsWith let if else`), builtin.Names...)
	if g, w := sorted(names), sorted(want); g != w {
		t.Errorf("reserved names in the schema:\n%s\nwant:\n%s", g, w)
	}
	reg := registry(t)
	for _, n := range names {
		src := fmt.Sprintf("name: x\nvars:\n  %s: 1\nsteps: []\n", n)
		_, err := engine.LoadBytes("reserved.yaml", []byte(src), reg, engine.LoadOptions{})
		if err == nil || !strings.Contains(err.Error(), "reserved") {
			t.Errorf("var %q: loader says %v, want reserved", n, err)
		}
	}
}
