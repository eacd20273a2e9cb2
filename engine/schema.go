package engine

import (
	_ "embed" // for the engine's schema fragment
)

// SchemaFragment is implemented by a plugin that describes the YAML it
// takes in JSON Schema. Schema returns its fragment, which package schema
// assembles with the others into the scenario schema (`netrun schema`).
// The engine never reads it; the format of a fragment is documented in
// package schema.
type SchemaFragment interface {
	Schema() []byte
}

//go:embed schema.json
var schemaJSON []byte

// Schema returns the engine's own schema fragment: the file's top level,
// the keys every step takes (common), the steps that no plugin owns and the
// skeletons of the others. The caller must not change it.
func Schema() []byte { return schemaJSON }
