package engine

import "slices"

// Stopper is an optional interface of a Plugin whose connections are
// processes that may outlive a scenario (the spawn plugin's programs
// under test). When netrun must end at once (a second Ctrl-C, a crash),
// the CLI calls the Registry's KillAll, which calls each Stopper's.
type Stopper interface {
	// KillAll kills every process the plugin started that still runs,
	// at once, and returns how many there were. Scenarios stop their own
	// processes; this is for when they cannot.
	KillAll() int
}

// Guarded is an optional interface of a Plugin that can hand its
// processes to a guard: a process that outlives netrun, however netrun
// ends (SIGKILL included), and then kills them and removes their files.
// The CLI calls the Registry's UseGuard with its own executable.
type Guarded interface {
	// UseGuard makes the plugin start path, netrun's own executable, as
	// the guard of its processes before the first one starts.
	UseGuard(path string)
}

// KillAll calls KillAll on every plugin of r that is a Stopper and
// returns how many processes they killed in all.
func (r *Registry) KillAll() int {
	n := 0
	for _, p := range r.plugins() {
		if s, ok := p.(Stopper); ok {
			n += s.KillAll()
		}
	}
	return n
}

// UseGuard gives path, netrun's own executable, to every plugin of r that
// is Guarded.
func (r *Registry) UseGuard(path string) {
	for _, p := range r.plugins() {
		if g, ok := p.(Guarded); ok {
			g.UseGuard(path)
		}
	}
}

// plugins returns each plugin of r once, in the order of the schemes:
// under the first of its schemes (Add registers all of them, and plugins
// need not be comparable).
func (r *Registry) plugins() []Plugin {
	var out []Plugin
	for _, scheme := range r.Schemes() {
		p, _ := r.Plugin(scheme)
		if slices.Min(p.Schemes()) == scheme {
			out = append(out, p)
		}
	}
	return out
}
