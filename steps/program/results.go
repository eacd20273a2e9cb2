package program

import "time"

// SpawnResult is the result of spawn, as it was when the program was
// ready.
type SpawnResult struct {
	// Pid is the program's process ID, which is also its process group's.
	Pid int `expr:"pid" json:"pid"`
	// Command is the program and its arguments as started, the program
	// resolved to its path.
	Command []string `expr:"command" json:"command"`
	// Dir is the program's working folder.
	Dir string `expr:"dir" json:"dir"`
	// Duration is the time from the start until the program was ready.
	Duration time.Duration `expr:"duration" json:"duration"`
	// Stdout and Stderr are what the program wrote until it was ready.
	Stdout string `expr:"stdout" json:"stdout"`
	Stderr string `expr:"stderr" json:"stderr"`
	// Groups and Named are the submatches of `ready: { stdout: REGEX }` in
	// the line that matched: groups[0] is the whole match.
	Groups []string          `expr:"groups" json:"groups,omitempty"`
	Named  map[string]string `expr:"named" json:"named,omitempty"`
}

// ExpectResult is the result of expect on a program.
type ExpectResult struct {
	// Data is what a stdout or stderr expect consumed (as for tcp: framing
	// removed, or everything up to the end of the match); Bytes is its
	// length; Groups and Named hold the submatches of `match`.
	Data   string            `expr:"data" json:"data"`
	Bytes  int               `expr:"bytes" json:"bytes"`
	Groups []string          `expr:"groups" json:"groups,omitempty"`
	Named  map[string]string `expr:"named" json:"named,omitempty"`
	// Stdout and Stderr are everything the program wrote so far (the
	// beginning and the end of each when it wrote more than 64 KiB).
	Stdout string `expr:"stdout" json:"stdout"`
	Stderr string `expr:"stderr" json:"stderr"`
	// Exited is true once the program has ended; ExitCode is then its
	// exit status, or -1 when a signal ended it (Signal names it, such as
	// "SIGSEGV"). While it runs, ExitCode is -1.
	Exited   bool   `expr:"exited" json:"exited"`
	ExitCode int    `expr:"exit_code" json:"exit_code"`
	Signal   string `expr:"signal" json:"signal,omitempty"`
	// Duration is how long the program has run (until it ended).
	Duration time.Duration `expr:"duration" json:"duration"`
}

// expectResult fills the program's side of an expect result.
func (p *process) expectResult(r *ExpectResult) *ExpectResult {
	if r == nil {
		r = &ExpectResult{}
	}
	r.Stdout, r.Stderr, r.ExitCode = p.stdout.String(), p.stderr.String(), -1
	r.Duration = time.Since(p.started)
	if p.hasExited() {
		r.Exited, r.ExitCode, r.Duration = true, p.exit.code, p.endedAt.Sub(p.started)
		if p.exit.signal != 0 {
			r.Signal = signalShort(p.exit.signal)
		}
	}
	return r
}
