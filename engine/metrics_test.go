package engine

import (
	"context"
	"strings"
	"testing"
)

// TestRunMetrics: metrics are evaluated after the finally steps: numbers
// as they are, durations in seconds, booleans 1 or 0; one that reads a
// step that did not pass has no value and says why; a value that is not a
// number is an error of the metric, not of the scenario.
func TestRunMetrics(t *testing.T) {
	sc := mustLoad(t, `
name: metrics
vars:
  host: example
steps:
  - connect: fake://{{ host }}
    id: c
  - send: hello
    id: sent
  - expect: { equals: NOPE }
    id: got
    continue: true
metrics:
  - name: url_length
    help: Length of the URL.
    value: len(steps.c.data)
  - name: a_duration
    value: duration("1500ms")
  - name: flag
    value: steps.sent.data == "hello"
  - name: after_failure
    value: steps.got.count
  - name: not_a_number
    value: '"text"'
  - name: no_step
    value: 2 * 21
`)
	res := Run(context.Background(), sc, RunOptions{})
	got := map[string]MetricResult{}
	for _, m := range res.Metrics {
		got[m.Name] = m
	}
	for name, want := range map[string]float64{"url_length": 14, "a_duration": 1.5, "flag": 1, "no_step": 42} {
		if m := got[name]; m.Value == nil || *m.Value != want {
			t.Errorf("%s = %+v, want %v", name, m, want)
		}
	}
	if got["url_length"].Help != "Length of the URL." {
		t.Errorf("help: %+v", got["url_length"])
	}
	if m := got["after_failure"]; m.Value != nil || !strings.Contains(m.Error, "metric after_failure: step got failed") {
		t.Errorf("after_failure = %+v", m)
	}
	if m := got["not_a_number"]; m.Value != nil || !strings.Contains(m.Error, "the value is string, not a number") {
		t.Errorf("not_a_number = %+v", m)
	}
	if len(res.Metrics) != 6 {
		t.Errorf("%d metrics, want 6", len(res.Metrics))
	}
}
