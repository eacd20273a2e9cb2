// Package engine loads netrun scenarios, runs them and gives their typed
// results; the protocols are plugins that it reaches only through small
// interfaces.
//
// # Load, run, report
//
// A scenario goes through three stages:
//
//  1. Load (LoadFile, LoadFiles, LoadEach, LoadBytes) decodes a YAML file
//     strictly: unknown keys, wrong types and misspelt names are errors
//     at file:line:col with a did-you-mean, all of them gathered in an
//     ErrorList. Each step's action key is handed to the Plugin of its
//     scheme, found in a Registry, whose Decode compiles it (Decoder,
//     Strict) into an Action with the zero value of its result type.
//     Every Template and Expr is compiled and type-checked then, against
//     the names in scope and the result types of earlier steps, so a
//     loaded Scenario holds no text left to parse.
//  2. Run executes a Scenario with RunOptions: vars and secrets, the steps
//     in order with the common keys (if, timeout, retry, assert, save,
//     continue, points, hint), finally, and the closing of whatever
//     steps opened. An Action's Do gets a Session: the connections open
//     (Conn, TargetAs), the transcript (Sent, Received, Note), secrets
//     (Secret), paths and a context bounded by the step's deadline
//     (Deadline ties it to a connection's I/O). A Process, an
//     ExceptionReporter or an Ender is asked about programs under test
//     after each step.
//  3. Run returns a ScenarioResult: a StepResult per step with its typed
//     result, transcript, duration, score and, when it failed, a Failure
//     (a Mismatch for a peer that answered other than expected, showing
//     what it sent). The writers of package engine/report read only
//     this; the Redactor has removed every secret from it, in every
//     encoding it knows.
//
// # Invariants
//
//   - The engine imports no plugin and nothing of steps/ or sandbox/:
//     the CLI builds the Registry (steps/all) and passes the sandbox and
//     its service names through LoadOptions and RunOptions.
//   - No package state: no global registry, no init; the package-level
//     variables are read-only (reflect types, compiled regular
//     expressions, sentinel errors). A loaded Scenario is immutable, so
//     one may run concurrently with itself (netrun grade does).
//   - Every error a user's file causes is positioned (Pos, Error).
//   - A plugin's panic becomes that step's error; Run never panics.
//   - Optional behaviour of plugins is named interfaces (Stopper,
//     Guarded, Summarizer, Process, ...), never a scheme compared by
//     name.
package engine
