package engine

import (
	"time"
)

// Scenario is a loaded, fully compiled scenario file. It is immutable and
// may be run any number of times, concurrently.
type Scenario struct {
	Name        string
	Description string
	Tags        []string
	// File is the path as given; Dir is its folder, for relative paths.
	File, Dir string
	Timeout   time.Duration
	Vars      []Binding
	Secrets   []Binding
	Steps     []*Step
	Finally   []*Step
	// Graded is true when any step has points.
	Graded bool
	// Metrics are the numbers the scenario exports (metrics.go).
	Metrics []Metric
}

// Binding is one var or secret: a name and its value, evaluated in order.
type Binding struct {
	Name  string
	Pos   Pos
	Value *Value
	// Override is the --var value that replaces the file's, if any.
	Override *string
}

// Step is one compiled step.
type Step struct {
	Index   int
	Pos     Pos
	Name    string
	Verb    string
	Scheme  string
	Finally bool
	ID      string
	Timeout *Template
	Retry   *Retry
	Asserts []Expr
	Saves   []Save
	If      *Expr
	// Continue lets later steps run when this one fails.
	Continue   bool
	Points     float64
	HasPoints  bool
	Hint       *Template
	Visibility string
	Action     Action
	// Fails inverts the step's outcome: it must fail (fails.go).
	Fails *Fails

	target     string // the connection the step acts on
	opens      string // the name of what the step opens, if any
	openScheme string
	nameTmpl   *Template // Name's {{ }} parts, evaluated when the step runs
}

// Retry repeats a step's action until a condition holds.
type Retry struct {
	Until    *Expr
	Reject   *Expr
	Every    *Template
	Backoff  float64
	MaxEvery *Template
	Within   *Template
}

// Save keeps the value of an expression under a name for later steps.
type Save struct {
	Name string
	Expr Expr
}

// Default deadlines.
const (
	DefaultScenarioTimeout = 5 * time.Minute
	DefaultStepTimeout     = 10 * time.Second
)
