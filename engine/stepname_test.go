package engine

import (
	"context"
	"strings"
	"testing"
)

func TestStepNameShowsValues(t *testing.T) {
	sc := mustLoad(t, `name: x
vars:
  host: a.example
  long: '{{ repeat("x", 100) }}'
secrets:
  pw: hunter2-secret
steps:
  - connect: fake://{{ host }}
  - name: 'log in as {{ pw }}'
    assert: true
  - name: 'long {{ long }}'
    assert: true
  - name: 'saved {{ later }}'
    assert: false
    continue: true
  - name: plain
    assert: true
    save: { later: '"v"' }
  - name: 'quoted {{ "a\"b" + host }}'
    assert: true
`)
	res := Run(context.Background(), sc, RunOptions{})
	want := []struct{ name, tmpl string }{
		{`fake connect "fake://a.example"`, `fake connect "fake://{{ host }}"`},
		{"log in as ***", "log in as {{ pw }}"},
		{"long " + strings.Repeat("x", maxNameValue) + "…", "long {{ long }}"},
		{"saved {{ later }}", ""}, // saved only later: shown as written
		{"plain", ""},
		{`quoted a"ba.example`, `quoted {{ "a\"b" + host }}`},
	}
	if len(res.Steps) != len(want) {
		t.Fatalf("%d steps", len(res.Steps))
	}
	for i, w := range want {
		st := res.Steps[i]
		if st.Name != w.name || st.NameTemplate != w.tmpl {
			t.Errorf("step %d: name %q template %q, want %q and %q", i+1, st.Name, st.NameTemplate, w.name, w.tmpl)
		}
	}
}

func TestNameSource(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`tcp send "{{ env(\"X\") }}"`, `tcp send "{{ env("X") }}"`},
		{`tcp send "abc {{ tok`, `tcp send "abc…`},
		{`no template`, `no template`},
	} {
		if got := nameSource(tc.in); got != tc.want {
			t.Errorf("nameSource(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
