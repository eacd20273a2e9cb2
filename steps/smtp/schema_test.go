package smtp

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
)

// TestSchemaKeys checks smtp's schema fragment against the structs its
// steps are decoded into.
func TestSchemaKeys(t *testing.T) {
	f := schematest.New(t, schemaJSON)
	f.Options("connect", options{})
	f.Definition("smtpAuth", authOptions{})
	f.Definition("smtpSend", sendSpec{})
}
