package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestBadFiles runs every file of testdata/bad through the CLI, as
// `netrun run FILE`: each must exit 2 with exactly the positioned errors
// its `# want: LINE:COL: message` lines give (suggestions included), and
// send nothing. Network URLs of the files point at listeners of this test
// (NETRUN_BAD_ADDR), which must see no connection and no datagram, and a
// program they spawn would write NETRUN_BAD_MARKER, which must not exist.
func TestBadFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "bad", "*.yaml"))
	if err != nil || len(files) < 100 {
		t.Fatalf("%d bad files, want at least 100 (%v)", len(files), err)
	}
	addr, contacts := silentPeers(t)
	marker := filepath.Join(t.TempDir(), "spawned")
	t.Setenv("NETRUN_BAD_ADDR", addr)
	t.Setenv("NETRUN_BAD_MARKER", marker)
	t.Setenv("NO_COLOR", "1")
	// The listeners do see a scenario that is good.
	control := filepath.Join(t.TempDir(), "control.yaml")
	if err := os.WriteFile(control, []byte("name: control\nsteps:\n  - connect: tcp://{{ env(\"NETRUN_BAD_ADDR\") }}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := netrun([]string{"run", control}, &bytes.Buffer{}, &bytes.Buffer{}); code != exitOK {
		t.Fatalf("control scenario: exit %d", code)
	}
	// The listener counts once its Accept returns: wait for it.
	for deadline := time.Now().Add(time.Minute); contacts.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := contacts.Swap(0); n != 1 {
		t.Fatalf("control scenario: %d connections, want 1", n)
	}
	positioned := regexp.MustCompile(`^[^:]+:\d+:\d+: \S`)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			wants := wantLines(data)
			if len(wants) == 0 {
				t.Fatal("no `# want: LINE:COL: message` line")
			}
			var stdout, stderr bytes.Buffer
			if code := netrun([]string{"run", f}, &stdout, &stderr); code != exitInvalid {
				t.Fatalf("exit %d, want %d\n%s%s", code, exitInvalid, stdout.String(), stderr.String())
			}
			got := strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n")
			for _, line := range got {
				if !positioned.MatchString(line) || !strings.HasPrefix(line, f+":") {
					t.Errorf("not positioned in %s: %q", f, line)
				}
			}
			for i, w := range wants {
				if i >= len(got) || got[i] != f+":"+w {
					t.Errorf("error %d: want %q\ngot:\n%s", i+1, f+":"+w, stderr.String())
				}
			}
			if len(got) != len(wants) {
				t.Errorf("%d errors, want %d:\n%s", len(got), len(wants), stderr.String())
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout: %q", stdout.String())
			}
		})
	}
	// All at once, as a folder: the same.
	var stdout, stderr bytes.Buffer
	if code := netrun([]string{"run", "-j", "4", filepath.Join("testdata", "bad")}, &stdout, &stderr); code != exitInvalid {
		t.Errorf("the folder: exit %d, want %d", code, exitInvalid)
	}
	if n := contacts.Load(); n != 0 {
		t.Errorf("the listeners saw %d connections or datagrams; a bad file must send nothing", n)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("a bad file's program was started")
	}
}

// wantLines returns the `# want: ` lines at the top of a file.
func wantLines(data []byte) []string {
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		w, ok := strings.CutPrefix(line, "# want: ")
		if !ok {
			break
		}
		out = append(out, w)
	}
	return out
}

// silentPeers listens on one 127.0.0.1 port for TCP and UDP and counts
// every connection and datagram that arrives.
func silentPeers(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	pc, err := net.ListenPacket("udp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 65536)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil {
				return
			}
			n.Add(1)
		}
	}()
	return l.Addr().String(), &n
}
