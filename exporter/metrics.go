package exporter

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// probeMetrics registers the metrics of one probe in reg, a registry of
// its own (as blackbox_exporter does).
func probeMetrics(reg *prometheus.Registry, m *Module, res *engine.ScenarioResult, took time.Duration, red *engine.Redactor) {
	gauge := func(name, help string) prometheus.Gauge {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
		reg.MustRegister(g)
		return g
	}
	gauge("netrun_probe_success", "Whether every step of the module's scenario passed (1) or not (0).").Set(float64(b2i(res.Status == engine.Passed)))
	gauge("netrun_probe_duration_seconds", "How long the probe took, in seconds.").Set(took.Seconds())
	labels := []string{"step", "index"}
	dur := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "netrun_step_duration_seconds", Help: "How long each step took, in seconds (0 for a step that did not run)."}, labels)
	ok := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "netrun_step_success", Help: "Whether each step passed (1) or not (0): failed, error or not run."}, labels)
	expiry := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "netrun_tls_cert_expiry_timestamp_seconds", Help: "When the peer's certificate that a step saw expires, in Unix seconds."}, labels)
	reg.MustRegister(dur, ok, expiry)
	for i := range res.Steps {
		st := &res.Steps[i]
		l := prometheus.Labels{"step": red.Redact(stepLabel(m.sc, st)), "index": strconv.Itoa(st.Index)}
		dur.With(l).Set(st.Duration.Seconds())
		ok.With(l).Set(float64(b2i(st.Status == engine.Passed)))
		if at, found := certExpiry(st.Result); found {
			expiry.With(l).Set(at)
		}
	}
	scenarioMetrics(reg, res)
}

// stepLabel is a bounded, stable name for a step: its id, else its name as
// written (never a value a template gave).
func stepLabel(sc *engine.Scenario, st *engine.StepResult) string {
	all := append(append([]*engine.Step(nil), sc.Steps...), sc.Finally...)
	if st.Index >= 1 && st.Index <= len(all) && all[st.Index-1].ID != "" {
		return all[st.Index-1].ID
	}
	if st.NameTemplate != "" {
		return st.NameTemplate
	}
	return st.Name
}

// ownMetrics are the exporter's own, on /metrics.
type ownMetrics struct {
	probes   *prometheus.CounterVec
	duration *prometheus.HistogramVec
	waits    *prometheus.CounterVec
}

func newOwnMetrics(reg *prometheus.Registry, cfg *Config) *ownMetrics {
	o := &ownMetrics{
		probes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "netrun_exporter_probes_total",
			Help: "Probes answered, by module and result (success or failure)."}, []string{"module", "result"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "netrun_exporter_probe_duration_seconds",
			Help: "How long probes took, by module.", Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 12)}, []string{"module"}),
		waits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "netrun_exporter_probes_not_run_total",
			Help: "Probes that did not run because max_concurrent probes of their module ran until their deadline."}, []string{"module"}),
	}
	reg.MustRegister(o.probes, o.duration, o.waits,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, name := range cfg.Names {
		o.probes.WithLabelValues(name, "success")
		o.probes.WithLabelValues(name, "failure")
		o.waits.WithLabelValues(name)
	}
	return o
}

func (o *ownMetrics) observe(module string, res *engine.ScenarioResult, waitErr error, took time.Duration) {
	result := "failure"
	if res.Status == engine.Passed {
		result = "success"
	}
	o.probes.WithLabelValues(module, result).Inc()
	o.duration.WithLabelValues(module).Observe(took.Seconds())
	if waitErr != nil {
		o.waits.WithLabelValues(module).Inc()
	}
}

// writeText writes metric families in the Prometheus text format.
func writeText(w io.Writer, mfs []*dto.MetricFamily) error {
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return fmt.Errorf("write metrics: %w", err)
		}
	}
	return nil
}
