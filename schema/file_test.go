package schema_test

import (
	"bytes"
	"os"
	"testing"
)

// TestFileIsCurrent checks that scenario.schema.json, the file editors
// point at, is what `netrun schema` prints: go generate ./schema writes it.
func TestFileIsCurrent(t *testing.T) {
	data, err := os.ReadFile("scenario.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, assembled(t)) {
		t.Error("scenario.schema.json is not what the fragments assemble: run go generate ./schema")
	}
}
