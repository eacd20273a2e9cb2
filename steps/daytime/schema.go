package daytime

import _ "embed" // for schema.json

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema fragment of daytime steps
// (engine.SchemaFragment).
func (Plugin) Schema() []byte { return schemaJSON }
