package engine

import (
	"testing"
	"unsafe"
)

// An action holds its templates by value (an expect has seven): a template
// must stay one pointer, so that a step's action fits in a cache line or
// two and loading 20,000 steps does not allocate and zero 140 MB.
func TestTemplateIsOnePointer(t *testing.T) {
	if n := unsafe.Sizeof(Template{}); n > unsafe.Sizeof(uintptr(0)) {
		t.Fatalf("Template is %d bytes", n)
	}
}

// Compiling a copy of a compiled template (a default, for each step) must
// leave the original as it was.
func TestTemplateCopyCompilesApart(t *testing.T) {
	c := newCompiler("t.yaml")
	a := sourceTemplate("5s")
	if err := a.compile(c, c.env(nil), "duration"); err != nil {
		t.Fatal(err)
	}
	b := *a
	if err := b.compile(c, c.env(nil), ""); err != nil {
		t.Fatal(err)
	}
	if a.d == b.d || a.parsedValue() == nil || b.parsedValue() != nil {
		t.Fatalf("the copy shares or changed the original: %+v %+v", a.d, b.d)
	}
}

// Setting the file of a copy of a compiled template (a default, for each
// step) leaves the original, and the data it shares, as they were.
func TestTemplateCopySetsFileApart(t *testing.T) {
	c := newCompiler("a.yaml")
	a := sourceTemplate("5s")
	a.setFile("a.yaml")
	if err := a.compile(c, c.env(nil), "duration"); err != nil {
		t.Fatal(err)
	}
	d := a.d
	b := *a
	b.setFile("a.yaml")
	b.setFile("b.yaml")
	if a.d != d || d.pos.File != "a.yaml" || b.Pos().File != "b.yaml" || b.Source() != "5s" {
		t.Fatalf("the copy changed the original: %+v, copy %+v", a.d, b.d)
	}
}

// A literal made by NewTemplate and compiled (it sits in a struct that
// compileAll walks) is still its text, once.
func TestNewTemplateCompiled(t *testing.T) {
	c := newCompiler("t.yaml")
	tm := NewTemplate("ab")
	if err := tm.compile(c, c.env(nil), ""); err != nil {
		t.Fatal(err)
	}
	if got, err := tm.String(nil); got != "ab" || err != nil {
		t.Fatalf("%q %v", got, err)
	}
}
