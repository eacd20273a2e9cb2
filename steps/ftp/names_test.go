package ftp_test

import (
	"net"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/ftp"
)

// TestNames lists names with NLST: the lines as the server sends them,
// empty ones dropped, the current directory for "".
func TestNames(t *testing.T) {
	addr := steptest.Serve(t, nil, login(),
		transfer("NLST pub", send("pub/README\r\npub/sub dir\r\n\r\npub/中文.txt\r\n"), "226 Transfer complete\r\n"),
		transfer("NLST", send("a\nb\n"), "226 Transfer complete\r\n"),
		refusedTransfer("NLST gone", "450 No such directory\r\n"),
		quit(),
	)
	res := harness(t).Run("", `
name: names
steps:
  - connect: ftp://ADDR
  - fetch: { names: pub }
    assert:
      - result.names == ["pub/README", "pub/sub dir", "pub/中文.txt"]
      - result.path == "pub"
      - result.reply.code == 226
  - fetch: { names: '' }
    assert: result.names == ["a", "b"]
  - fetch: { names: gone }
    continue: true
  - close: true
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Failed, engine.Passed)
	if _, ok := res.Steps[1].Result.(ftp.NamesResult); !ok {
		t.Errorf("fetch: { names } gives a %T", res.Steps[1].Result)
	}
	if msg := res.Steps[3].Failure.Message; !strings.Contains(msg, "NLST gone") || !strings.Contains(msg, "450") {
		t.Errorf("failure: %s", msg)
	}
}

// refusedTransfer is EPSV, then cmd refused with reply.
func refusedTransfer(cmd, reply string) steptest.Act {
	var ln net.Listener
	return steptest.Seq(passive(&ln), func(p *steptest.Peer) error {
		defer ln.Close()
		return steptest.Dialogue(cmd, reply)(p)
	})
}

// TestNamesMaxSize stops reading a name list over max_size.
func TestNamesMaxSize(t *testing.T) {
	addr := steptest.Serve(t, nil, login(),
		transfer("NLST", send(strings.Repeat("a-long-name.txt\r\n", 200)), "226 Transfer complete\r\n"),
	)
	res := harness(t).Run("", `
name: names
steps:
  - connect: ftp://ADDR
  - fetch: { names: '', max_size: 1KiB }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Errored)
	if msg := res.Steps[1].Failure.Message; !strings.Contains(msg, "larger than max_size (1 KiB)") {
		t.Errorf("failure: %s", msg)
	}
}

// TestNamesSandbox lists names on the sandbox after an upload.
func TestNamesSandbox(t *testing.T) {
	sb := sandboxAddrs(t)
	res := harness(t).Run("", `
name: names
steps:
  - connect: ftp://ADDR
    auth: { user: alice, password: secret }
  - send: { mkdir: nl }
  - send: { upload: { content: hello, to: nl/a.txt } }
  - send: { upload: { content: hello, to: nl/b c.txt } }
  - fetch: { names: nl }
    assert: sort(result.names) == ["nl/a.txt", "nl/b c.txt"]
`, "ADDR", sb.ftp)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
}

func TestNamesLoadErrors(t *testing.T) {
	errs := harness(t).LoadErrors(`
name: bad
steps:
  - connect: ftp://127.0.0.1:21
  - fetch: { names: a, to: b }
  - fetch: { names: a, max_size: lots }
`)
	want := []string{`test.yaml:5:28: to is for downloads (path), not for names`, `test.yaml:6:34: max_size: "lots" is not a size`}
	if len(errs) != len(want) {
		t.Fatalf("errors:\n%s", strings.Join(errs, "\n"))
	}
	for i, w := range want {
		if !strings.Contains(errs[i], w) {
			t.Errorf("error %d %q does not contain %q", i+1, errs[i], w)
		}
	}
}
