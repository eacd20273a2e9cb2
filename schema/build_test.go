package schema_test

import (
	"testing"

	"github.com/netrunhq/netrun/schema"
)

// assembled builds the schema of every plugin of this build, as `netrun
// schema` prints it.
func assembled(t *testing.T) []byte {
	t.Helper()
	out, err := schema.Build(registry(t))
	if err != nil {
		t.Fatal(err)
	}
	return out
}
