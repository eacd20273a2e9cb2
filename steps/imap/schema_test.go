package imap

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// TestSchemaKeys checks imap's schema fragment against the structs its
// steps are decoded into.
func TestSchemaKeys(t *testing.T) {
	f := schematest.New(t, schemaJSON)
	f.Options("connect", netconn.Options{})
	f.Definition("imapAuth", netconn.Auth{})
	f.Definition("imapSend", sendSpec{})
	f.Definition("imapAppend", appendSpec{})
	f.Definition("imapDeleteMapping", deleteSpec{})
	f.Definition("imapMove", moveSpec{})
	f.Definition("imapStore", storeSpec{})
	f.Definition("imapFetchMapping", fetchSpec{})
	f.Definition("imapSearch", searchSpec{})
}
