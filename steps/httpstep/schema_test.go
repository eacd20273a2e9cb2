package httpstep

import (
	"testing"

	"github.com/netrunhq/netrun/internal/schematest"
	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// TestSchemaKeys checks http's schema fragment against the structs its
// steps are decoded into.
func TestSchemaKeys(t *testing.T) {
	f := schematest.New(t, schemaJSON)
	f.Options("connect", options{})
	f.Definition("httpAuth", netconn.Auth{})
	f.Definition("httpSend", sendSpec{})
	f.Definition("httpFetchMapping", fetchSpec{})
	f.Definition("httpRespond", respondSpec{})
	f.Options("listen", listenOptions{})
}
