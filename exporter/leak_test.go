package exporter

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestProbeDeadlineClosesConnections: a peer that never answers; the
// probe ends at its deadline (the scrape timeout less the margin), fails,
// and its connection is closed.
func TestProbeDeadlineClosesConnections(t *testing.T) {
	echo := newEcho(t, true)
	srv := newServer(t, echoConfig)
	_, body := get(t, srv.URL+"/probe?module=echo&target="+echo.ln.Addr().String(), map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "1.5"})
	if !strings.Contains(body, "netrun_probe_success 0") || !strings.Contains(body, `netrun_step_success{index="1",step="conn"} 1`) ||
		!strings.Contains(body, `netrun_step_success{index="3",step="echoed"} 0`) {
		t.Fatalf("probe past its deadline:\n%s", body)
	}
	// Released, the server reads: it sees the end of a connection that the
	// exporter closed, and would block reading one left open.
	close(echo.hold)
	select {
	case <-echo.closed:
	case <-time.After(time.Minute):
		t.Fatal("the probe left its connection open")
	}
}

// TestProbeEndsPrograms: a program a module's scenario started is ended
// when the probe ends.
func TestProbeEndsPrograms(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("testdata/spawn.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "spawn.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	pidfile := filepath.Join(dir, "pid")
	body := "modules:\n  spawn:\n    scenario: " + filepath.Join(dir, "spawn.yaml") + "\n    vars: { pidfile: " + pidfile + " }\n"
	srv := newServer(t, body)
	_, out := get(t, srv.URL+"/probe?module=spawn&target=x", nil)
	if !strings.Contains(out, "netrun_probe_success 1") {
		t.Fatalf("probe:\n%s", out)
	}
	raw, err := os.ReadFile(pidfile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	// Reaped by the exporter: the process is gone, not a zombie.
	if err := syscall.Kill(pid, 0); err == nil {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		t.Fatalf("program %d still runs after the probe", pid)
	}
}
