package schema

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// The helpers below work on schemas decoded as generic JSON.

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

// addDescription appends text to the description of schema s, unless it
// holds that text already (two plugins may say the same).
func addDescription(s map[string]any, text string) {
	d, _ := s["description"].(string)
	if s == nil || text == "" || strings.Contains(d, text) {
		return
	}
	if d != "" {
		text = d + " " + text
	}
	s["description"] = text
}

// checkRefs reports a local $ref under v that does not resolve in doc.
func checkRefs(doc map[string]any, v any) error {
	return eachObject(v, func(x map[string]any) error {
		ref, ok := x["$ref"].(string)
		if ok && (!strings.HasPrefix(ref, "#/") || Pointer(doc, ref) == nil) {
			return fmt.Errorf("schema $ref %s does not resolve", ref)
		}
		return nil
	})
}

// eachObject calls visit on every JSON object under v, v included, and
// stops at the first error.
func eachObject(v any, visit func(map[string]any) error) error {
	var children []any
	switch x := v.(type) {
	case map[string]any:
		if err := visit(x); err != nil {
			return err
		}
		children = slices.Collect(maps.Values(x))
	case []any:
		children = x
	}
	for _, c := range children {
		if err := eachObject(c, visit); err != nil {
			return err
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

// withoutDescription returns a copy of schema s without its description.
func withoutDescription(s map[string]any) map[string]any {
	s = maps.Clone(s)
	delete(s, "description")
	return s
}

// appendOnce appends v to list unless list holds it already.
func appendOnce(list []any, v any) []any {
	for _, e := range list {
		if reflect.DeepEqual(e, v) {
			return list
		}
	}
	return append(list, v)
}
