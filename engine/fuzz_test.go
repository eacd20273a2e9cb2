package engine

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// fuzzSeeds adds every scenario file of testdata (the error goldens and
// the schema corpus) as a seed.
func fuzzSeeds(f *testing.F) {
	for _, pat := range []string{"testdata/errors/*.yaml", "testdata/corpus/*/*.yaml"} {
		files, _ := filepath.Glob(pat)
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil && len(b) < 4096 {
				f.Add(b)
			}
		}
	}
}

// FuzzLoad feeds arbitrary bytes to the loader. It must not panic, must
// give a scenario or errors (never both, never neither), every error
// positioned in the file (line 1 to the last line + 1), and the same
// answer twice (no state is kept between loads).
func FuzzLoad(f *testing.F) {
	fuzzSeeds(f)
	f.Add([]byte("name: x\nsteps:\n  - connect: fake://a\n  - send: '{{ 1 +'\n"))
	f.Add([]byte("name: x\nname: y\nsteps: [{ connect: 'fake://::1:7' }]\n"))
	reg, err := NewRegistry(fakePlugin{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		// YAML breaks lines at LF, CR LF and a lone CR.
		lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 2
		sc, err := LoadBytes("f.yaml", data, reg, LoadOptions{Services: []string{"echo-tcp"}})
		if (sc == nil) == (err == nil) {
			t.Fatalf("scenario %v and error %v", sc, err)
		}
		if err != nil {
			list, ok := err.(ErrorList)
			if !ok || len(list) == 0 {
				t.Fatalf("error %T %v is not a non-empty ErrorList", err, err)
			}
			for _, e := range list {
				if e.Pos.File != "f.yaml" || e.Pos.Line < 1 || e.Pos.Line > lines || e.Pos.Col < 1 || e.Msg == "" {
					t.Fatalf("badly positioned error %q (%+v) in a file of %d lines", e.Error(), e.Pos, lines)
				}
				if !utf8.ValidString(e.Msg) && utf8.Valid(data) {
					t.Fatalf("message not UTF-8: %q", e.Msg)
				}
			}
			_, err2 := LoadBytes("f.yaml", data, reg, LoadOptions{Services: []string{"echo-tcp"}})
			if err2 == nil || err2.Error() != err.Error() {
				t.Fatalf("second load differs:\n%v\n---\n%v", err, err2)
			}
			return
		}
		for _, st := range append(sc.Steps, sc.Finally...) {
			if st.Pos.Line < 1 || st.Pos.Line > lines || st.Action == nil {
				t.Fatalf("step %+v", st)
			}
		}
	})
}

// strictTarget has a field of each kind Strict checks.
type strictTarget struct {
	Name  string            `yaml:"name,omitempty"`
	Count int               `yaml:"count,omitempty"`
	On    *bool             `yaml:"on,omitempty"`
	Ratio float64           `yaml:"ratio,omitempty"`
	Tags  []string          `yaml:"tags,omitempty"`
	Map   map[string]string `yaml:"map,omitempty"`
	Inner *struct {
		A string `yaml:"a"`
		B []int  `yaml:"b"`
	} `yaml:"inner,omitempty"`
}

// strictOther has the fields that do not round-trip through yaml.Dump.
type strictOther struct {
	Text  Template   `yaml:"text" netrun:"duration"`
	Node  yaml.Node  `yaml:"node"`
	Exprs Exprs      `yaml:"exprs"`
	Retry *retryKeys `yaml:"retry"`
}

