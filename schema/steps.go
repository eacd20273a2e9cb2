package schema

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// buildStep completes the definition verb+"Step" (connect, listen) from
// the fragments' parts: the URL's pattern, the options, the rules.
func buildStep(defs map[string]any, verb string, parts []*part) error {
	def, ok := defs[verb+"Step"].(map[string]any)
	if !ok {
		if len(parts) == 0 {
			return nil
		}
		return fmt.Errorf("schema fragments add to %sStep, which no fragment defines", verb)
	}
	for _, p := range parts {
		if len(p.AnyOf) > 0 {
			return fmt.Errorf("schema fragment gives %s anyOf: only send, expect and fetch take it", verb)
		}
	}
	props, _ := def["properties"].(map[string]any)
	url, ok := props[verb].(map[string]any)
	if !ok {
		return fmt.Errorf("schema definition %sStep has no property %s", verb, verb)
	}
	takes := map[string][]string{} // scheme → options
	for _, p := range parts {
		for s, opts := range p.Schemes {
			if _, dup := takes[s]; dup {
				return fmt.Errorf("schema fragments give %s scheme %s twice", verb, s)
			}
			takes[s] = opts
		}
		addDescription(url, p.About)
	}
	if len(takes) == 0 {
		return fmt.Errorf("no schema fragment gives a %s scheme", verb)
	}
	url["pattern"] = schemePattern(slices.Collect(maps.Keys(takes)))
	if err := addOptions(props, verb, parts, takes); err != nil {
		return err
	}
	allOf, _ := def["allOf"].([]any)
	allOf = append(allOf, schemeRules(verb, parts)...)
	allOf = append(allOf, absenceRules(verb, takes)...)
	if len(allOf) > 0 {
		def["allOf"] = allOf
	}
	return nil
}

// schemePattern is the pattern of a URL with one of schemes.
func schemePattern(schemes []string) string {
	schemes = slices.Clone(schemes)
	slices.Sort(schemes)
	return "^(" + strings.Join(schemes, "|") + ")://"
}

// addOptions adds the schemas of the options that a scheme takes to the
// step's properties. An option given by two fragments must have the same
// schema but for its description; the descriptions are joined.
func addOptions(props map[string]any, verb string, parts []*part, takes map[string][]string) error {
	taken := map[string]bool{}
	for _, opts := range takes {
		for _, k := range opts {
			taken[k] = true
		}
	}
	given := map[string]bool{}
	for _, p := range parts {
		for _, k := range slices.Sorted(maps.Keys(p.Options)) {
			if !taken[k] {
				continue
			}
			opt := maps.Clone(p.Options[k])
			if _, common := props[k]; common && !given[k] {
				return fmt.Errorf("%s option %s is a key every step takes", verb, k)
			}
			old, ok := props[k].(map[string]any)
			if !ok {
				props[k], given[k] = opt, true
				continue
			}
			if !reflect.DeepEqual(withoutDescription(old), withoutDescription(opt)) {
				return fmt.Errorf("schema fragments give %s option %s two schemas", verb, k)
			}
			if d, _ := opt["description"].(string); d != old["description"] {
				addDescription(old, d)
			}
		}
	}
	for s, opts := range takes {
		for _, k := range opts {
			if !given[k] {
				return fmt.Errorf("%s scheme %s takes option %s, which no schema fragment gives", verb, s, k)
			}
		}
	}
	return nil
}

// schemeRules turns the parts' rules into if/then conditions. Rules with
// schemes and the same if and then are joined into one.
func schemeRules(verb string, parts []*part) []any {
	var out []any
	type group struct {
		rule    rule
		schemes []string
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, p := range parts {
		for _, r := range p.Rules {
			if len(r.Schemes) == 0 {
				out = appendOnce(out, map[string]any{"if": r.If, "then": r.Then})
				continue
			}
			key, _ := json.Marshal([]any{r.If, r.Then})
			g, ok := byKey[string(key)]
			if !ok {
				g = &group{rule: r}
				byKey[string(key)] = g
				groups = append(groups, g)
			}
			g.schemes = append(g.schemes, r.Schemes...)
		}
	}
	for _, g := range groups {
		cond := maps.Clone(g.rule.If)
		if cond == nil {
			cond = map[string]any{}
		}
		req, _ := cond["required"].([]any)
		cond["required"] = append([]any{verb}, req...)
		ps, _ := cond["properties"].(map[string]any)
		ps = maps.Clone(ps)
		if ps == nil {
			ps = map[string]any{}
		}
		ps[verb] = map[string]any{"pattern": schemePattern(g.schemes)}
		cond["properties"] = ps
		out = append(out, map[string]any{"if": cond, "then": g.rule.Then})
	}
	return out
}

// absenceRules refuses each option on the schemes that do not take it:
// one rule per set of schemes.
func absenceRules(verb string, takes map[string][]string) []any {
	bySet := map[string][]string{} // schemes that take them → options
	for s, opts := range takes {
		for _, k := range opts {
			bySet[k] = append(bySet[k], s)
		}
	}
	groups := map[string][]string{}
	for _, k := range slices.Sorted(maps.Keys(bySet)) {
		if len(bySet[k]) == len(takes) {
			continue
		}
		p := schemePattern(bySet[k])
		groups[p] = append(groups[p], k)
	}
	var out []any
	for _, p := range slices.Sorted(maps.Keys(groups)) {
		off := map[string]any{}
		for _, k := range groups[p] {
			off[k] = false
		}
		out = append(out, map[string]any{
			"if": map[string]any{
				"required":   []any{verb},
				"properties": map[string]any{verb: map[string]any{"not": map[string]any{"pattern": p}}},
			},
			"then": map[string]any{"properties": off},
		})
	}
	return out
}
