package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// fragment is one fragment's envelope; the schemas inside are generic JSON.
type fragment struct {
	Top         map[string]any `json:"top"`
	Definitions map[string]any `json:"definitions"`
	Connect     *stepPart      `json:"connect"`
	Listen      *stepPart      `json:"listen"`
	Send        *union         `json:"send"`
	Expect      *union         `json:"expect"`
	Fetch       *union         `json:"fetch"`
	Steps       []any          `json:"steps"`
}

// union is a fragment's part of an action whose shape depends on the
// protocol.
type union struct {
	About string `json:"about"`
	AnyOf []any  `json:"anyOf"`
}

// stepPart is a fragment's part of a step that opens a URL.
type stepPart struct {
	About   string                    `json:"about"`
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
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode the schema: %w", err)
	}
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
		for _, u := range []struct {
			name string
			u    *union
		}{{"send", f.Send}, {"expect", f.Expect}, {"fetch", f.Fetch}} {
			if err := addUnion(defs, u.name, u.u); err != nil {
				return nil, err
			}
		}
		for _, s := range f.Steps {
			if err := appendTo(defs, "step", "oneOf", s); err != nil {
				return nil, err
			}
		}
	}
	for _, verb := range []string{"connect", "listen"} {
		var parts []*stepPart
		for _, f := range all {
			if p := map[string]*stepPart{"connect": f.Connect, "listen": f.Listen}[verb]; p != nil {
				parts = append(parts, p)
			}
		}
		if err := buildStep(defs, verb, parts); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

// addUnion adds u's shapes to the definition name, once each, and its
// about to the definition's description.
func addUnion(defs map[string]any, name string, u *union) error {
	if u == nil {
		return nil
	}
	for _, s := range u.AnyOf {
		if err := appendTo(defs, name, "anyOf", s); err != nil {
			return err
		}
	}
	if u.About != "" {
		def, _ := defs[name].(map[string]any)
		addDescription(def, u.About)
	}
	return nil
}

// appendTo appends v to the list key of the definition name, unless the
// list holds it already.
func appendTo(defs map[string]any, name, key string, v any) error {
	def, ok := defs[name].(map[string]any)
	if !ok {
		return fmt.Errorf("schema fragments add to %s, which no fragment defines", name)
	}
	list, _ := def[key].([]any)
	for _, e := range list {
		if reflect.DeepEqual(e, v) {
			return nil
		}
	}
	def[key] = append(list, v)
	return nil
}

// addDescription appends text to the description of schema s.
func addDescription(s map[string]any, text string) {
	if s == nil || text == "" {
		return
	}
	if d, _ := s["description"].(string); d != "" {
		text = d + " " + text
	}
	s["description"] = text
}

// checkRefs reports a local $ref in v that does not resolve in doc.
func checkRefs(doc map[string]any, v any) error {
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok {
			if !strings.HasPrefix(ref, "#/") || Pointer(doc, ref) == nil {
				return fmt.Errorf("schema $ref %s does not resolve", ref)
			}
		}
		for _, e := range x {
			if err := checkRefs(doc, e); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if err := checkRefs(doc, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// Pointer resolves a local JSON pointer such as #/definitions/step in doc,
// or returns nil.
func Pointer(doc any, ref string) any {
	v := doc
	for _, p := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		if v, ok = m[strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")]; !ok {
			return nil
		}
	}
	return v
}
