package daytime

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
)

func TestSchemaKeys(t *testing.T) {
	schematest.New(t, schemaJSON).Options("connect", options{})
}
