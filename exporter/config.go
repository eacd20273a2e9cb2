// Package exporter serves netrun scenarios to Prometheus as multi-step
// probes, as blackbox_exporter serves its single-connection ones:
// GET /probe?module=NAME&target=HOST:PORT runs the module's scenario with
// the target and answers with the probe's metrics in the Prometheus text
// format. /metrics has the exporter's own metrics.
package exporter

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

// Config is exporter.yaml.
type Config struct {
	// Modules by name, as ?module= names them.
	Modules map[string]*Module
	// Names are the module names, sorted.
	Names []string
}

// Module is one probe: a scenario and how a target reaches it.
type Module struct {
	// Scenario is the scenario file, relative to the config file.
	Scenario string `yaml:"scenario"`
	// TargetVar is the var that ?target= replaces (default "target").
	TargetVar string `yaml:"target_var"`
	// Vars replace the scenario's vars, as --var does.
	Vars map[string]string `yaml:"vars"`
	// Env is what env("NAME") gives the scenario. The scenario sees no
	// other variable of the exporter's environment but SecretEnv.
	Env map[string]string `yaml:"env"`
	// SecretEnv names variables of the exporter's environment that the
	// scenario's env() sees; their values are secrets: redacted from the
	// transcript of ?debug=true and from every label.
	SecretEnv []string `yaml:"secret_env"`
	// Timeout caps a probe (default 2m); the scrape's timeout, less a
	// margin, caps it further.
	Timeout string `yaml:"timeout"`
	// MaxConcurrent is how many probes of this module may run at once
	// (default 1); more wait, within their timeout, then fail.
	MaxConcurrent int `yaml:"max_concurrent"`

	name    string
	timeout time.Duration
	secrets map[string]string
	sc      *engine.Scenario
	slots   chan struct{}
}

type fileKeys struct {
	Modules yaml.Node `yaml:"modules"`
}

// LoadConfig reads and decodes path strictly (file:line:col: errors, with
// a did-you-mean for unknown keys) and loads and compiles every module's
// scenario once, with reg and the sandbox's service names. getenv reads
// secret_env.
func LoadConfig(path string, reg *engine.Registry, services []string, getenv func(string) (string, bool)) (*Config, error) {
	root, err := readRoot(path)
	if err != nil {
		return nil, err
	}
	errs := &configErrors{path: path}
	var fk fileKeys
	if root.Kind != yaml.MappingNode {
		errs.at(root, "an exporter config must be a mapping with modules")
		return nil, errs.list
	}
	if err := engine.Strict(root, &fk); err != nil {
		errs.add(err)
		return nil, errs.list
	}
	if fk.Modules.Kind != yaml.MappingNode || len(fk.Modules.Content) == 0 {
		where := root
		if fk.Modules.Line > 0 {
			where = &fk.Modules // a list, say: point at it
		}
		errs.at(where, "modules must be a mapping of module names to modules, with at least one")
		return nil, errs.list
	}
	cfg, nodes := decodeModules(&fk.Modules, errs, getenv)
	if len(errs.list) > 0 {
		errs.list.Sort()
		return nil, errs.list
	}
	sort.Strings(cfg.Names)
	if errs := cfg.loadScenarios(path, nodes, reg, services); len(errs) > 0 {
		return nil, errs
	}
	return cfg, nil
}

