package netconn

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
)

// TestSchemaKeys checks the base of auth against Auth.
func TestSchemaKeys(t *testing.T) {
	schematest.New(t, Schema()).Within("auth", Auth{})
}
