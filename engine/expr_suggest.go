package engine

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/parser"
)

// didYouMean returns " (did you mean "X"?)" for the candidate closest to
// s, or "".
func didYouMean(s string, candidates []string) string {
	if near := suggest(s, candidates); near != "" {
		return fmt.Sprintf(" (did you mean %q?)", near)
	}
	return ""
}

// allNames lists what an expression compiled against e can name: the
// functions (helpers and builtins) when call is true, else the values
// (vars, secrets and saved names of the whole scope, steps and result).
func (e *envType) allNames(call bool) []string {
	if call {
		var out []string
		for i := 0; i < funcsType.NumField(); i++ {
			out = append(out, funcsType.Field(i).Tag.Get("expr"))
		}
		return append(out, builtin.Names...)
	}
	out := []string{"steps"}
	if e.sc != nil {
		out = append(out, e.sc.names()...)
	}
	if e.result {
		out = append(out, "result")
	}
	return out
}

// unknownName words an unknown name in the expression src, with a
// suggestion: a function when the name is called, else a value.
func unknownName(name, src string, env *envType) string {
	msg := fmt.Sprintf("unknown name %q", name)
	if env != nil {
		call := regexp.MustCompile(`(^|[^\w.])` + regexp.QuoteMeta(name) + `\s*\(`).MatchString(src)
		msg += didYouMean(name, env.allNames(call))
	}
	return msg
}

// unknownStep words a step id that no earlier step has.
func unknownStep(id string, env *envType) string {
	msg := fmt.Sprintf("no earlier step has id %q", id)
	if env != nil && env.sc != nil {
		msg += didYouMean(id, env.sc.ids())
	}
	return msg
}

// unknownField words an unknown field of a typed value, naming the value
// (result, steps.login.reply) and suggesting the closest field.
func unknownField(field, src string, env *envType) string {
	owner, fields := fieldOwner(field, src, env)
	msg := fmt.Sprintf("unknown field %q", field)
	if owner != "" {
		msg += " of " + owner
	}
	if s := didYouMean(field, fields); s != "" {
		return msg + s
	}
	if len(fields) > 0 && len(fields) <= 16 {
		msg += "; its fields: " + strings.Join(fields, ", ")
	}
	return msg
}

// fieldOwner finds in src the value whose member field is, and lists that
// value's fields.
func fieldOwner(field, src string, env *envType) (string, []string) {
	if env == nil {
		return "", nil
	}
	tree, err := parser.Parse(src)
	if err != nil {
		return "", nil
	}
	var owner ast.Node
	ast.Find(tree.Node, func(n ast.Node) bool {
		m, ok := n.(*ast.MemberNode)
		if !ok {
			return false
		}
		if p, ok := m.Property.(*ast.StringNode); ok && p.Value == field {
			owner = m.Node
			return true
		}
		return false
	})
	if owner == nil {
		return "", nil
	}
	prog, err := expr.Compile(owner.String(), expr.Env(env.zero()))
	if err != nil {
		return owner.String(), nil
	}
	return owner.String(), fieldNames(prog.Node().Type())
}

// fieldNames lists the expression names of the fields of struct type t.
func fieldNames(t reflect.Type) []string {
	t = deref(t)
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Tag.Get("expr")
		if name == "" {
			name = f.Name
		}
		if name != "-" {
			out = append(out, name)
		}
	}
	return out
}
