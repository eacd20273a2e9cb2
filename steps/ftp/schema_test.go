package ftp

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// TestSchemaKeys checks ftp's schema fragment against the structs its
// steps are decoded into.
func TestSchemaKeys(t *testing.T) {
	f := schematest.New(t, schemaJSON)
	f.Options("connect", netconn.Options{})
	f.Definition("ftpAuth", netconn.Auth{})
	f.Definition("ftpSend", sendSpec{})
	f.Definition("ftpUpload", uploadSpec{})
	f.Definition("ftpRename", renameSpec{})
	f.Definition("ftpFetchMapping", fetchSpec{})
}
