package program

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
)

// TestSchemaKeys checks the program plugin's schema fragment against the
// structs its steps are decoded into.
func TestSchemaKeys(t *testing.T) {
	f := schematest.New(t, schemaJSON)
	f.Definition("spawnMapping", spawnConfig{})
	f.Definition("spawnReady", readyConfig{})
	f.Definition("programExpect", expectConfig{})
	f.Definition("programSend", sendConfig{})
	f.Exempt("a step shape: package schema's TestStepShapes checks it", "spawnStep")
}
