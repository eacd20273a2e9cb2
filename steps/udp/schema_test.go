package udp

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
)

// TestSchemaKeys checks the options of udp connect steps against the
// struct they are decoded into (listen takes them but resend, which the
// loader refuses there).
func TestSchemaKeys(t *testing.T) {
	schematest.New(t, schemaJSON).Options("connect", options{})
}
