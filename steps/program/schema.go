package program

import (
	_ "embed" // for the schema fragment

	"github.com/netrunhq/netrun/steps/internal/wire"
)

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema fragments of spawn and expect on programs: those
// of the shared packages it uses, then its own (engine.SchemaFragment).
func (Plugin) Schema() [][]byte {
	return [][]byte{wire.Schema(), schemaJSON}
}
