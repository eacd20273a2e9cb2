package ftp_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/ftp"
)

// TestHashOnlyWhenRead: a download is hashed when an expression reads its
// sha256 (its own assert, steps.ID.sha256 later, the result used whole),
// and not otherwise: sha256 is then empty, absent from the JSON result,
// and the transcript shows no hash.
func TestHashOnlyWhenRead(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", (3<<20)/16) + "tail" // through the pipeline
	small := "small file\n"
	retr := func(data string) steptest.Act {
		return transfer("RETR f", send(data), "226 Transfer complete\r\n")
	}
	addr := steptest.Serve(t, nil, login(),
		retr(big), retr(big), retr(small), retr(big), retr(small), retr(""), retr(small),
		quit(),
	)
	dir := t.TempDir()
	res := harness(t).Run(dir, `
name: hash when read
steps:
  - connect: ftp://ADDR
  - fetch: { path: f, to: a.bin }
    assert: result.size == LENGTH
  - fetch: { path: f, to: b.bin }
    assert: result.sha256 == "SUM"
  - fetch: f
    id: mem
  - fetch: { path: f, to: c.bin }
    save: { whole: result }
  - fetch: f
    assert: result.text == "SMALL"
  - fetch: f
    assert: result.sha256 == sha256("") && result.sha256 != ""
  - fetch: f
    id: later
  - assert: [steps.mem.sha256 == sha256("SMALL"), whole.sha256 == "SUM", steps.later.text == "SMALL"]
  - close: true
`, "ADDR", addr, "LENGTH", itoa(len(big)), "SUM", sum(big), "SMALL", strings.TrimSuffix(small, "\n")+`\n`)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed,
		engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
	want := map[int]string{2: "", 3: sum(big), 4: sum(small), 5: sum(big), 6: "", 7: sum(""), 8: ""}
	for i := 2; i <= 8; i++ {
		r, ok := res.Steps[i-1].Result.(ftp.FileResult)
		if !ok {
			t.Fatalf("step %d: result %T", i, res.Steps[i-1].Result)
		}
		if r.SHA256 != want[i] {
			t.Errorf("step %d: sha256 %q, want %q", i, r.SHA256, want[i])
		}
		js, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		tr := steptest.Transcript(res, i)
		if want[i] == "" {
			if strings.Contains(string(js), "sha256") || strings.Contains(tr, "sha256") {
				t.Errorf("step %d: not read, yet shown:\n%s\n%s", i, js, tr)
			}
			if !strings.Contains(tr, "* received ") {
				t.Errorf("step %d: transcript lacks what was received:\n%s", i, tr)
			}
			continue
		}
		if !strings.Contains(string(js), `"sha256":"`+want[i]+`"`) || !strings.Contains(tr, "sha256 "+want[i]) {
			t.Errorf("step %d: read, yet not shown:\n%s\n%s", i, js, tr)
		}
	}
	for _, f := range []string{"a.bin", "b.bin", "c.bin"} {
		if got, err := os.ReadFile(filepath.Join(dir, f)); err != nil || string(got) != big {
			t.Errorf("%s: %d bytes, %v", f, len(got), err)
		}
	}
}

// TestUploadHashOnlyWhenRead: an upload's sha256, like a download's, is
// computed only when an expression reads it.
func TestUploadHashOnlyWhenRead(t *testing.T) {
	var a, b string
	addr := steptest.Serve(t, nil, login(),
		transfer("STOR a", receive(&a), "226 Stored\r\n"),
		transfer("STOR b", receive(&b), "226 Stored\r\n"),
		quit(),
	)
	res := harness(t).Run(t.TempDir(), `
name: upload hash when read
steps:
  - connect: ftp://ADDR
  - send: { upload: { content: first, to: a } }
    assert: result.size == 5
  - send: { upload: { content: second, to: b } }
    id: b
  - assert: steps.b.sha256 == sha256("second")
  - close: true
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
	if a != "first" || b != "second" {
		t.Errorf("stored %q and %q", a, b)
	}
	ra, rb := res.Steps[1].Result.(ftp.SendResult), res.Steps[2].Result.(ftp.SendResult)
	if ra.SHA256 != "" || rb.SHA256 != sum("second") {
		t.Errorf("sha256 %q and %q", ra.SHA256, rb.SHA256)
	}
	if tr := steptest.Transcript(res, 2); strings.Contains(tr, "sha256") || !strings.Contains(tr, "* sent 5 bytes") {
		t.Errorf("transcript of an upload not hashed:\n%s", tr)
	}
	if tr := steptest.Transcript(res, 3); !strings.Contains(tr, "* sent 6 bytes, sha256 "+sum("second")) {
		t.Errorf("transcript of an upload hashed:\n%s", tr)
	}
}
