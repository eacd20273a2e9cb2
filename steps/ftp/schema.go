package ftp

import (
	_ "embed" // for the schema fragment

	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
)

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema fragments of ftp steps: those
// of the shared packages it uses, then its own (engine.SchemaFragment).
func (Plugin) Schema() [][]byte {
	return [][]byte{tlsconf.Schema(), netconn.Schema(), lineproto.Schema(), schemaJSON}
}