// FuzzStrict decodes arbitrary YAML strictly. It must not panic; every
// error is positioned; a value it accepts, written back as YAML, is
// accepted again and decodes to the same value.
func FuzzStrict(f *testing.F) {
	for _, s := range []string{"name: x\ncount: 3\non: true\ntags: [a, b]\n", "inner: { a: x, b: [1, 2] }\nmap: { k: v }\n",
		"nmae: x\n", "on: yes\n", "count: many\n", "text:\n", "inner: { c: 1 }\n", "ratio: .5\nnode: [1, {a: b}]\n", "text: 2s\nexprs: [a, b]\nretry: { every: 1s, evry: 2 }\n", "on: ~\n", "a: &a [*a]\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 16<<10 {
			return
		}
		var doc yaml.Node
		if yaml.Load([]byte(src), &doc) != nil || len(doc.Content) != 1 {
			return
		}
		if _, ok := aliasSize(&doc); !ok {
			return
		}
		positioned := func(err error) {
			list, ok := err.(ErrorList)
			if !ok || len(list) == 0 {
				t.Fatalf("error %T %v", err, err)
			}
			for _, e := range list {
				if e.Pos.Line < 1 || e.Msg == "" {
					t.Fatalf("unpositioned error %+v", e)
				}
			}
		}
		var o strictOther
		if err := Strict(doc.Content[0], &o); err != nil {
			positioned(err)
		}
		var v strictTarget
		if err := Strict(doc.Content[0], &v); err != nil {
			positioned(err)
			return
		}
		out, err := yaml.Dump(&v)
		if err != nil {
			t.Fatalf("dump %+v: %v", v, err)
		}
		var doc2 yaml.Node
		if err := yaml.Load(out, &doc2); err != nil {
			t.Fatalf("reload %q: %v", out, err)
		}
		var w strictTarget
		if err := Strict(doc2.Content[0], &w); err != nil {
			t.Fatalf("%q accepted, written back as %q refused: %v", src, out, err)
		}
		normalize(&v)
		normalize(&w)
		if !reflect.DeepEqual(v, w) && !(v.Ratio != v.Ratio) { // NaN is not equal to itself
			t.Fatalf("round trip of %q:\n%+v\n%+v", src, v, w)
		}
	})
}

// normalize makes empty lists and maps nil: omitempty writes neither.
func normalize(v *strictTarget) {
	if len(v.Tags) == 0 {
		v.Tags = nil
	}
	if len(v.Map) == 0 {
		v.Map = nil
	}
	if v.Inner != nil && len(v.Inner.B) == 0 {
		v.Inner.B = nil
	}
}

// FuzzTemplate compiles arbitrary template text. It must not panic; an
// error stands on the template's line within its text; text without {{
// is its own literal value; a template that compiles has one expression
// part per {{ }}, and its literal parts are the text outside them.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{"plain", "a {{ 1 + 2 }} b", "{{ x }}", "{{", "}}{{", "{{ }}", "{{ uuidd() }}",
		"{{ sandbox(\"smpt\") }}", "{{ 'a' + }}", "x{{ \"}}\" }}y", "{{ now() }}{{ uuid() }}", "é{{ 1 }}ü"} {
		f.Add(s, "")
	}
	f.Add("2s", "duration")
	f.Add("(", "regexp")
	f.Add("12", "int")
	f.Fuzz(func(t *testing.T, src, kind string) {
		switch kind {
		case "", "int", "duration", "bool", "regexp":
		default:
			return
		}
		if !utf8.ValidString(src) || strings.ContainsAny(src, "\n\r") || len(src) > 4096 {
			return
		}
		c := newCompiler("t.yaml")
		c.services = []string{"echo-tcp", "smtp"}
		c.scope = c.scope.with("x")
		node := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: src, Line: 3, Column: 7, Style: yaml.SingleQuotedStyle}
		var tm Template
		if err := tm.UnmarshalYAML(node); err != nil {
			t.Fatal(err)
		}
		tm.setFile("t.yaml")
		err := tm.compile(c, c.env(nil), kind)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Msg == "" {
				t.Fatalf("error %T %v", err, err)
			}
			if e.Pos.Line != 3 || e.Pos.Col < 7 || e.Pos.Col > 8+utf8.RuneCountInString(src) {
				t.Fatalf("error %q at %+v, outside the text of %q", e.Msg, e.Pos, src)
			}
			return
		}
		if !strings.Contains(src, "{{") {
			if lit, ok := tm.Literal(); !ok || lit != src || len(tm.d.parts) != 1 || tm.d.parts[0].lit != src {
				t.Fatalf("literal %q: %q %v %+v", src, lit, ok, tm.d.parts)
			}
			return
		}
		var lits strings.Builder
		progs := 0
		for _, p := range tm.d.parts {
			if p.prog != nil {
				progs++
			} else {
				lits.WriteString(p.lit)
			}
		}
		if progs != strings.Count(src, "{{") && !strings.Contains(src, "}}{{") {
			// Each {{ opens one part, unless a }} of one part's code is
			// taken as its end; count only the simple case exactly.
			if progs == 0 {
				t.Fatalf("%q compiled without an expression part: %+v", src, tm.d.parts)
			}
		}
		if progs == 0 || lits.Len() > len(src) {
			t.Fatalf("%q: parts %+v", src, tm.d.parts)
		}
	})
}
