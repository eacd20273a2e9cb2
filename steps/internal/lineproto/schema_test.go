package lineproto

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
)

// TestSchemaKeys checks the reply expect's schema against Expect.
func TestSchemaKeys(t *testing.T) {
	schematest.New(t, Schema()).Definition("replyExpectMapping", Expect{})
}
