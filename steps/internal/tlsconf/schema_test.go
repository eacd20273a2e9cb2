package tlsconf

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
)

// TestSchemaKeys checks the TLS options' schema against Options.
func TestSchemaKeys(t *testing.T) {
	f := schematest.New(t, Schema())
	f.Definition("tlsClient", Options{})
	f.Within("tlsServer", Options{})
	f.Within("implicitTLS", Mode{})
}
