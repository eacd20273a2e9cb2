package mailform

import (
	_ "embed" // for the schema fragment
)

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema fragment of the YAML form of a mail, for package
// schema to assemble (see engine.SchemaFragment). The caller must not
// change it.
func Schema() []byte { return schemaJSON }
