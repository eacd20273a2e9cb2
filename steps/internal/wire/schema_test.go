package wire

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
)

// TestSchemaKeys checks the payload and expect schemas against the
// structs they are decoded into.
func TestSchemaKeys(t *testing.T) {
	f := schematest.New(t, Schema())
	f.Definition("payload", payloadMap{})
	f.Definition("streamExpectMapping", Expect{})
}
