package engine

import (
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// FieldUser is an optional interface of an Action with a result field
// that costs time to fill, such as a download's SHA-256 (a CPU-second a
// GiB). Once its file is loaded, the loader calls UseFields with the
// fields of the step's result that the file's expressions may read: as
// `result.NAME` in the step's assert, save and retry (and any Expr of
// the action's own), as `steps.ID.NAME` in any later expression or
// template (a step name, a payload, a metric). Where an expression uses
// `result` or `steps.ID` whole (passes it to a function, compares it,
// saves it, indexes it with a computed key), or uses `steps` or `$env`
// otherwise than by a literal id, every field is in the set. An action
// never told computes every field; one told must fill every field the
// set has. Reports show only what was filled: a field the action leaves
// out should be empty and `omitempty` in JSON.
type FieldUser interface {
	UseFields(f FieldSet)
}

// FieldSet is the set of a step result's fields (their expr names) that a
// scenario's expressions may read.
type FieldSet struct {
	all   bool
	names map[string]bool
}

// Has reports whether expressions may read the field name.
func (f FieldSet) Has(name string) bool { return f.all || f.names[name] }

// AllFields is the set of every field.
func AllFields() FieldSet { return FieldSet{all: true} }

// FieldsOf is the set of the fields names.
func FieldsOf(names ...string) FieldSet {
	f := FieldSet{names: map[string]bool{}}
	for _, n := range names {
		f.names[n] = true
	}
	return f
}

// add adds the fields of o to f.
func (f *FieldSet) add(o FieldSet) {
	if f.all || o.all {
		f.all, f.names = true, nil
		return
	}
	for n := range o.names {
		if f.names == nil {
			f.names = map[string]bool{}
		}
		f.names[n] = true
	}
}

// fieldUse is what a compiler records for FieldUser actions: which step
// is being compiled, the actions to tell, and, from the first of them on,
// the source of every expression compiled after it, with the step whose
// result it sees as `result` (nil when none). Files without such an
// action record nothing.
type fieldUse struct {
	step    *Step
	watched []watched
	srcs    []fieldSrc
}

type watched struct {
	st *Step
	a  FieldUser
}

type fieldSrc struct {
	own  *Step
	srcs []string
}

// enter makes st the step being compiled, until leave is given the step
// it returns (a parallel block's branches are steps within a step).
func (u *fieldUse) enter(st *Step) (outer *Step) {
	outer, u.step = u.step, st
	return outer
}

// leave makes outer the step being compiled again.
func (u *fieldUse) leave(outer *Step) { u.step = outer }

// watch records a, the action of the step being compiled.
func (u *fieldUse) watch(a Action) {
	if fu, ok := a.(FieldUser); ok && u.step != nil {
		u.watched = append(u.watched, watched{u.step, fu})
	}
}

// record records expression sources compiled, with `result` when
// hasResult.
func (u *fieldUse) record(hasResult bool, srcs []string) {
	if len(u.watched) == 0 {
		return
	}
	fs := fieldSrc{srcs: srcs}
	if hasResult {
		fs.own = u.step
	}
	u.srcs = append(u.srcs, fs)
}

// tell calls UseFields on every action watched, once the file is loaded.
// It goes through the sources once: a file of thousands of downloads
// costs no more than the sum of its expressions.
func (u *fieldUse) tell(cache *loadCache) {
	if len(u.watched) == 0 {
		return
	}
	var all, anyID bool
	own, byID := map[*Step]FieldSet{}, map[string]FieldSet{}
	for _, s := range u.srcs {
		r := cache.fieldsIn(s.srcs)
		all, anyID = all || r.all, anyID || r.anyID
		if s.own != nil {
			set := own[s.own]
			set.add(r.result)
			own[s.own] = set
		}
		for id, f := range r.steps {
			set := byID[id]
			set.add(f)
			byID[id] = set
		}
	}
	for _, w := range u.watched {
		set := own[w.st]
		if w.st.ID != "" {
			set.add(byID[w.st.ID])
		}
		if all || (anyID && w.st.ID != "") {
			set = AllFields()
		}
		w.a.UseFields(set)
	}
	*u = fieldUse{}
}

// exprFields is what expressions read of `result` and of `steps.ID`; all
// when they may read anything (a source that does not parse, $env), anyID
// when they use `steps` otherwise than as steps.ID.
type exprFields struct {
	all, anyID bool
	result     FieldSet
	steps      map[string]FieldSet
}

// fieldsIn is the function fieldsIn, remembered by source: the same
// expressions recur in file after file. What it returns is shared: callers
// must not change it.
func (lc *loadCache) fieldsIn(srcs []string) exprFields {
	k := strings.Join(srcs, "\x00")
	lc.mu.Lock()
	f, ok := lc.fields[k]
	lc.mu.Unlock()
	if ok {
		return f
	}
	f = fieldsIn(srcs)
	lc.mu.Lock()
	if lc.fields == nil {
		lc.fields = map[string]exprFields{}
	}
	if len(lc.fields) < maxCachedProgs {
		lc.fields[k] = f
	}
	lc.mu.Unlock()
	return f
}

// fieldsIn finds what the expressions of srcs (bare, or templates' {{ }}
// parts) read.
func fieldsIn(srcs []string) exprFields {
	out := exprFields{steps: map[string]FieldSet{}}
	for _, src := range srcs {
		for _, code := range exprParts(src) {
			tree, err := parser.Parse(code)
			if err != nil || strings.Contains(code, "$env") {
				return exprFields{all: true}
			}
			v := &fieldVisitor{based: map[ast.Node]bool{}}
			ast.Walk(&tree.Node, v)
			v.judge(&out)
		}
	}
	return out
}

// fieldVisitor collects, in one expression's tree, the literal member
// accesses (x.name, x["name"]) and the uses of `result`, `steps` and
// `steps.ID`, to be judged once the whole tree is seen.
type fieldVisitor struct {
	// based are the nodes that are the base of a literal member access.
	based map[ast.Node]bool
	// reads are the fields read: of `result` (id "") or of steps.ID.
	reads []fieldRead
	// uses are the nodes `result`, `steps` and steps.ID.
	uses []ast.Node
}

type fieldRead struct{ id, field string }

// Visit implements ast.Visitor.
func (v *fieldVisitor) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.MemberNode:
		prop, lit := n.Property.(*ast.StringNode)
		if !lit {
			return
		}
		v.based[n.Node] = true
		if isIdent(n.Node, "result") {
			v.reads = append(v.reads, fieldRead{"", prop.Value})
		}
		if id, ok := stepsID(n.Node); ok {
			v.reads = append(v.reads, fieldRead{id, prop.Value})
		}
		if isIdent(n.Node, "steps") {
			v.uses = append(v.uses, n)
		}
	case *ast.IdentifierNode:
		if n.Value == "result" || n.Value == "steps" {
			v.uses = append(v.uses, n)
		}
	}
}

