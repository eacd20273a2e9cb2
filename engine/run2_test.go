package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"
)

func statuses(res *ScenarioResult) []Status {
	out := make([]Status, len(res.Steps))
	for i, st := range res.Steps {
		out[i] = st.Status
	}
	return out
}

func sameStatuses(t *testing.T, res *ScenarioResult, want ...Status) {
	t.Helper()
	got := statuses(res)
	if len(got) != len(want) {
		t.Fatalf("got %d steps %v, want %v", len(got), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			for _, st := range res.Steps {
				t.Logf("%s: %s %+v", st.Name, st.Status, st.Failure)
			}
			t.Fatalf("statuses %v, want %v", got, want)
		}
	}
}

func TestRunSemantics(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		want   []Status
		status Status
		check  func(t *testing.T, res *ScenarioResult)
	}{
		{
			name: "failure stops steps, finally runs",
			src: `name: x
steps:
  - connect: fake://a
  - assert: 1 == 2
  - send: never
finally:
  - close: true`,
			want:   []Status{Passed, Failed, Skipped, Passed},
			status: Failed,
		},
		{
			name: "continue lets later steps run and scores partial credit",
			src: `name: x
steps:
  - connect: fake://a
    points: 1
  - assert: false
    continue: true
    points: 2
    hint: think again
  - assert: true
    points: 3`,
			want:   []Status{Passed, Failed, Passed},
			status: Failed,
			check: func(t *testing.T, res *ScenarioResult) {
				if res.Score != 4 || res.MaxScore != 6 {
					t.Errorf("score %v/%v, want 4/6", res.Score, res.MaxScore)
				}
				if res.Steps[1].Hint != "think again" {
					t.Errorf("hint %q", res.Steps[1].Hint)
				}
			},
		},
		{
			name: "if false skips",
			src: `name: x
vars: { on: false }
steps:
  - assert: true
    if: on`,
			want:   []Status{Skipped},
			status: Passed,
			check: func(t *testing.T, res *ScenarioResult) {
				if res.Score != 1 || res.MaxScore != 1 {
					t.Errorf("ungraded scenario score %v/%v, want 1/1", res.Score, res.MaxScore)
				}
			},
		},
		{
			name: "connection error is an error, not a failure",
			src: `name: x
steps:
  - connect: fake://a
    fail: true`,
			want:   []Status{Errored},
			status: Errored,
		},
		{
			name: "step timeout is named",
			src: `name: x
steps:
  - connect: fake://a
    delay: 5s
    timeout: 50ms`,
			want:   []Status{Errored},
			status: Errored,
			check: func(t *testing.T, res *ScenarioResult) {
				if m := res.Steps[0].Failure.Message; !strings.Contains(m, "step timeout 50ms exceeded") {
					t.Errorf("message %q does not name the timeout", m)
				}
			},
		},
		{
			name: "scenario timeout ends the step and finally still runs",
			src: `name: x
timeout: 100ms
steps:
  - connect: fake://a
    delay: 5s
finally:
  - assert: true`,
			want:   []Status{Errored, Passed},
			status: Errored,
			check: func(t *testing.T, res *ScenarioResult) {
				if m := res.Steps[0].Failure.Message; !strings.Contains(m, "scenario timeout 100ms exceeded") {
					t.Errorf("message %q", m)
				}
			},
		},
		{
			name: "retry until gives up with a count",
			src: `name: x
steps:
  - connect: fake://a
  - send: x
    retry: { until: result.count > 100, every: 10ms, within: 100ms }`,
			want:   []Status{Passed, Failed},
			status: Failed,
			check: func(t *testing.T, res *ScenarioResult) {
				st := res.Steps[1]
				if st.Attempts < 3 || !strings.HasPrefix(st.Failure.Message, "waited ") || !strings.Contains(st.Failure.Message, "attempts; last: until result.count > 100 does not hold") {
					t.Errorf("attempts %d message %q", st.Attempts, st.Failure.Message)
				}
			},
		},
		{
			name: "retry until holds",
			src: `name: x
steps:
  - connect: fake://a
  - send: x
    retry: { until: result.count >= 3, every: 10ms, backoff: 2, max_every: 40ms }
    assert: result.count == 3`,
			want:   []Status{Passed, Passed},
			status: Passed,
			check: func(t *testing.T, res *ScenarioResult) {
				if res.Steps[1].Attempts != 3 {
					t.Errorf("attempts %d, want 3", res.Steps[1].Attempts)
				}
			},
		},
		{
			name: "retry reject stops at once",
			src: `name: x
steps:
  - connect: fake://a
  - send: x
    retry: { until: result.count > 5, reject: result.count == 2, every: 10ms }`,
			want:   []Status{Passed, Failed},
			status: Failed,
			check: func(t *testing.T, res *ScenarioResult) {
				if res.Steps[1].Attempts != 2 || !strings.Contains(res.Steps[1].Failure.Message, "reject") {
					t.Errorf("attempts %d, %+v", res.Steps[1].Attempts, res.Steps[1].Failure)
				}
			},
		},
		{
			name: "failed assertion shows each operand",
			src: `name: x
vars: { want: 451 }
steps:
  - connect: fake://a
  - send: hello
    assert: result.count + 1 == want && result.data contains "z"`,
			want:   []Status{Passed, Failed},
			status: Failed,
			check: func(t *testing.T, res *ScenarioResult) {
				f := res.Steps[1].Failure
				got := map[string]string{}
				for _, o := range f.Operands {
					got[o.Expr] = o.Value
				}
				want := map[string]string{"result.count": "1", "want": "451", "result.data": `"hello"`}
				for k, v := range want {
					if got[k] != v {
						t.Errorf("operand %s = %q, want %q (all: %v)", k, got[k], v, got)
					}
				}
			},
		},
		{
			name: "vars that fail stop the scenario",
			src: `name: x
vars: { content: '{{ file("does-not-exist") }}' }
steps:
  - assert: true`,
			want:   []Status{Skipped},
			status: Errored,
			check: func(t *testing.T, res *ScenarioResult) {
				if res.Failure == nil || !strings.Contains(res.Failure.Message, "does-not-exist") {
					t.Errorf("failure %+v", res.Failure)
				}
			},
		},
		{
			name: "helpers and structured vars",
			src: `name: x
vars:
  list: [a, '{{ 1 + 1 }}']
  m: { k: v }
  id: '{{ uuid() }}'
  h: '{{ sha256("abc") }}'
  b: '{{ base64("hi") }}'
  home: '{{ env("NETRUN_TEST_UNSET_VAR") ?? "fallback" }}'
  p: '{{ free_port() }}'
steps:
  - assert:
      - len(list) == 2 && list[1] == 2 && m.k == "v"
      - len(id) == 36
      - h == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
      - b == "aGk="
      - home == "fallback"
      - p > 0
      - now().Year() >= 2024`,
			want:   []Status{Passed},
			status: Passed,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := mustLoad(t, tc.src)
			res := Run(context.Background(), sc, RunOptions{})
			sameStatuses(t, res, tc.want...)
			if res.Status != tc.status {
				t.Errorf("scenario %s, want %s (%+v)", res.Status, tc.status, res.Failure)
			}
			if tc.check != nil {
				tc.check(t, res)
			}
		})
	}
}

