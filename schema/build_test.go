package schema_test

import (
	"testing"

	"github.com/netrunhq/netrun/schema"
	"github.com/netrunhq/netrun/steps/all"
)

// assembled builds the schema of every plugin of this build, as `netrun
// schema` prints it.
func assembled(t *testing.T) []byte {
	t.Helper()
	out, err := schema.Build(registry(t), all.Schemas()...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
