package lineproto

import (
	_ "embed" // for the schema fragment
)

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema fragment of reply codes and the reply expect, for package
// schema to assemble (see engine.SchemaFragment). The caller must not
// change it.
func Schema() []byte { return schemaJSON }
