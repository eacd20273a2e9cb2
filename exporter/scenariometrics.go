package exporter

import (
	"github.com/netrunhq/netrun/engine"
	"github.com/prometheus/client_golang/prometheus"
)

// scenarioMetrics registers the numbers the scenario exports (its
// top-level metrics: key) as gauges; one without a value (a step it reads
// did not run) is left out, as blackbox_exporter leaves out what a failed
// probe could not measure.
func scenarioMetrics(reg *prometheus.Registry, res *engine.ScenarioResult) {
	for _, m := range res.Metrics {
		if m.Value == nil {
			continue
		}
		help := m.Help
		if help == "" {
			help = "Exported by the scenario."
		}
		g := prometheus.NewGauge(prometheus.GaugeOpts{Name: m.Name, Help: help})
		if err := reg.Register(g); err != nil {
			continue // the loader refuses duplicate and reserved names
		}
		g.Set(*m.Value)
	}
}