// readRoot reads the YAML file at path and returns its top node.
func readRoot(path string) (*yaml.Node, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("exporter config: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Load(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	return root, nil
}

// configErrors gathers the errors of the config file at path.
type configErrors struct {
	path string
	list engine.ErrorList
}

// at records an error at node n.
func (e *configErrors) at(n *yaml.Node, format string, args ...any) {
	e.list = append(e.list, &engine.Error{Pos: engine.Pos{File: e.path, Line: n.Line, Col: n.Column}, Msg: fmt.Sprintf(format, args...)})
}

// add records err: the errors of an engine.ErrorList keep their
// positions in the file, any other stands at the file.
func (e *configErrors) add(err error) {
	var el engine.ErrorList
	if errors.As(err, &el) {
		for _, one := range el {
			one.Pos.File = e.path
			e.list = append(e.list, one)
		}
		return
	}
	e.list = append(e.list, &engine.Error{Pos: engine.Pos{File: e.path}, Msg: err.Error()})
}

// decodeModules decodes and checks each module of the modules mapping;
// a module with errors is left out, its errors recorded in errs. It
// returns the modules and their nodes, by name.
func decodeModules(modules *yaml.Node, errs *configErrors, getenv func(string) (string, bool)) (*Config, map[string]*yaml.Node) {
	cfg := &Config{Modules: map[string]*Module{}}
	nodes := map[string]*yaml.Node{}
	for i := 0; i+1 < len(modules.Content); i += 2 {
		key, val := modules.Content[i], modules.Content[i+1]
		m := &Module{name: key.Value}
		if err := engine.Strict(val, m); err != nil {
			errs.add(err)
			continue
		}
		if err := m.check(val, errs.at, getenv); err != nil {
			continue
		}
		cfg.Modules[m.name] = m
		nodes[m.name] = val
		cfg.Names = append(cfg.Names, m.name)
	}
	return cfg, nodes
}

// loadScenarios loads and compiles each module's scenario; an error in a
// scenario file stands there, any other at the module's key it concerns
// (nodes: the modules' nodes in the config file at path).
func (cfg *Config) loadScenarios(path string, nodes map[string]*yaml.Node, reg *engine.Registry, services []string) engine.ErrorList {
	var errs engine.ErrorList
	for _, name := range cfg.Names {
		err := cfg.Modules[name].load(filepath.Dir(path), reg, services)
		var inFile engine.ErrorList
		switch {
		case errors.As(err, &inFile) && inFile[0].Pos.Line > 0:
			errs = append(errs, inFile...) // positioned in the scenario
		case err != nil:
			n := blame(nodes[name], err)
			errs = append(errs, &engine.Error{Pos: engine.Pos{File: path, Line: n.Line, Col: n.Column},
				Msg: fmt.Sprintf("module %s: %v", name, err)})
		}
	}
	return errs
}

// check validates a decoded module and fills its defaults.
func (m *Module) check(n *yaml.Node, at func(*yaml.Node, string, ...any), getenv func(string) (string, bool)) error {
	bad := false
	fail := func(key, format string, args ...any) {
		where := engine.MapValue(n, key)
		if where == nil {
			where = n
		}
		at(where, format, args...)
		bad = true
	}
	if m.Scenario == "" {
		fail("scenario", "module %s: missing required key \"scenario\"", m.name)
	}
	if m.TargetVar == "" {
		m.TargetVar = "target"
	}
	m.timeout = 2 * time.Minute
	if m.Timeout != "" {
		d, err := time.ParseDuration(m.Timeout)
		if err != nil || d <= 0 {
			fail("timeout", "module %s: timeout %q: want a duration such as 30s", m.name, m.Timeout)
		}
		m.timeout = d
	}
	if m.MaxConcurrent == 0 {
		m.MaxConcurrent = 1
	}
	if m.MaxConcurrent < 0 {
		fail("max_concurrent", "module %s: max_concurrent must be 1 or more", m.name)
	}
	m.secrets = map[string]string{}
	for _, name := range m.SecretEnv {
		v, ok := getenv(name)
		if !ok || v == "" {
			fail("secret_env", "module %s: secret_env %s is not set in the exporter's environment", m.name, name)
			continue
		}
		if len(v) < engine.MinSecretLen {
			fail("secret_env", "module %s: secret_env %s is shorter than %d bytes: too short to redact safely", m.name, name, engine.MinSecretLen)
			continue
		}
		m.secrets[name] = v
	}
	if bad {
		return errors.New("invalid")
	}
	return nil
}

// load loads and compiles the module's scenario, once.
func (m *Module) load(dir string, reg *engine.Registry, services []string) error {
	p := m.Scenario
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	sc, err := engine.LoadFile(p, reg, engine.LoadOptions{Vars: m.Vars, Services: services})
	if err != nil {
		return err
	}
	declared := map[string]bool{}
	for _, b := range sc.Vars {
		declared[b.Name] = true
	}
	if !declared[m.TargetVar] {
		return &keyError{key: "target_var", err: fmt.Errorf("%s declares no var %q for the target (set target_var)", p, m.TargetVar)}
	}
	for _, k := range sortedKeys(m.Vars) {
		if !declared[k] {
			return &keyError{key: "vars", sub: k, err: fmt.Errorf("vars: %s declares no var %q", p, k)}
		}
	}
	m.sc = sc
	m.slots = make(chan struct{}, m.MaxConcurrent)
	return nil
}

// lookupEnv is what env() gives the module's scenario: Env, then the
// secret variables.
func (m *Module) lookupEnv(name string) (string, bool) {
	if v, ok := m.Env[name]; ok {
		return v, true
	}
	v, ok := m.secrets[name]
	return v, ok
}

// keyError is an error of a module's key (and of one key inside it, sub),
// for LoadConfig to position there.
type keyError struct {
	key, sub string
	err      error
}

func (e *keyError) Error() string { return e.err.Error() }
func (e *keyError) Unwrap() error { return e.err }

// blame is where in module node n an error of loading it stands: the key
// a keyError names, when the file has it, else the scenario key, else n.
func blame(n *yaml.Node, err error) *yaml.Node {
	var ke *keyError
	if errors.As(err, &ke) {
		if v := engine.MapValue(n, ke.key); v != nil {
			if ke.sub != "" {
				if k := engine.MapKey(v, ke.sub); k != nil {
					return k
				}
			}
			return engine.MapKey(n, ke.key)
		}
	}
	if k := engine.MapKey(n, "scenario"); k != nil {
		return engine.MapValue(n, "scenario")
	}
	return n
}

// sortedKeys returns m's keys in order, so that the first error is the
// same every run.
func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
