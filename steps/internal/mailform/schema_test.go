package mailform

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
)

// TestSchemaKeys checks the mail forms' schemas against their structs.
func TestSchemaKeys(t *testing.T) {
	f := schematest.New(t, Schema())
	f.Definition("mail", Mail{})
	f.Definition("mailMessage", Message{})
	f.Definition("mailAttachment", Attachment{})
}
