package nntp

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// TestSchemaKeys checks nntp's schema fragment against the structs its
// steps are decoded into.
func TestSchemaKeys(t *testing.T) {
	f := schematest.New(t, schemaJSON)
	f.Options("connect", netconn.Options{})
	f.Definition("nntpAuth", netconn.Auth{})
	f.Definition("nntpSend", sendSpec{})
	f.Definition("nntpPost", postSpec{})
	f.Definition("nntpFetch", fetchSpec{})
	f.Definition("nntpOverview", overviewSpec{})
}
