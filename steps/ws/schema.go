package ws

import (
	_ "embed" // for the schema fragment

	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema fragments of ws steps: those
// of the shared packages it uses, then its own (engine.SchemaFragment).
func (Plugin) Schema() [][]byte {
	return [][]byte{tlsconf.Schema(), wire.Schema(), schemaJSON}
}
