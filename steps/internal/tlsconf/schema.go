package tlsconf

import _ "embed" // for schema.json

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema fragment of the TLS options (tls, starttls, tls_mode),
// whose definitions plugin fragments refer to (see package schema). The
// caller must not change it.
func Schema() []byte { return schemaJSON }
