package schema

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestIndent checks that indent writes what decodes back to the value,
// spaces only outside strings, keeps < > & and breaks only long values.
func TestIndent(t *testing.T) {
	v := map[string]any{
		"short": []any{1.0, "a,b:c", map[string]any{"q": `say "x, y": \`}},
		"long":  strings.Repeat("<&>", 50),
		"list":  []any{strings.Repeat("x", 60), strings.Repeat("y", 60)},
	}
	var b bytes.Buffer
	if err := indent(&b, v, 0, 0); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	want := `{
  "list": [
    "` + strings.Repeat("x", 60) + `",
    "` + strings.Repeat("y", 60) + `"
  ],
  "long": "` + strings.Repeat("<&>", 50) + `",
  "short": [1, "a,b:c", {"q": "say \"x, y\": \\"}]
}`
	if out != want {
		t.Errorf("indent wrote\n%s\nwant\n%s", out, want)
	}
	var back any
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || !reflect.DeepEqual(back, v) {
		t.Errorf("does not decode back: %v", err)
	}
}
