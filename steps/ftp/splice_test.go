package ftp_test

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// reset sends part, then resets the connection (RST).
func reset(part string) dataFunc {
	return func(c net.Conn) error {
		if _, err := io.WriteString(c, part); err != nil {
			return err
		}
		_ = c.(*net.TCPConn).SetLinger(0)
		return c.Close()
	}
}

// TestDownloadToFileUnhashed: a download to a file whose sha256 nothing
// reads goes from the socket to the file in the kernel (splice) past its
// first 64 KiB; its cap, its stalls and a reset are seen as when netrun
// reads the bytes itself (in memory, or hashed).
func TestDownloadToFileUnhashed(t *testing.T) {
	part := strings.Repeat("y", 200<<10)
	for _, tc := range []struct {
		name, steps string
		data        dataFunc
		final       string
		want        engine.Status
		msg         string
		// broken: the connection is broken after the step: no QUIT.
		broken bool
	}{
		{"exactly the cap", "  - fetch: { path: f, to: out/f, max_size: 256KiB }\n    assert: result.size == 262144 && result.text == ''\n",
			send(strings.Repeat("z", 256<<10)), "226 ok\r\n", engine.Passed, "", false},
		{"over the cap", "  - fetch: { path: f, to: out/f, max_size: 256KiB }\n",
			endless("x"), "426 aborted\r\n", engine.Errored, "RETR f: the file is larger than max_size (256 KiB); netrun stopped reading it", false},
		{"over the cap, hashed", "  - fetch: { path: f, to: out/f, max_size: 256KiB }\n    assert: result.sha256 != ''\n",
			endless("x"), "426 aborted\r\n", engine.Errored, "RETR f: the file is larger than max_size (256 KiB); netrun stopped reading it", false},
		{"stall", "  - fetch: { path: f, to: out/f }\n    timeout: 300ms\n",
			stall(part), "426 aborted\r\n", engine.Failed, "RETR f: the data connection stalled: 200 KiB received, then nothing until the step's timeout", true},
		{"stall, hashed", "  - fetch: { path: f, to: out/f }\n    timeout: 300ms\n    assert: result.sha256 != ''\n",
			stall(part), "426 aborted\r\n", engine.Failed, "RETR f: the data connection stalled: 200 KiB received, then nothing until the step's timeout", true},
		{"reset", "  - fetch: { path: f, to: out/f }\n",
			reset(part + part), "426 aborted\r\n", engine.Failed, "RETR f: the server answered 426 aborted", false},
		{"reset, hashed", "  - fetch: { path: f, to: out/f }\n    assert: result.sha256 != ''\n",
			reset(part + part), "426 aborted\r\n", engine.Failed, "RETR f: the server answered 426 aborted", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			end := quit()
			if tc.broken {
				end = steptest.ListenToEnd()
			}
			addr := steptest.Serve(t, nil, login(), transfer("RETR f", tc.data, tc.final), end)
			dir := t.TempDir()
			res := harness(t).Run(dir, "name: splice\nsteps:\n  - connect: ftp://ADDR\n"+tc.steps, "ADDR", addr)
			steptest.Check(t, res, engine.Passed, tc.want)
			if tc.want == engine.Passed {
				if got, err := os.ReadFile(filepath.Join(dir, "out", "f")); err != nil || len(got) != 256<<10 {
					t.Errorf("out/f: %d bytes, %v", len(got), err)
				}
				return
			}
			steptest.Failure(t, res, 2, tc.msg)
			if left, _ := os.ReadDir(filepath.Join(dir, "out")); len(left) > 0 {
				t.Errorf("files left after a failed download: %v", left)
			}
		})
	}
}