func TestRunInterruptRunsFinallyQuickly(t *testing.T) {
	sc := mustLoad(t, `name: x
steps:
  - connect: fake://a
    delay: 1m
    timeout: 2m
finally:
  - assert: true`)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	res := Run(ctx, sc, RunOptions{})
	sameStatuses(t, res, Errored, Passed)
	if !res.Interrupted {
		t.Error("not marked interrupted")
	}
}

func TestRunClosesConnections(t *testing.T) {
	opened := &fakeOpened{}
	reg, err := NewRegistry(fakePlugin{opened: opened})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := LoadBytes("t.yaml", []byte(`name: x
steps:
  - connect: fake://a
    as: one
  - connect: fake://b
    as: two
  - connect: fake://c
    as: one
  - close: two
  - assert: false`), reg, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res := Run(context.Background(), sc, RunOptions{})
	sameStatuses(t, res, Passed, Passed, Passed, Passed, Failed)
	if len(opened.conns) != 3 {
		t.Fatalf("opened %d connections, want 3", len(opened.conns))
	}
	for i, c := range opened.conns {
		if !c.closed {
			t.Errorf("connection %d left open", i)
		}
	}
}

// TestRunInterruptDuringFinally checks that Ctrl-C while finally steps run
// still ends them, after the one-second grace, rather than after their own
// timeouts.
func TestRunInterruptDuringFinally(t *testing.T) {
	sc := mustLoad(t, `name: x
steps:
  - assert: true
finally:
  - sleep: 10m
    timeout: 20m
  - assert: true`)
	ctx, cancel := context.WithCancel(context.Background())
	res := Run(ctx, sc, RunOptions{OnStep: func(_ *ScenarioResult, st *StepResult) {
		if st.Index == 1 {
			cancel() // interrupt as the finally steps begin
		}
	}})
	sameStatuses(t, res, Passed, Errored, Errored)
	if !res.Interrupted {
		t.Error("not marked interrupted")
	}
	if m := res.Steps[1].Failure.Message; !strings.Contains(m, "interrupted") {
		t.Errorf("finally step message %q does not say it was interrupted", m)
	}
}

// TestTemplateKindsDoNotMix checks that a literal parsed as one kind at
// load time is parsed afresh when read as another.
func TestTemplateKindsDoNotMix(t *testing.T) {
	c := newCompiler("k.yaml")
	var v struct {
		D Template `yaml:"d" netrun:"duration"`
	}
	if err := Strict(mustNode(t, "d: 5s"), &v); err != nil {
		t.Fatal(err)
	}
	if err := c.compileAll(&v, nil); err != nil {
		t.Fatal(err)
	}
	s := &Session{sr: &scenarioRun{sc: &Scenario{}, opts: RunOptions{Redactor: NewRedactor()}}}
	if d, err := v.D.Duration(s); err != nil || d != 5*time.Second {
		t.Fatalf("duration %v, %v", d, err)
	}
	if _, err := v.D.Int(s); err == nil {
		t.Fatal("5s read as a whole number without error")
	}
}

func mustNode(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var n yaml.Node
	if err := yaml.Load([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	return n.Content[0]
}
