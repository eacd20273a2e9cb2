package smtp

import _ "embed" // for schema.json

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema fragment of smtp steps (engine.SchemaFragment).
// Its definitions may refer to those of the shared packages (steps/all's
// Schemas).
func (Plugin) Schema() []byte { return schemaJSON }
