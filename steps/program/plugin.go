// Package program is the plugin for spawn: it starts a program under test
// in a process group of its own, waits until it is ready, lets expect
// steps match its stdout, stderr and exit status, and stops it (TERM, then
// KILL, then reaping) when the scenario ends, whatever happened.
//
//	steps:
//	  - spawn:
//	      run: [python3, -u, '{{ program }}']    # or 'python3 -u server.py'
//	      env: { PORT: '{{ port }}' }
//	      ready: { tcp: '127.0.0.1:{{ port }}' }
//	    as: server
//	  - connect: tcp://127.0.0.1:{{ port }}
//	  ...
//	  - expect: { stdout: { line: true, contains: served } }
//	    on: server
//	  - expect: { exit: 0 }
//	    on: server
//
// What a program writes is always read, so that it never blocks on a full
// pipe, and kept within caps (the first and last 32 KiB of each stream for
// the results, 1 MiB unread for expect steps). New output appears in the
// transcript of the step during which it came, as notes, and the engine
// adds to a failed step how a program had ended when it did on its own.
package program

import (
	"github.com/netrunhq/netrun/engine"
)

// Plugin serves spawn (the engine's "program" scheme) and the expect
// steps on a spawned program. Build it with New, which tracks the
// running programs for KillAll; the zero Plugin works without tracking.
type Plugin struct {
	live *tracker
}

// New returns a plugin that tracks the programs it starts.
func New() Plugin { return Plugin{live: newTracker()} }

// Schemes returns "program", under which the engine dispatches spawn.
func (Plugin) Schemes() []string { return []string{"program"} }

// The plugin is an engine.Stopper and engine.Guarded: the CLI finds it
// by these interfaces, not by its scheme.
var (
	_ engine.Stopper = Plugin{}
	_ engine.Guarded = Plugin{}
)

// KillAll sends KILL to the process group of every program still running
// and returns how many there were. It is for when netrun must end at once
// (a second Ctrl-C, a crash); scenarios stop their programs themselves.
func (p Plugin) KillAll() int { return p.live.killAll() }

// UseGuard makes the plugin start path, netrun's own executable, as the
// guard of its programs before the first one starts: a process that
// outlives netrun, however netrun ends (SIGKILL included), to kill every
// program's process group and remove its temporary folder then. path must
// run Guard when its first argument is GuardCommand. Without it, only the
// program itself (its group's leader) is killed when netrun dies (Linux).
func (p Plugin) UseGuard(path string) { p.live.useGuard(path) }

var _ engine.VerbPlugin = Plugin{}

// Verbs returns what the plugin takes: spawn, and expect and send on a
// program.
func (p Plugin) Verbs() engine.VerbTable {
	return engine.VerbTable{
		Takes: []engine.Verb{
			{Name: "spawn", Decode: func(d *engine.Decoder) (engine.TypedAction, error) { return decodeSpawn(d, p.live) }},
			{Name: "expect", Decode: decodeExpect},
			{Name: "send", Decode: decodeSend},
		},
		Refuse: func(d *engine.Decoder) error {
			return d.Errorf(d.Value, "a spawned program takes expect (its stdout, stderr or exit status), send (to its stdin) and close, not %s", d.Verb)
		},
	}
}
