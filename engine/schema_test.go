package engine

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
)

// TestSchemaKeys checks the engine's schema fragment against the structs
// the loader decodes the file, the common keys and retry into.
func TestSchemaKeys(t *testing.T) {
	f := schematest.New(t, Schema())
	f.At("top", fileKeys{})
	f.At("top/properties/metrics/items", Metric{})
	f.Definition("common", commonKeys{})
	f.Definition("retry", retryKeys{})
	f.Within("defaults", commonKeys{})
	f.At("definitions/parallelStep/properties/parallel", parallelKeys{})
	f.Exempt("step shapes: package schema's TestStepShapes checks them",
		"connectStep", "listenStep", "acceptStep", "sendStep", "expectStep", "fetchStep",
		"assertStep", "closeStep", "sleepStep", "parallelStep")
}
