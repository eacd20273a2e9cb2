package web

import (
	"encoding/json"
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
)

// TestSchemaKeys checks web's fragment: it decodes, and defines
// httpHeaders, the schema of Options.Headers (a map: no keys to check).
func TestSchemaKeys(t *testing.T) {
	schematest.New(t, Schema())
	var doc struct {
		Definitions map[string]json.RawMessage `json:"definitions"`
	}
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Definitions["httpHeaders"] == nil {
		t.Errorf("web's fragment does not define httpHeaders")
	}
}
