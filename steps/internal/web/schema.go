package web

import _ "embed" // for schema.json

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema fragment of the header fields that
// Options.Headers and the plugins' requests and answers take
// (httpHeaders), whose definition plugin fragments refer to (see package
// schema). The caller must not change it.
func Schema() []byte { return schemaJSON }
