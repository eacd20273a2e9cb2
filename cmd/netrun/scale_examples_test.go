package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/sandbox"
	"go.yaml.in/yaml/v4"
)

// TestScaleOutExamples: the engines' files in examples/ are valid YAML,
// pass the shard as docs/scale-out.md says, and the scenarios of the
// Kubernetes ConfigMap load.
func TestScaleOutExamples(t *testing.T) {
	for file, wants := range map[string][]string{
		"../../examples/ci/github-actions.yml":       {"NETRUN_SHARD: ${{ matrix.shard }}/4", "netrun merge -o merged"},
		"../../examples/ci/gitlab-ci.yml":            {"parallel: 4", "report-$CI_NODE_INDEX.json", "netrun merge -o merged"},
		"../../examples/kubernetes/indexed-job.yaml": {"completionMode: Indexed", "completions: 4", "value: \"4\"", "netrun merge -o"},
	} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range wants {
			if !strings.Contains(string(data), w) {
				t.Errorf("%s lacks %q", file, w)
			}
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc map[string]any
			err := dec.Decode(&doc)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if doc["kind"] != "ConfigMap" {
				continue
			}
			reg, err := registry()
			if err != nil {
				t.Fatal(err)
			}
			for name, src := range doc["data"].(map[string]any) {
				if _, err := engine.LoadBytes(name, []byte(src.(string)), reg, engine.LoadOptions{Services: sandbox.Names()}); err != nil {
					t.Errorf("%s: ConfigMap scenario %s: %v", file, name, err)
				}
			}
		}
	}
}
