// Package integration runs the example scenarios against real servers
// (Postfix + Dovecot, vsftpd, INN) that test/realservers starts. CI starts them and
// sets NETRUN_REALSERVERS_UP; these tests then fail, never skip, when a
// scenario does not pass.
package integration

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/all"
)

// requireServers skips when the real servers of kind are not up, unless CI
// is set: then their absence is a failure.
func requireServers(t *testing.T, kind string) {
	t.Helper()
	up := os.Getenv("NETRUN_REALSERVERS_UP")
	for _, k := range strings.Split(up, ",") {
		if k == kind {
			return
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but the real %s servers are not up: run test/realservers/%s-up.sh and export what it prints", kind, kind)
	}
	t.Skipf("real %s servers not started (test/realservers/%s-up.sh); CI runs this test", kind, kind)
}

// registry serves every protocol of this build, as the CLI does.
func registry(t *testing.T) *engine.Registry {
	t.Helper()
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// run loads and runs a scenario, logs its steps and returns the result.
func run(t *testing.T, name string, src []byte) *engine.ScenarioResult {
	t.Helper()
	var sc *engine.Scenario
	var err error
	if src == nil {
		sc, err = engine.LoadFile(name, registry(t), engine.LoadOptions{})
	} else {
		sc, err = engine.LoadBytes(name, src, registry(t), engine.LoadOptions{})
	}
	if err != nil {
		t.Fatal(err)
	}
	res := engine.Run(context.Background(), sc, engine.RunOptions{})
	for _, st := range res.Steps {
		t.Logf("%s %s %s", st.Status, st.Name, st.Duration)
		if st.Failure != nil && st.Status != engine.Skipped {
			t.Logf("  %s", st.Failure.Message)
		}
	}
	return res
}

// runScenario runs a file of scenarios/, unchanged, and fails the test
// unless it passes.
func runScenario(t *testing.T, file string) *engine.ScenarioResult {
	t.Helper()
	res := run(t, filepath.Join("..", "..", "scenarios", file), nil)
	if res.Status != engine.Passed {
		t.Fatalf("%s against the real servers: %s", file, res.Status)
	}
	return res
}

// wrongPassword runs src, whose first step logs in with the secret canary
// as its password, and checks that the login fails with the server's code
// and that the canary shows nowhere in the step.
func wrongPassword(t *testing.T, src, canary, code string) {
	t.Helper()
	st := run(t, "wrong.yaml", []byte(src)).Steps[0]
	if st.Status == engine.Passed || st.Failure == nil {
		t.Fatalf("login with a wrong password passed: %+v", st)
	}
	if !strings.Contains(st.Failure.Message, code) {
		t.Errorf("failure %q does not show the server's %s", st.Failure.Message, code)
	}
	for _, l := range st.Transcript {
		if strings.Contains(l.Text, canary) {
			t.Errorf("password in transcript: %q", l.Text)
		}
	}
}
