package wire

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

func TestTemplates(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string
		err  string
	}{
		{src: "a", want: []string{"a"}},
		{src: "[a, '{{ 1 }}']", want: []string{"a", "{{ 1 }}"}},
		{src: "[a, {b: c}]", err: "usage"},
		{src: "{b: c}", err: "usage"},
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(c.src), &doc); err != nil {
			t.Fatal(err)
		}
		got, err := Templates(doc.Content[0], "usage")
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.src, err, c.err)
			}
			continue
		}
		if err != nil || len(got) != len(c.want) {
			t.Fatalf("%s: %d templates, error %v", c.src, len(got), err)
		}
		for i := range got {
			if got[i].Source() != c.want[i] {
				t.Errorf("%s: item %d is %q, want %q", c.src, i, got[i].Source(), c.want[i])
			}
		}
	}
}
