package engine

import (
	"errors"
	"time"
)

// Status is the outcome of a step or a scenario.
type Status string

// The outcomes. Failed means a check did not hold; Errored means the network,
// the peer or the environment failed the step.
const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Errored Status = "error"
	Skipped Status = "skipped"
)

// ScenarioResult is the typed outcome of one scenario file.
type ScenarioResult struct {
	Name        string        `json:"name"`
	File        string        `json:"file"`
	Description string        `json:"description,omitempty"`
	Tags        []string      `json:"tags,omitempty"`
	Status      Status        `json:"status"`
	Start       time.Time     `json:"start"`
	Duration    time.Duration `json:"duration_ns"`
	Steps       []StepResult  `json:"steps"`
	// Failure is set when the scenario failed outside any step: its vars or
	// secrets could not be evaluated, or its deadline passed.
	Failure     *Failure `json:"failure,omitempty"`
	Interrupted bool     `json:"interrupted,omitempty"`
	Score       float64  `json:"score"`
	MaxScore    float64  `json:"max_score"`
	// Metrics are the values of the scenario's metrics (metrics.go).
	Metrics []MetricResult `json:"metrics,omitempty"`
}

// StepResult is the typed outcome of one step.
type StepResult struct {
	// Index is the step's 1-based place among steps and finally steps.
	Index int    `json:"index"`
	Name  string `json:"name"`
	// NameTemplate is the name as written, when Name shows the values of
	// its {{ }} parts.
	NameTemplate string `json:"name_template,omitempty"`
	Action       string `json:"action"`
	Scheme       string `json:"scheme,omitempty"`
	Finally      bool   `json:"finally,omitempty"`
	// Branch is the branch of a parallel block the step ran in.
	Branch   string        `json:"branch,omitempty"`
	Pos      Pos           `json:"pos"`
	Status   Status        `json:"status"`
	Duration time.Duration `json:"duration_ns"`
	Attempts int           `json:"attempts,omitempty"`
	// Result is the action's typed result, as expressions saw it.
	Result  any      `json:"result,omitempty"`
	Failure *Failure `json:"failure,omitempty"`
	// ExpectedFailure is the failure a step with fails: saw, which made
	// it pass.
	ExpectedFailure string  `json:"expected_failure,omitempty"`
	Hint            string  `json:"hint,omitempty"`
	Points          float64 `json:"points"`
	MaxPoints       float64 `json:"max_points"`
	Visibility      string  `json:"visibility,omitempty"`
	// Transcript is what was sent and received, capped.
	Transcript []TranscriptLine `json:"transcript,omitempty"`
}

// Failure explains why a step or scenario did not pass.
type Failure struct {
	// Kind is Failed for a check that did not hold, Errored otherwise.
	Kind    Status `json:"kind"`
	Message string `json:"message"`
	// Expr is the assertion that did not hold, and Operands the value of
	// each of its operands.
	Expr     string    `json:"expr,omitempty"`
	Operands []Operand `json:"operands,omitempty"`
	// Received is the tail of what the peer sent, quoted, or hex for binary.
	Received string `json:"received,omitempty"`
	// Exceptions are what the programs under test printed that looks like
	// an exception (a traceback, a caught error printed) since a failure
	// last showed them, when the failure's message does not already show
	// it.
	Exceptions []Exception `json:"exceptions,omitempty"`

	// own: an error of the scenario, not of the peer (fails.go).
	own bool
}

// Exception is what a program under test printed on one stream that
// looks like an exception: a traceback or a line, redacted and capped.
type Exception struct {
	Program string   `json:"program"` // its as: name, or "program"
	Stream  string   `json:"stream"`  // stdout or stderr
	Lines   []string `json:"lines,omitempty"`
	// Count is how many times these same lines came.
	Count int `json:"count,omitempty"`
	// More, without Lines, counts further exceptions not kept.
	More int `json:"more,omitempty"`
}

// Operand is one sub-expression of a failed assertion and its value.
type Operand struct {
	Expr  string `json:"expr"`
	Value string `json:"value"`
}

// TranscriptLine is one entry of a step's protocol transcript.
type TranscriptLine struct {
	// Dir is ">" for sent, "<" for received, and "*" for a note.
	Dir  string `json:"dir"`
	Text string `json:"text"`
}

// Mismatch is returned by actions when what the peer sent did not match what
// the step expected. It makes the step Failed rather than Errored, and the
// received data is shown in reports.
type Mismatch struct {
	Msg      string
	Received []byte
}

// Error returns the message.
func (m *Mismatch) Error() string { return m.Msg }

// failureOf classifies err into a Failure, redacting what was received
// before it is quoted.
func failureOf(err error, red *Redactor) *Failure {
	f := &Failure{Kind: Errored, Message: err.Error(), own: isOwn(err)}
	var m *Mismatch
	if errors.As(err, &m) {
		f.Kind = Failed
		if m.Received != nil {
			f.Received = Quote(red.RedactBytes(m.Received), maxReceivedShown)
		}
	}
	return f
}

// maxReceivedShown is how much of the received tail a failure shows.
const maxReceivedShown = 512
