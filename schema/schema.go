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
// The engine owns the top level, the common step keys and the steps no
// plugin owns (engine.Schema); each plugin owns its fragment
// (engine.SchemaFragment, steps/PLUGIN/schema.json), and each package that
// plugins share owns the definitions of its Go structs (steps/internal/*,
// given by steps/all's Schemas). A fragment is a JSON object with any of:
//
//   - "top": the schema's top level (the engine's fragment only).
//   - "definitions": named schemas, merged into the whole; a name given by
//     two fragments must be given the same schema.
//   - "steps": step shapes added to the definition step's oneOf (spawn).
//   - "actions": the fragment's part of each action, by verb:
//   - send, expect, fetch: {"about", "anyOf"}: the shapes the plugin's
//     connections take, added (once each) to the definition of the same
//     name; about is added to its description.
//   - connect, listen: {"about", "schemes", "options", "rules"}. schemes
//     maps each URL scheme the plugin opens to the step keys (options) it
//     takes besides the common ones; options gives the schema of each
//     option key (a key given by two fragments must have the same schema
//     but for its description; the descriptions are joined); rules are
//     if/then conditions added to the step's allOf. A rule with "schemes"
//     holds when the URL has one of them: its "if" (optional) is completed
//     with that test, and rules with the same if and then are joined.
//
// The assembler gives the URL key its pattern (one of the schemes), and to
// each option a rule that refuses it on the schemes that do not take it.
// Each package's TestSchemaKeys checks its fragment's keys against its Go
// structs by reflection (internal/schematest).
package schema

//go:generate sh -c "go run ../cmd/netrun schema > scenario.schema.json"

import (
	"slices"

	"github.com/netrunhq/netrun/engine"
)

// Build assembles the scenario schema from the engine's fragment, shared
// (the fragments of packages that plugins share, whose definitions theirs
// refer to) and the fragment of every plugin of reg that has one
// (engine.SchemaFragment), in the order of their schemes' names. The
// result is indented JSON.
func Build(reg *engine.Registry, shared ...[]byte) ([]byte, error) {
	frags := append([][]byte{engine.Schema()}, shared...)
	schemes := reg.Schemes()
	slices.Sort(schemes)
	for _, s := range schemes {
		p, _ := reg.Plugin(s)
		if f, ok := p.(engine.SchemaFragment); ok {
			frags = append(frags, f.Schema())
		}
	}
	return Assemble(frags...)
}
