package engine

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"
)

// Metric is a number a scenario exports (the top-level `metrics:` key),
// which `netrun exporter` serves as a Prometheus gauge of the probe.
// Value is evaluated once the steps and finally steps have run, and sees
// vars, saved names and `steps` as the finally steps do.
type Metric struct {
	Name  string `yaml:"name"`
	Help  string `yaml:"help"`
	Value Expr   `yaml:"value"`
	Pos   Pos    `yaml:"-"`
	// reads are the ids of the steps the value reads (steps.ID): it has a
	// value only when all of them passed.
	reads []string
}

// stepRef finds the steps an expression reads.
var stepRef = regexp.MustCompile(`\bsteps\.([A-Za-z_][A-Za-z0-9_]*)`)

// MetricResult is a metric's value after a run, or why it has none (a
// step it reads did not run).
type MetricResult struct {
	Name  string   `json:"name"`
	Help  string   `json:"help,omitempty"`
	Value *float64 `json:"value,omitempty"`
	Error string   `json:"error,omitempty"`
}

// metricName is a Prometheus metric name; names under netrun_ are the
// exporter's.
var metricName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// metrics compiles the metrics: list, after every step is in scope.
func (l *loader) metrics(n *yaml.Node) []Metric {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		l.errorf(n, "metrics must be a list of {name, help, value}")
		return nil
	}
	var out []Metric
	seen := map[string]bool{}
	for _, item := range n.Content {
		var m Metric
		if err := Strict(item, &m); err != nil {
			l.add(err, item)
			continue
		}
		m.Pos = l.pos(item)
		switch {
		case m.Name == "":
			l.errorf(item, "a metric needs a name")
			continue
		case !metricName.MatchString(m.Name):
			l.errorf(MapValue(item, "name"), "metric name %q must be letters, digits and _, not starting with a digit", m.Name)
			continue
		case strings.HasPrefix(m.Name, "netrun_"):
			l.errorf(MapValue(item, "name"), "metric name %q: names starting with netrun_ are the exporter's own", m.Name)
			continue
		case seen[m.Name]:
			l.errorf(MapValue(item, "name"), "metric %q is already defined", m.Name)
			continue
		case !m.Value.IsSet() && m.Value.src == "":
			l.errorf(item, "metric %q needs a value: an expression giving a number", m.Name)
			continue
		}
		seen[m.Name] = true
		for _, ref := range stepRef.FindAllStringSubmatch(m.Value.src, -1) {
			m.reads = append(m.reads, ref[1])
		}
		if err := m.Value.compile(l.c, l.c.env(nil), false); err != nil {
			l.add(err, item)
			continue
		}
		out = append(out, m)
	}
	return out
}

// evalMetrics evaluates the scenario's metrics once its steps have run.
func (sr *scenarioRun) evalMetrics(res *ScenarioResult) {
	if len(sr.sc.Metrics) == 0 {
		return
	}
	s := &Session{sr: sr}
	red := sr.opts.Redactor
	status := map[string]Status{}
	for _, st := range append(append([]*Step(nil), sr.sc.Steps...), sr.sc.Finally...) {
		if st.ID != "" && st.Index-1 < len(res.Steps) {
			status[st.ID] = res.Steps[st.Index-1].Status
		}
	}
metrics:
	for _, m := range sr.sc.Metrics {
		r := MetricResult{Name: m.Name, Help: m.Help}
		for _, id := range m.reads {
			if st := status[id]; st != Passed {
				r.Error = fmt.Sprintf("%s: metric %s: step %s %s", m.Pos, m.Name, id, notPassed(st))
				res.Metrics = append(res.Metrics, r)
				continue metrics
			}
		}
		v, err := m.Value.Eval(s, nil)
		if err == nil {
			var f float64
			f, err = metricNumber(v)
			r.Value = &f
		}
		if err != nil {
			r.Value = nil
			r.Error = red.Redact(fmt.Sprintf("%s: metric %s: %v", m.Pos, m.Name, err))
		}
		res.Metrics = append(res.Metrics, r)
	}
}

// metricNumber converts what a metric's expression gave to a float:
// numbers as they are, durations in seconds, times in Unix seconds,
// booleans as 1 or 0.
func metricNumber(v any) (float64, error) {
	switch x := v.(type) {
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case float64:
		if math.IsNaN(x) {
			return 0, fmt.Errorf("the value is NaN")
		}
		return x, nil
	case time.Duration:
		return x.Seconds(), nil
	case time.Time:
		return float64(x.UnixNano()) / 1e9, nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case nil:
		return 0, fmt.Errorf("the value is nil (a step it reads did not run?)")
	}
	return 0, fmt.Errorf("the value is %T, not a number", v)
}

func notPassed(s Status) string {
	if s == Skipped || s == "" {
		return "did not run"
	}
	return string(s)
}
