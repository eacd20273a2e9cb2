package pop3

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// TestSchemaKeys checks pop3's schema fragment against the structs its
// steps are decoded into.
func TestSchemaKeys(t *testing.T) {
	f := schematest.New(t, schemaJSON)
	f.Options("connect", netconn.Options{})
	f.Definition("pop3Auth", netconn.Auth{})
	f.Definition("pop3Send", sendSpec{})
	f.Definition("pop3ExpectMapping", expectSpec{})
	f.Definition("pop3FetchMapping", fetchSpec{})
}
