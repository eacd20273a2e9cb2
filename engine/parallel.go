package engine

import (
	"fmt"
	"maps"
	"reflect"
	"strconv"

	"go.yaml.in/yaml/v4"
)

// MaxBranches is the most branches one parallel block runs at once, in
// either form.
const MaxBranches = 256

// branchVar is the name that holds, inside a branch, the branch's name
// (the named form) or its number from 1 (the count form).
const branchVar = "branch"

// parallelKeys is the mapping under `parallel:`: count and steps, or
// branches.
type parallelKeys struct {
	Count    *int        `yaml:"count"`
	Steps    []yaml.Node `yaml:"steps"`
	Branches yaml.Node   `yaml:"branches"`
}

// branch is one branch of a parallel block: its name and steps, and the
// index of the first of its steps' results.
type branch struct {
	name  string
	value any // what `branch` holds inside it
	steps []*Step
	base  int
}

// ParallelResult is the result of a parallel block, for its assert and
// save: how many branches ran, passed and failed.
type ParallelResult struct {
	Branches int `expr:"branches" json:"branches"`
	Passed   int `expr:"passed" json:"passed"`
	Failed   int `expr:"failed" json:"failed"`
}

// Summary says how the branches ended.
func (r ParallelResult) Summary() string {
	return fmt.Sprintf("%d of %d branches passed", r.Passed, r.Branches)
}

// parallelStep compiles `parallel:`. Each branch's steps are compiled in
// a scope of their own: no connection of the scenario is open in them,
// and what they save or name with id is not seen after the block.
func parallelStep(l *loader, st *Step, ck *commonKeys, val *yaml.Node) (Action, reflect.Type, string) {
	rt := reflect.TypeOf(ParallelResult{})
	if l.inBranch {
		l.errorf(val, "parallel blocks cannot be nested: a branch runs its steps in order")
		return nil, rt, ""
	}
	var pk parallelKeys
	if val.Kind != yaml.MappingNode {
		l.errorf(val, "parallel takes a mapping: {count: N, steps: [...]} or {branches: {NAME: [...], ...}}")
		return nil, rt, ""
	}
	if err := Strict(val, &pk); err != nil {
		l.add(err, val)
		return nil, rt, ""
	}
	a := &parallelAction{}
	switch bn := nodeOrNil(&pk.Branches); {
	case bn != nil && (pk.Count != nil || pk.Steps != nil):
		l.errorf(MapKey(val, "branches"), "parallel has both branches and count/steps: use one form")
	case bn != nil:
		l.namedBranches(st, a, bn)
	case pk.Count == nil || MapKey(val, "steps") == nil:
		l.errorf(val, "parallel needs count and steps ({count: 20, steps: [...]}), or branches ({branches: {NAME: [...]}})")
	case *pk.Count < 1 || *pk.Count > MaxBranches:
		l.errorf(MapValue(val, "count"), "parallel count must be from 1 to %d, not %d", MaxBranches, *pk.Count)
	default:
		l.countBranches(st, a, *pk.Count, pk.Steps, MapValue(val, "steps"))
	}
	return a, rt, fmt.Sprintf("parallel %d branches", len(a.branches))
}

// namedBranches compiles the branches mapping bn.
func (l *loader) namedBranches(st *Step, a *parallelAction, bn *yaml.Node) {
	if bn.Kind != yaml.MappingNode || len(bn.Content) == 0 {
		l.errorf(bn, "branches must be a mapping of branch names to lists of steps")
		return
	}
	if len(bn.Content)/2 > MaxBranches {
		l.errorf(bn, "parallel has %d branches: at most %d", len(bn.Content)/2, MaxBranches)
		return
	}
	next := st.Index + 1
	for i := 0; i+1 < len(bn.Content); i += 2 {
		k, v := bn.Content[i], bn.Content[i+1]
		if !validName(k.Value) {
			l.errorf(k, "branch name %q must be a letter or _ followed by letters, digits or _", k.Value)
			continue
		}
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
			l.errorf(v, "branch %s must be a non-empty list of steps", k.Value)
			continue
		}
		steps := l.branchSteps(v.Content)
		a.branches = append(a.branches, branch{name: k.Value, value: k.Value, steps: steps, base: next})
		next += width(steps)
	}
}

// countBranches compiles the steps of the count form once; each of the
// count branches runs them.
func (l *loader) countBranches(st *Step, a *parallelAction, count int, nodes []yaml.Node, at *yaml.Node) {
	if len(nodes) == 0 {
		l.errorf(at, "parallel steps must be a non-empty list of steps")
		return
	}
	ptrs := make([]*yaml.Node, len(nodes))
	for i := range nodes {
		ptrs[i] = &nodes[i]
	}
	steps := l.branchSteps(ptrs)
	w := width(steps)
	for i := range count {
		a.branches = append(a.branches, branch{name: strconv.Itoa(i + 1), value: i + 1, steps: steps, base: st.Index + 1 + i*w})
	}
}

// branchSteps compiles one branch's steps in a scope of their own, which
// sees the scenario's names and `branch`, and no open connection.
func (l *loader) branchSteps(nodes []*yaml.Node) []*Step {
	scope, open, ids, names := l.c.scope, l.open, maps.Clone(l.ids), maps.Clone(l.names)
	defer func() {
		l.c.scope, l.open, l.ids, l.names, l.inBranch = scope, open, ids, names, false
	}()
	l.open, l.inBranch = nil, true
	if !l.c.scope.has(branchVar) {
		l.c.scope = l.c.scope.with(branchVar)
	}
	var out []*Step
	for i, n := range nodes {
		if st := l.step(n, i+1, false); st != nil {
			out = append(out, st)
			l.graded = l.graded || st.HasPoints
		}
	}
	return out
}

// width is how many step results steps make (a parallel block's
// branches' steps count).
func width(steps []*Step) int {
	n := 0
	for _, st := range steps {
		n += st.width()
	}
	return n
}

// width is how many step results st makes: itself and, for a parallel
// block, every step of every branch.
func (st *Step) width() int {
	n := 1
	if a, ok := st.Action.(*parallelAction); ok {
		for _, b := range a.branches {
			n += width(b.steps)
		}
	}
	return n
}

// blockKeys adjusts the common keys of a parallel block: it takes no
// retry, and its deadline is its own timeout (the scenario's when none
// is given), not the default step timeout.
func (l *loader) blockKeys(st *Step, ck *commonKeys, n *yaml.Node) {
	if ck.Retry != nil {
		l.errorf(MapKey(n, "retry"), "retry is not available on parallel: put it on the steps inside the branches")
	}
	st.Retry = nil
	if !ck.Timeout.IsSet() {
		st.Timeout = nil
	}
}
