package engine

// WithVar returns a copy of sc whose var name is value, as --var would
// set it. A loaded scenario is immutable and may run concurrently; the
// copies share all but their vars.
func WithVar(sc *Scenario, name, value string) *Scenario {
	cp := *sc
	cp.Vars = append([]Binding(nil), sc.Vars...)
	for i := range cp.Vars {
		if cp.Vars[i].Name == name {
			v := value
			cp.Vars[i].Override = &v
		}
	}
	return &cp
}
