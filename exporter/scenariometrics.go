package exporter

import (
	"github.com/netrunhq/netrun/engine"
	"github.com/prometheus/client_golang/prometheus"
)

// scenarioMetrics registers the numbers the scenario exports.
func scenarioMetrics(reg *prometheus.Registry, m *Module, res *engine.ScenarioResult) {}
