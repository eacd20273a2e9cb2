package engine

import (
	_ "embed" // for the engine's schema fragment
)

// SchemaFragment is implemented by a plugin that describes the YAML it
// takes in JSON Schema. Schema returns the fragments that package schema
// assembles into the scenario schema (`netrun schema`): those of the shared
// packages whose forms the plugin takes, then its own. The engine never
// reads them; the format of a fragment is documented in package schema.
type SchemaFragment interface {
	Schema() [][]byte
}

//go:embed schema.json
var schemaJSON []byte

// Schema returns the engine's own schema fragment: the file's top level,
// the keys every step takes (common), the steps that no plugin owns and the
// skeletons of the others. The caller must not change it.
func Schema() []byte { return schemaJSON }
