package engine

import "testing"

// stopperPlugin serves two schemes and tracks its calls; its slice field
// makes it non-comparable, as a plugin may be.
type stopperPlugin struct {
	schemes []string
	killed  *int
	guards  *[]string
}

func (p stopperPlugin) Schemes() []string { return p.schemes }

func (stopperPlugin) Verbs() VerbTable { return VerbTable{} }

func (p stopperPlugin) KillAll() int { *p.killed++; return 3 }

func (p stopperPlugin) UseGuard(path string) { *p.guards = append(*p.guards, path) }

func TestRegistryStoppers(t *testing.T) {
	killed := 0
	var guards []string
	sp := stopperPlugin{schemes: []string{"zz", "aa"}, killed: &killed, guards: &guards}
	reg, err := NewRegistry(fakePlugin{}, sp)
	if err != nil {
		t.Fatal(err)
	}
	if n := reg.KillAll(); n != 3 || killed != 1 {
		t.Errorf("KillAll = %d with %d calls, want 3 with 1 call (a plugin of two schemes is called once)", n, killed)
	}
	reg.UseGuard("/bin/netrun")
	if len(guards) != 1 || guards[0] != "/bin/netrun" {
		t.Errorf("UseGuard gave %q, want one /bin/netrun", guards)
	}
	plain, err := NewRegistry(fakePlugin{})
	if err != nil {
		t.Fatal(err)
	}
	if n := plain.KillAll(); n != 0 {
		t.Errorf("KillAll without a Stopper = %d, want 0", n)
	}
	plain.UseGuard("/bin/netrun") // no Guarded plugin: nothing to do, no panic
}
