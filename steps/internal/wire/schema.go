package wire

import _ "embed" // for schema.json

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema fragment of payloads, stream expect and the stream options,
// whose definitions plugin fragments refer to (see package schema). The
// caller must not change it.
func Schema() []byte { return schemaJSON }
