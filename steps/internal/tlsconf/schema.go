package tlsconf

import (
	_ "embed" // for the schema fragment
)

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema fragment of the TLS options (tls, starttls, tls_mode), for package
// schema to assemble (see engine.SchemaFragment). The caller must not
// change it.
func Schema() []byte { return schemaJSON }
