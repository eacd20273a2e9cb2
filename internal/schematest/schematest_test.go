package schematest

import (
	"fmt"
	"slices"
	"testing"
)

// recorder is a testing.TB that records what it is told instead of
// failing, so that a test can check what Fragment reports.
type recorder struct {
	testing.TB // nil: a method not overridden below panics
	errs       []string
	cleanups   []func()
}

func (r *recorder) Helper()          {}
func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recorder) Errorf(format string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, a...))
}
func (r *recorder) Fatalf(format string, a ...any) {
	r.errs = append(r.errs, "fatal: "+fmt.Sprintf(format, a...))
}

// end runs the cleanups, last first, as the end of a test does.
func (r *recorder) end() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

type spec struct {
	Host string `yaml:"host"`
	Port int    `yaml:"port"`
}

const frag = `{
  "definitions": {
    "exact":     { "properties": { "host": {}, "port": {} } },
    "extra":     { "properties": { "host": {}, "port": {}, "tls": {} } },
    "missing":   { "properties": { "host": {} } },
    "unchecked": { "properties": { "host": {} } },
    "noprops":   { "type": "string" }
  }
}`

// TestFragmentReports checks that a fragment that does not match its
// struct fails the test: an extra key, a missing key, and a definition
// checked against nothing, and only those.
func TestFragmentReports(t *testing.T) {
	r := &recorder{}
	f := New(r, []byte(frag))
	f.Definition("exact", spec{})
	f.Definition("extra", spec{})
	f.Definition("missing", spec{})
	f.Within("missing", spec{}) // a subset is fine for Within
	r.end()
	want := []string{
		"schema definition extra has keys host port tls\nthe structs schematest.spec take host port",
		"schema definition missing has keys host\nthe structs schematest.spec take host port",
		"schema definition unchecked is checked against no Go struct: add a schematest check or Exempt it",
	}
	if !slices.Equal(r.errs, want) {
		t.Errorf("reported %q\nwant %q", r.errs, want)
	}
}

// TestFragmentClean checks that a fragment matching its structs, with
// its other definitions exempted, reports nothing.
func TestFragmentClean(t *testing.T) {
	r := &recorder{}
	f := New(r, []byte(frag))
	f.Definition("exact", spec{})
	f.Within("missing", spec{})
	f.Exempt("checked by hand", "extra", "unchecked")
	r.end()
	if len(r.errs) > 0 {
		t.Errorf("reported %q", r.errs)
	}
}
