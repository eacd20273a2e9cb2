package exporter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Options are what the exporter gives the scenarios it runs.
type Options struct {
	// Sandbox serves sandbox(name) in module scenarios; may be nil.
	Sandbox engine.Sandbox
	// Log gets one line per probe; nil: none.
	Log io.Writer
	// TimeoutMargin is taken from Prometheus' scrape timeout so that the
	// answer arrives in time (default 0.5 s, as blackbox_exporter's
	// timeout_offset).
	TimeoutMargin time.Duration
}

// Exporter answers /probe and /metrics.
type Exporter struct {
	cfg   *Config
	opts  Options
	ports *engine.Ports
	own   *prometheus.Registry
	stats *ownMetrics
}

// New makes an exporter of the loaded config.
func New(cfg *Config, opts Options) *Exporter {
	if opts.TimeoutMargin == 0 {
		opts.TimeoutMargin = 500 * time.Millisecond
	}
	e := &Exporter{cfg: cfg, opts: opts, ports: engine.NewPorts(), own: prometheus.NewRegistry()}
	e.stats = newOwnMetrics(e.own, cfg)
	return e
}

// Handler serves /probe, /metrics and a short index page at /.
func (e *Exporter) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/probe", e.probe)
	mux.Handle("/metrics", promhttp.HandlerFor(e.own, promhttp.HandlerOpts{}))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "netrun exporter\n\nmodules: %s\n\n/probe?module=NAME&target=HOST:PORT[&debug=true]\n/metrics\n", strings.Join(e.cfg.Names, ", "))
	})
	return mux
}

// probe runs a module's scenario against the target and answers with the
// probe's metrics, or with the transcript and metrics when debug=true.
func (e *Exporter) probe(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	m, ok := e.cfg.Modules[q.Get("module")]
	if !ok {
		http.Error(w, fmt.Sprintf("unknown module %q (modules: %s)", q.Get("module"), strings.Join(e.cfg.Names, ", ")), http.StatusBadRequest)
		return
	}
	target := q.Get("target")
	if target == "" {
		http.Error(w, "target parameter is missing", http.StatusBadRequest)
		return
	}
	timeout, err := e.timeout(r, m)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	red := engine.NewRedactor()
	for _, v := range m.secrets {
		red.Add(v)
	}
	start := time.Now()
	res, waitErr := e.run(ctx, m, target, red)
	took := time.Since(start)
	reg := prometheus.NewRegistry()
	probeMetrics(reg, m, res, took, red)
	e.stats.observe(m.name, res, waitErr, took)
	if e.opts.Log != nil {
		fmt.Fprintf(e.opts.Log, "probe module=%s success=%d duration=%.3fs%s\n", m.name, b2i(res.Status == engine.Passed), took.Seconds(), failureNote(res, red))
	}
	if q.Get("debug") == "true" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "Logs for the probe of module %s (timeout %s):\n", m.name, timeout)
		var b bytes.Buffer
		(&report.Console{W: &b, Verbose: true, Redactor: red}).Report(res)
		_, _ = w.Write(b.Bytes())
		for _, mr := range res.Metrics {
			if mr.Error != "" {
				fmt.Fprintf(w, "metric %s left out: %s\n", mr.Name, red.Redact(mr.Error))
			}
		}
		fmt.Fprintln(w, "\n\nMetrics that would have been returned:")
		mfs, _ := reg.Gather()
		var mb bytes.Buffer
		_ = writeText(&mb, mfs)
		_, _ = w.Write([]byte(red.Redact(mb.String())))
		return
	}
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}

// timeout is the probe's: the module's, capped by Prometheus' scrape
// timeout less the margin.
func (e *Exporter) timeout(r *http.Request, m *Module) (time.Duration, error) {
	t := m.timeout
	if h := r.Header.Get("X-Prometheus-Scrape-Timeout-Seconds"); h != "" {
		secs, err := strconv.ParseFloat(h, 64)
		if err != nil || secs <= 0 {
			return 0, fmt.Errorf("X-Prometheus-Scrape-Timeout-Seconds %q: not a number of seconds", h)
		}
		scrape := time.Duration(secs*float64(time.Second)) - e.opts.TimeoutMargin
		if scrape <= 0 {
			return 0, fmt.Errorf("scrape timeout %ss leaves no time after the margin of %s", h, e.opts.TimeoutMargin)
		}
		t = min(t, scrape)
	}
	return t, nil
}

// run waits for a slot of the module, then runs its scenario with the
// target; a probe that gets no slot before its deadline fails without
// running.
func (e *Exporter) run(ctx context.Context, m *Module, target string, red *engine.Redactor) (res *engine.ScenarioResult, waited error) {
	select {
	case m.slots <- struct{}{}:
		defer func() { <-m.slots }()
	case <-ctx.Done():
		why := fmt.Sprintf("not run: %d probes of module %s were running until the probe's deadline (max_concurrent)", m.MaxConcurrent, m.name)
		return engine.NotRun(m.sc, why), ctx.Err()
	}
	sc := engine.WithVar(m.sc, m.TargetVar, target)
	defer func() {
		if p := recover(); p != nil {
			res = engine.NotRun(sc, fmt.Sprintf("internal error: %v\n%s", p, debug.Stack()))
		}
	}()
	return engine.Run(ctx, sc, engine.RunOptions{Sandbox: e.opts.Sandbox, Ports: e.ports, Redactor: red, LookupEnv: m.lookupEnv}), nil
}

// failureNote is the first line of why a probe failed, redacted.
func failureNote(res *engine.ScenarioResult, red *engine.Redactor) string {
	if res.Status == engine.Passed {
		return ""
	}
	msg := ""
	if res.Failure != nil {
		msg = res.Failure.Message
	}
	for i := range res.Steps {
		if f := res.Steps[i].Failure; f != nil && msg == "" {
			msg = res.Steps[i].Name + ": " + f.Message
		}
	}
	msg, _, _ = strings.Cut(red.Redact(msg), "\n")
	return " failure=" + strconv.Quote(msg)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// certExpiry is the earliest not_after of a certificate in a step's
// result (result.tls.cert of a connect, at any depth), in Unix seconds.
func certExpiry(result any) (float64, bool) {
	if result == nil {
		return 0, false
	}
	raw, err := json.Marshal(result)
	if err != nil {
		return 0, false
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return 0, false
	}
	best, found := 0.0, false
	var walk func(any, string)
	walk = func(x any, key string) {
		switch t := x.(type) {
		case map[string]any:
			if key == "cert" {
				if s, ok := t["not_after"].(string); ok {
					if at, err := time.Parse(time.RFC3339Nano, s); err == nil && !at.IsZero() && at.Year() > 1 {
						if secs := float64(at.Unix()); !found || secs < best {
							best, found = secs, true
						}
					}
				}
			}
			for k, c := range t {
				walk(c, k)
			}
		case []any:
			for _, c := range t {
				walk(c, key)
			}
		}
	}
	walk(v, "")
	return best, found
}
