package exporter

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/steps/all"
)

var update = flag.Bool("update", false, "rewrite testdata/config_errors.golden")

// TestConfigErrors: exporter.yaml is decoded strictly; every error is
// file:line:col with a did-you-mean for a misspelt key (golden file).
func TestConfigErrors(t *testing.T) {
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, body string }{
		{"misspelt key", "modules:\n  echo:\n    scenario: echo.yaml\n    max_concurent: 2\n"},
		{"top-level key", "modul:\n  echo:\n    scenario: echo.yaml\n"},
		{"no modules", "modules: {}\n"},
		{"modules as a list", "modules:\n  - echo\n"},
		{"no scenario", "modules:\n  echo:\n    timeout: 5s\n"},
		{"bad timeout", "modules:\n  echo:\n    scenario: echo.yaml\n    timeout: soon\n"},
		{"unset secret", "modules:\n  echo:\n    scenario: echo.yaml\n    secret_env: [NOT_SET_ANYWHERE]\n"},
		{"wrong type", "modules:\n  echo:\n    scenario: echo.yaml\n    max_concurrent: many\n"},
		{"no target var", "modules:\n  echo:\n    scenario: echo.yaml\n    target_var: host\n"},
		{"undeclared var", "modules:\n  echo:\n    scenario: echo.yaml\n    vars: { port: '7' }\n"},
		{"missing scenario", "modules:\n  echo:\n    scenario: nowhere.yaml\n"},
	}
	var got strings.Builder
	for _, c := range cases {
		p := writeConfig(t, c.body)
		_, err := LoadConfig(p, reg, nil, env)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		dir := strings.TrimSuffix(p, "exporter.yaml")
		got.WriteString("# " + c.name + "\n" + strings.ReplaceAll(err.Error(), dir, "") + "\n\n")
	}
	const golden = "testdata/config_errors.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("errors differ from %s:\n%s", golden, got.String())
	}
}
