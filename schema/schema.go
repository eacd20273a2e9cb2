// Package schema assembles the JSON Schema (draft-07) of netrun scenario
// files from the fragments that the engine and each plugin own
// (engine.SchemaFragment), for `netrun schema`.
//
// Editors use it through yaml-language-server for completion, hovers and
// checks while a scenario is written:
//
//	# yaml-language-server: $schema=../schema/scenario.schema.json
//
// scenario.schema.json is generated (go generate ./schema) and a test
// checks that it is current. The loader in package engine is the authority
// on what a valid file is; the schema describes the same format for editors.
//
// # Fragments
//
// A fragment is a JSON object with any of these keys:
//
//   - "top": the schema's top level (the engine's fragment only).
//   - "definitions": named schemas, merged into the whole; a name given by
//     two fragments must be given the same schema.
//   - "send", "expect", "fetch": {"about", "anyOf"}: the shapes the
//     plugin's connections take for that action, added to the definition of
//     the same name (deduplicated); about is added to its description.
//   - "steps": step shapes added to the definition step's oneOf (spawn).
//   - "connect", "listen": {"about", "schemes", "options", "rules"}. schemes
//     maps each URL scheme the plugin opens to the step keys (options) it
//     takes besides the common ones; options gives the schema of each
//     option key (a key given by two fragments must have the same schema
//     but for its description; the descriptions are joined); rules are
//     if/then conditions added to the step's allOf. A rule with "schemes"
//     holds when the URL has one of them: its "if" (optional) is completed
//     with that test, and rules with the same if and then are joined.
//
// The assembler gives the URL key its pattern (one of the schemes), and
// for each option a rule that refuses it on the schemes that do not take it.
package schema

//go:generate sh -c "go run ../cmd/netrun schema > scenario.schema.json"

import (
	"slices"

	"github.com/netrunhq/netrun/engine"
)

// Build assembles the scenario schema from the engine's fragment and those
// of every plugin of reg that has any (engine.SchemaFragment), in the
// order of their schemes' names. The result is indented JSON.
func Build(reg *engine.Registry) ([]byte, error) {
	frags := [][]byte{engine.Schema()}
	schemes := reg.Schemes()
	slices.Sort(schemes)
	for _, s := range schemes {
		p, _ := reg.Plugin(s)
		if f, ok := p.(engine.SchemaFragment); ok {
			frags = append(frags, f.Schema()...)
		}
	}
	return Assemble(frags...)
}