// judge adds what the tree reads to out: the fields read by name, and
// every field of what is used otherwise than as the base of a literal
// member access.
func (v *fieldVisitor) judge(out *exprFields) {
	for _, r := range v.reads {
		if r.id == "" {
			out.result.add(FieldsOf(r.field))
			continue
		}
		set := out.steps[r.id]
		set.add(FieldsOf(r.field))
		out.steps[r.id] = set
	}
	for _, n := range v.uses {
		if v.based[n] {
			continue
		}
		switch n := n.(type) {
		case *ast.IdentifierNode:
			if n.Value == "result" {
				out.result.add(AllFields())
			} else {
				out.anyID = true
			}
		case *ast.MemberNode: // steps.ID, used whole
			id, _ := stepsID(n)
			set := out.steps[id]
			set.add(AllFields())
			out.steps[id] = set
		}
	}
}

// isIdent reports whether n is the identifier name.
func isIdent(n ast.Node, name string) bool {
	id, ok := n.(*ast.IdentifierNode)
	return ok && id.Value == name
}

// stepsID returns ID when n is steps.ID (or steps["ID"]).
func stepsID(n ast.Node) (string, bool) {
	m, ok := n.(*ast.MemberNode)
	if !ok || !isIdent(m.Node, "steps") {
		return "", false
	}
	prop, ok := m.Property.(*ast.StringNode)
	if !ok {
		return "", false
	}
	return prop.Value, true
}
