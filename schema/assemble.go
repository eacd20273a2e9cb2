package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// fragment is one fragment's envelope (see the package documentation);
// the schemas inside are generic JSON.
type fragment struct {
	Top         map[string]any   `json:"top"`
	Definitions map[string]any   `json:"definitions"`
	Actions     map[string]*part `json:"actions"`
	Steps       []any            `json:"steps"`
}

// part is a fragment's part of an action: of send, expect and fetch, the
// shapes its connections take (AnyOf); of connect and listen, the URL
// schemes it opens, their options and rules.
type part struct {
	About   string                    `json:"about"`
	AnyOf   []any                     `json:"anyOf"`
	Schemes map[string][]string       `json:"schemes"`
	Options map[string]map[string]any `json:"options"`
	Rules   []rule                    `json:"rules"`
}

// rule is a condition of a step that opens a URL.
type rule struct {
	Schemes []string       `json:"schemes"`
	If      map[string]any `json:"if"`
	Then    any            `json:"then"`
}

// Assemble merges fragments (see the package documentation) into one
// schema; a fragment given twice, byte for byte, counts once.
func Assemble(frags ...[]byte) ([]byte, error) {
	var all []fragment
	seen := map[string]bool{}
	for i, data := range frags {
		if seen[string(data)] {
			continue
		}
		seen[string(data)] = true
		var f fragment
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return nil, fmt.Errorf("schema fragment %d: %w", i+1, err)
		}
		all = append(all, f)
	}
	doc, err := merge(all)
	if err != nil {
		return nil, err
	}
	if err := checkRefs(doc, doc); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := indent(&out, doc, 0, 0); err != nil {
		return nil, fmt.Errorf("encode the schema: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// merge builds the schema document from decoded fragments.
func merge(all []fragment) (map[string]any, error) {
	var doc map[string]any
	defs := map[string]any{}
	for _, f := range all {
		if f.Top != nil {
			if doc != nil {
				return nil, fmt.Errorf("two schema fragments give the top level")
			}
			doc = f.Top
		}
		for name, d := range f.Definitions {
			if old, ok := defs[name]; ok && !reflect.DeepEqual(old, d) {
				return nil, fmt.Errorf("schema definition %s is given twice, differently", name)
			}
			defs[name] = d
		}
	}
	if doc == nil {
		return nil, fmt.Errorf("no schema fragment gives the top level")
	}
	doc["definitions"] = defs
	for _, f := range all {
		for verb := range f.Actions {
			if !slices.Contains(actions, verb) {
				return nil, fmt.Errorf("schema fragment has actions %q; they are %s", verb, strings.Join(actions, ", "))
			}
		}
		for _, s := range f.Steps {
			if err := appendTo(defs, "step", "oneOf", s); err != nil {
				return nil, err
			}
		}
	}
	for _, verb := range actions {
		var parts []*part
		for _, f := range all {
			if p := f.Actions[verb]; p != nil {
				parts = append(parts, p)
			}
		}
		var err error
		if verb == "connect" || verb == "listen" {
			err = buildStep(defs, verb, parts)
		} else {
			err = addUnion(defs, verb, parts)
		}
		if err != nil {
			return nil, err
		}
	}
	return doc, nil
}

// actions are the keys of a fragment's actions.
var actions = []string{"connect", "listen", "send", "expect", "fetch"}

// addUnion adds the parts' shapes to the definition name (send, expect,
// fetch), once each, and their about to its description.
func addUnion(defs map[string]any, name string, parts []*part) error {
	for _, p := range parts {
		if len(p.Schemes)+len(p.Options)+len(p.Rules) > 0 {
			return fmt.Errorf("schema fragment gives %s schemes, options or rules: only connect and listen take them", name)
		}
		for _, s := range p.AnyOf {
			if err := appendTo(defs, name, "anyOf", s); err != nil {
				return err
			}
		}
		def, _ := defs[name].(map[string]any)
		addDescription(def, p.About)
	}
	return nil
}
