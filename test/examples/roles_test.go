// Package examples runs shipped example scenarios that need no server but
// netrun itself and its sandbox, so that they keep working as the code
// changes.
package examples

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/sandbox"
	"github.com/netrunhq/netrun/steps/all"
)

// TestServerRoleExamples runs the examples of netrun's server roles (ws,
// http and tls listeners) and of writing to a program's stdin: each must
// pass, every step of it.
func TestServerRoleExamples(t *testing.T) {
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ws_server.yaml", "http_server.yaml", "tls_server_cert.yaml", "program_stdin.yaml"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sc, err := engine.LoadFile(filepath.Join("..", "..", "scenarios", name), reg, engine.LoadOptions{Services: sandbox.Names()})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			sb := sandbox.New(sandbox.Options{})
			t.Cleanup(func() { _ = sb.Close() })
			res := engine.Run(ctx, sc, engine.RunOptions{Ports: engine.NewPorts(), Sandbox: sb})
			if res.Status != engine.Passed {
				for _, st := range res.Steps {
					if st.Failure != nil {
						t.Logf("%s %s: %s", st.Status, st.Name, st.Failure.Message)
					}
				}
				t.Fatalf("%s: %s", name, res.Status)
			}
		})
	}
}
