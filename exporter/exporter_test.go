package exporter

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/netrunhq/netrun/steps/all"
)

const token = "tok-Zq9!x/y+z=="

// echoServer echoes lines; hold makes it wait for a release before it
// answers. It counts connections still open.
type echoServer struct {
	ln      net.Listener
	hold    chan struct{}
	mu      sync.Mutex
	open    int
	closed  chan struct{} // a value per connection closed
	started chan struct{} // a value per connection accepted
}

func newEcho(t *testing.T, hold bool) *echoServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &echoServer{ln: ln, closed: make(chan struct{}, 100), started: make(chan struct{}, 100)}
	if hold {
		s.hold = make(chan struct{})
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.open++
			s.mu.Unlock()
			s.started <- struct{}{}
			go func() {
				defer func() {
					c.Close()
					s.mu.Lock()
					s.open--
					s.mu.Unlock()
					s.closed <- struct{}{}
				}()
				if s.hold != nil {
					<-s.hold
				}
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if _, err := c.Write([]byte(line)); err != nil {
						return
					}
				}
			}()
		}
	}()
	return s
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile("testdata/echo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "echo.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "exporter.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func env(name string) (string, bool) {
	if name == "PROBE_TOKEN" {
		return token, true
	}
	return "", false
}

func newServer(t *testing.T, body string) *httptest.Server {
	t.Helper()
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(writeConfig(t, body), reg, nil, env)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(cfg, Options{}).Handler())
	t.Cleanup(srv.Close)
	return srv
}

const echoConfig = `modules:
  echo:
    scenario: echo.yaml
    secret_env: [PROBE_TOKEN]
    timeout: 30s
`

func get(t *testing.T, url string, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), "GET", url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestProbe(t *testing.T) {
	echo := newEcho(t, false)
	srv := newServer(t, echoConfig)
	code, body := get(t, srv.URL+"/probe?module=echo&target="+echo.ln.Addr().String(), nil)
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	for _, want := range []string{
		"netrun_probe_success 1\n",
		`netrun_step_success{index="1",step="conn"} 1`,
		`netrun_step_success{index="2",step="the token comes back"} 1`,
		`netrun_step_success{index="3",step="echoed"} 1`,
		`netrun_step_duration_seconds{index="3",step="echoed"} `,
		"# TYPE netrun_probe_duration_seconds gauge",
		"# HELP echo_connect_seconds Seconds the TCP handshake took.",
		"echo_bytes 21\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("probe output lacks %q:\n%s", want, body)
		}
	}
	// The connection is closed when the probe answers.
	<-echo.closed
	echo.mu.Lock()
	if echo.open != 0 {
		t.Errorf("%d connections left open", echo.open)
	}
	echo.mu.Unlock()
	if strings.Contains(body, token) || strings.Contains(body, echo.ln.Addr().String()) {
		t.Errorf("a secret or the target in the metrics:\n%s", body)
	}

	// debug=true: the transcript, redacted, and the metrics.
	code, body = get(t, srv.URL+"/probe?module=echo&debug=true&target="+echo.ln.Addr().String(), nil)
	if code != 200 || !strings.Contains(body, "token ***") || !strings.Contains(body, "netrun_probe_success 1") {
		t.Errorf("debug: status %d:\n%s", code, body)
	}
	if strings.Contains(body, token) || strings.Contains(body, "tok-Zq9") {
		t.Errorf("the secret is in the debug output:\n%s", body)
	}

	// A closed port: the probe fails, the steps after it did not run.
	dead, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := dead.Addr().String()
	dead.Close()
	_, body = get(t, srv.URL+"/probe?module=echo&target="+addr, nil)
	for _, want := range []string{"netrun_probe_success 0\n", `netrun_step_success{index="1",step="conn"} 0`, `netrun_step_success{index="3",step="echoed"} 0`} {
		if !strings.Contains(body, want) {
			t.Errorf("failed probe lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "echo_bytes") {
		t.Errorf("a metric of a step that did not run is exported:\n%s", body)
	}
	_, body = get(t, srv.URL+"/probe?module=echo&debug=true&target="+addr, nil)
	if !strings.Contains(body, "metric echo_bytes left out: ") || !strings.Contains(body, "step echoed did not run") {
		t.Errorf("debug does not say why a metric is left out:\n%s", body)
	}

	// The exporter's own metrics count them.
	_, body = get(t, srv.URL+"/metrics", nil)
	for _, want := range []string{`netrun_exporter_probes_total{module="echo",result="success"} 2`, `netrun_exporter_probes_total{module="echo",result="failure"} 2`, "go_goroutines"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	promtool(t, srv.URL+"/probe?module=echo&target="+echo.ln.Addr().String())
	promtool(t, srv.URL+"/metrics")
}

func TestProbeRequests(t *testing.T) {
	srv := newServer(t, echoConfig)
	for _, c := range []struct{ query, header, want string }{
		{"module=nope&target=x:1", "", `unknown module "nope" (modules: echo)`},
		{"module=echo", "", "target parameter is missing"},
		{"module=echo&target=x:1", "abc", `X-Prometheus-Scrape-Timeout-Seconds "abc": not a number`},
		{"module=echo&target=x:1", "0.4", "leaves no time after the margin of 500ms"},
	} {
		h := map[string]string{}
		if c.header != "" {
			h["X-Prometheus-Scrape-Timeout-Seconds"] = c.header
		}
		code, body := get(t, srv.URL+"/probe?"+c.query, h)
		if code != 400 || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %q, want 400 %q", c.query, code, body, c.want)
		}
	}
}

// TestScrapeTimeoutAndConcurrency: a probe holds the module's one slot;
// a second one, with Prometheus' scrape timeout, does not run and fails
// when its deadline (the timeout less the margin) passes; the first,
// released, succeeds.
func TestScrapeTimeoutAndConcurrency(t *testing.T) {
	echo := newEcho(t, true)
	srv := newServer(t, echoConfig)
	target := srv.URL + "/probe?module=echo&target=" + echo.ln.Addr().String()
	first := make(chan string)
	go func() {
		_, body := get(t, target, nil)
		first <- body
	}()
	<-echo.started // the first probe holds the slot
	code, body := get(t, target+"&debug=true", map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "1.5"})
	if code != 200 || !strings.Contains(body, "timeout 1s") || !strings.Contains(body, "1 probes of module echo were running") ||
		!strings.Contains(body, "netrun_probe_success 0") {
		t.Errorf("second probe: %d\n%s", code, body)
	}
	close(echo.hold)
	if body := <-first; !strings.Contains(body, "netrun_probe_success 1") {
		t.Errorf("first probe:\n%s", body)
	}
	_, body = get(t, srv.URL+"/metrics", nil)
	if !strings.Contains(body, `netrun_exporter_probes_not_run_total{module="echo"} 1`) {
		t.Errorf("/metrics does not count the probe that did not run")
	}
}

// promtool checks the metrics at url with `promtool check metrics`:
// required under CI, skipped with a message otherwise.
func promtool(t *testing.T, url string) {
	t.Helper()
	bin, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("promtool is required under CI: apt-get install prometheus")
		}
		t.Log("promtool not found (apt-get install prometheus): metrics not checked with it")
		return
	}
	_, body := get(t, url, nil)
	cmd := exec.Command(bin, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics %s: %v\n%s\n%s", url, err, out, body)
	}
}
