package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v4"
)

// TestSchemaCommand checks that `netrun schema` prints a draft-07 schema
// (the compiler checks it against draft-07's meta-schema) that takes a
// scenario and refuses a misspelt key.
func TestSchemaCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := netrun([]string{"schema"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("netrun schema: exit %d, %s", code, stderr.String())
	}
	doc, err := jsonschema.UnmarshalJSON(&stdout)
	if err != nil {
		t.Fatalf("netrun schema prints no JSON: %v", err)
	}
	if top, _ := doc.(map[string]any); top["$schema"] != "http://json-schema.org/draft-07/schema#" {
		t.Errorf("$schema is %v, want draft-07", top["$schema"])
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("scenario.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("scenario.schema.json")
	if err != nil {
		t.Fatalf("netrun schema prints an invalid schema: %v", err)
	}
	good := "name: x\nsteps:\n  - connect: smtp://127.0.0.1:2525\n    starttls: true\n  - send: { command: NOOP }\n"
	if err := sch.Validate(yamlValue(t, good)); err != nil {
		t.Errorf("schema refuses a good scenario: %v", err)
	}
	bad := strings.Replace(good, "starttls", "startls", 1)
	if err := sch.Validate(yamlValue(t, bad)); err == nil {
		t.Error("schema takes a misspelt key")
	}
}

func yamlValue(t *testing.T, src string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(src), &v); err != nil {
		t.Fatal(err)
	}
	return v
}
