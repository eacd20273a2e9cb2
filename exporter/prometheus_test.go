package exporter

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPrometheusScrapes runs Debian's Prometheus on a loopback port of
// its own, scraping the exporter through the relabelling that
// blackbox_exporter users write (target → __param_target, __address__ →
// the exporter) with the example alert rules loaded, and reads the series
// back from its HTTP API. Under CI a missing Prometheus is a failure.
func TestPrometheusScrapes(t *testing.T) {
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("prometheus is required under CI: apt-get install -y --no-install-recommends prometheus prometheus-blackbox-exporter")
		}
		t.Skip("prometheus not installed (apt-get install prometheus); CI runs this test")
	}
	echo := newEcho(t, false)
	srv := newServer(t, echoConfig)
	exporterAddr := strings.TrimPrefix(srv.URL, "http://")
	dir := t.TempDir()
	rules, err := os.ReadFile("../examples/exporter/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "alerts.yml"), rules, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := `global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }
rule_files: [alerts.yml]
scrape_configs:
  - job_name: netrun_echo
    metrics_path: /probe
    params: { module: [echo] }
    static_configs: [{ targets: ['` + echo.ln.Addr().String() + `'] }]
    relabel_configs:
      - { source_labels: [__address__], target_label: __param_target }
      - { source_labels: [__param_target], target_label: instance }
      - { target_label: __address__, replacement: '` + exporterAddr + `' }
  - job_name: netrun_exporter
    static_configs: [{ targets: ['` + exporterAddr + `'] }]
`
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	promAddr := freeAddr(t)
	logs, err := os.Create(filepath.Join(dir, "prometheus.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	cmd := exec.Command(bin, "--config.file="+filepath.Join(dir, "prometheus.yml"), "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+promAddr, "--web.console.templates="+dir, "--web.console.libraries="+dir)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	want := map[string]string{
		`netrun_probe_success{job="netrun_echo",instance="` + echo.ln.Addr().String() + `"}`: "1",
		`netrun_step_success{job="netrun_echo",step="echoed",index="3"}`:                     "1",
		`netrun_step_success{job="netrun_echo",step="conn"}`:                                 "1",
		`netrun_exporter_probes_total{job="netrun_exporter",module="echo",result="failure"}`: "0",
	}
	for q, v := range want {
		got := waitQuery(t, promAddr, q, logs.Name())
		if got != v {
			t.Errorf("%s = %s, want %s", q, got, v)
		}
	}
	if got := waitQuery(t, promAddr, `netrun_step_duration_seconds{job="netrun_echo",step="echoed"} >= 0`, logs.Name()); got == "" {
		t.Error("no step duration")
	}
	// The example rules loaded and evaluated.
	resp, err := http.Get("http://" + promAddr + "/api/v1/rules")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rulesDoc bytes.Buffer
	_, _ = rulesDoc.ReadFrom(resp.Body)
	if !strings.Contains(rulesDoc.String(), "NetrunProbeFailing") || strings.Contains(rulesDoc.String(), `"health":"err"`) {
		t.Errorf("rules: %s", rulesDoc.String())
	}
}

// freeAddr is a free loopback address for a server that takes a fixed
// one.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitQuery asks Prometheus for q until it has a sample (the first
// scrapes take a few seconds), and returns its value.
func waitQuery(t *testing.T, addr, q string, logFile string) string {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/api/v1/query?query=" + url.QueryEscape(q))
		if err == nil {
			var doc struct {
				Status string
				Data   struct {
					Result []struct {
						Value [2]any
					}
				}
			}
			err = json.NewDecoder(resp.Body).Decode(&doc)
			resp.Body.Close()
			if err == nil && len(doc.Data.Result) > 0 {
				s, _ := doc.Data.Result[0].Value[1].(string)
				return s
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	logs, _ := os.ReadFile(logFile)
	t.Fatalf("Prometheus has no sample of %s after 90 s; its log:\n%s", q, logs)
	return ""
}
