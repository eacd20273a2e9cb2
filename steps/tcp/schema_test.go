package tcp

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
)

// TestSchemaKeys checks the options of tcp and tls connect and listen
// steps against the struct they are decoded into.
func TestSchemaKeys(t *testing.T) {
	f := schematest.New(t, schemaJSON)
	f.Options("connect", options{})
	f.Options("listen", options{})
}
