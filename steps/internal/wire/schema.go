package wire

import (
	_ "embed" // for the schema fragment
)

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema fragment of payloads, stream expect and the stream options (line_ending, max_buffer), for package
// schema to assemble (see engine.SchemaFragment). The caller must not
// change it.
func Schema() []byte { return schemaJSON }
