package tlsconf

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
)

// TestSchemaKeys checks the TLS options' schema against Options.
func TestSchemaKeys(t *testing.T) {
	f := schematest.New(t, Schema())
	f.Within("tlsClient", Options{})
	f.Definition("tlsGenerate", Generate{})
	f.Within("tlsServer", Options{})
	f.Within("implicitTLS", Mode{})
}
