package engine

import (
	"reflect"
	"sort"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// narrow builds the environment of an expression (or of a template's
// {{ }} parts, given as the template's text) from what it uses of env's
// scope: the names it names and the step ids it reads as steps.ID. What
// it does not use is left out, so that a file of many steps with ids or
// saves loads in linear time. Environments are shared between
// expressions that use the same names.
func (c *compiler) narrow(env *envType, srcs ...string) *envType {
	c.fields.record(env.rt != nil, srcs)
	if env.t != nil {
		return env // built already
	}
	sc := env.sc
	names, ids, all := c.cache.references(srcs)
	var useNames, useIDs []string
	var types []reflect.Type
	if all {
		useNames, useIDs = sc.names(), sc.ids()
		types = sc.log.types[:sc.m]
	} else {
		for _, n := range names {
			if sc.has(n) {
				useNames = append(useNames, n)
			}
		}
		for _, id := range ids {
			if t, ok := sc.idType(id); ok {
				useIDs = append(useIDs, id)
				types = append(types, t)
			}
		}
	}
	var sig strings.Builder
	for _, n := range useNames {
		sig.WriteString(n)
		sig.WriteByte(',')
	}
	sig.WriteByte('|')
	for i, id := range useIDs {
		sig.WriteString(id)
		sig.WriteByte(':')
		sig.WriteString(types[i].String())
		sig.WriteByte(',')
	}
	k := envKey{sig.String(), env.rt}
	built := c.cache.env(k, func() *envType { return newEnvType(useNames, useIDs, types, env.rt) })
	// A copy that knows the whole scope, for suggestions.
	out := *built
	out.sc, out.rt = sc, env.rt
	return &out
}

// references lists, sorted, the identifiers the expressions in srcs name
// and the ids they read as steps.ID. all is true when that cannot be told
// (a part that does not parse, steps used otherwise than steps.ID,
// $env): the whole scope is then used.
func references(srcs []string) (names, ids []string, all bool) {
	seenN, seenI := map[string]bool{}, map[string]bool{}
	for _, src := range srcs {
		for _, code := range exprParts(src) {
			if strings.Contains(code, "$env") {
				return nil, nil, true
			}
			tree, err := parser.Parse(code)
			if err != nil {
				return nil, nil, true
			}
			stepsAsID := map[ast.Node]bool{}
			ast.Find(tree.Node, func(n ast.Node) bool {
				m, ok := n.(*ast.MemberNode)
				if !ok {
					return false
				}
				base, ok := m.Node.(*ast.IdentifierNode)
				prop, lit := m.Property.(*ast.StringNode)
				if ok && base.Value == "steps" && lit {
					stepsAsID[base] = true
					seenI[prop.Value] = true
				}
				return false
			})
			ast.Find(tree.Node, func(n ast.Node) bool {
				id, ok := n.(*ast.IdentifierNode)
				if !ok {
					return false
				}
				if id.Value == "steps" && !stepsAsID[n] {
					all = true
				}
				seenN[id.Value] = true
				return false
			})
			if all {
				return nil, nil, true
			}
		}
	}
	for n := range seenN {
		names = append(names, n)
	}
	for id := range seenI {
		ids = append(ids, id)
	}
	sort.Strings(names)
	sort.Strings(ids)
	return names, ids, false
}

// exprParts returns the {{ }} parts of a template's text, or the text
// itself when it has none (a bare expression).
func exprParts(src string) []string {
	if !strings.Contains(src, "{{") {
		return []string{src}
	}
	var out []string
	for {
		i := strings.Index(src, "{{")
		if i < 0 {
			return out
		}
		j := strings.Index(src[i+2:], "}}")
		if j < 0 {
			return out
		}
		out = append(out, src[i+2:i+2+j])
		src = src[i+2+j+2:]
	}
}
