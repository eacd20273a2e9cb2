package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v4"
)

// LoadOptions tune loading.
type LoadOptions struct {
	// Vars replace the value of the vars of the same name (--var k=v).
	Vars map[string]string
	// Services are the names sandbox() knows; a literal name outside them
	// is a load error. Nil skips the check.
	Services []string

	// cache is shared by the files of one LoadFiles call.
	cache *loadCache
}

// maxFileSize bounds what the loader reads.
const maxFileSize = 8 << 20

// LoadFile reads, decodes and compiles one scenario file. On failure the
// error is an ErrorList of every problem found, each file:line:col.
func LoadFile(path string, reg *Registry, opts LoadOptions) (*Scenario, error) {
	data, err := readMax(path, maxFileSize)
	if err != nil {
		return nil, ErrorList{{Pos: Pos{File: path}, Msg: describeReadError(err)}}
	}
	return LoadBytes(path, data, reg, opts)
}

// readMax reads at most max bytes of path, and fails on a longer file or
// on anything but a regular file, which it checks before opening it: a
// named pipe would block the open, /dev/zero would never end.
func readMax(path string, max int64) ([]byte, error) {
	if err := regularFile(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file") // replaced since the check
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("file is larger than %d MiB", max>>20)
	}
	return data, nil
}

// fileKeys are the top-level keys of a scenario file.
type fileKeys struct {
	Schema      string      `yaml:"$schema"`
	Name        string      `yaml:"name"`
	Description string      `yaml:"description"`
	Tags        []string    `yaml:"tags"`
	Timeout     Template    `yaml:"timeout" netrun:"duration"`
	Defaults    yaml.Node   `yaml:"defaults"`
	Vars        yaml.Node   `yaml:"vars"`
	Secrets     yaml.Node   `yaml:"secrets"`
	Steps       []yaml.Node `yaml:"steps"`
	Finally     []yaml.Node `yaml:"finally"`
	Metrics     yaml.Node   `yaml:"metrics"`
}

// LoadFiles loads paths in parallel, one file per CPU. The results are in
// the order of paths: each has its scenario or its error.
func LoadFiles(paths []string, reg *Registry, opts LoadOptions) ([]*Scenario, []error) {
	scs, errs := make([]*Scenario, len(paths)), make([]error, len(paths))
	LoadEach(paths, reg, opts, func(i int, sc *Scenario, err error) {
		scs[i], errs[i] = sc, err
	})
	return scs, errs
}

// loadBatch is how many files LoadEach loads before it hands them on.
const loadBatch = 64

// LoadEach loads paths as LoadFiles does and calls fn with each file's
// scenario or error, in the order of paths, from the calling goroutine.
// It keeps no scenario after fn returns, so that checking many files
// (netrun validate) takes memory for a batch of them, not for all.
func LoadEach(paths []string, reg *Registry, opts LoadOptions, fn func(i int, sc *Scenario, err error)) {
	if opts.cache == nil {
		opts.cache = newLoadCache()
	}
	n := min(loadBatch, len(paths))
	scs, errs := make([]*Scenario, n), make([]error, n)
	for start := 0; start < len(paths); start += loadBatch {
		batch := paths[start:min(start+loadBatch, len(paths))]
		next := make(chan int)
		var wg sync.WaitGroup
		for range min(runtime.GOMAXPROCS(0), len(batch)) {
			wg.Go(func() {
				for i := range next {
					scs[i], errs[i] = LoadFile(batch[i], reg, opts)
				}
			})
		}
		for i := range batch {
			next <- i
		}
		close(next)
		wg.Wait()
		for i := range batch {
			fn(start+i, scs[i], errs[i])
			scs[i], errs[i] = nil, nil
		}
	}
}

// LoadBytes decodes and compiles a scenario held in data; path names it in
// errors and anchors its relative paths.
func LoadBytes(path string, data []byte, reg *Registry, opts LoadOptions) (*Scenario, error) {
	c := newCompiler(path)
	c.services = opts.Services
	if opts.cache != nil {
		c.cache = opts.cache
	}
	l := &loader{file: path, reg: reg, c: c, ids: map[string]bool{}, names: map[string]int{}}
	sc := l.load(data, opts)
	if len(l.errs) > 0 {
		l.errs.Sort()
		return nil, l.errs
	}
	return sc, nil
}

type openEntry struct{ name, scheme string }

type loader struct {
	file  string
	reg   *Registry
	c     *compiler
	errs  ErrorList
	open  []openEntry
	ids   map[string]bool
	names map[string]int
	def   *commonKeys
	// spare are common keys to decode a step's into, reused from step to
	// step (a parallel block's steps take their own while the block's are
	// in use).
	spare []*commonKeys
	// inBranch: compiling a parallel block's branch; graded: a branch
	// step has points.
	inBranch, graded bool
}

func (l *loader) errorf(n *yaml.Node, format string, args ...any) {
	l.errs = append(l.errs, &Error{Pos: l.pos(n), Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) add(err error, at *yaml.Node) {
	for _, e := range errorsFrom(err, l.pos(at)) {
		if e.Pos.File == "" {
			e.Pos.File = l.file
		}
		l.errs = append(l.errs, e)
	}
}

func (l *loader) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: l.file, Line: 1, Col: 1}
	}
	return Pos{File: l.file, Line: n.Line, Col: n.Column}
}

func (l *loader) load(data []byte, opts LoadOptions) *Scenario {
	root, defs := l.parse(data)
	if root == nil {
		return nil
	}
	defer func() {
		for _, e := range l.errs {
			defs.explain(e)
		}
	}()
	var fk fileKeys
	if err := Strict(root, &fk); err != nil {
		l.add(err, root)
	}
	sc := &Scenario{
		Name: fk.Name, Description: fk.Description, Tags: fk.Tags,
		File: l.file, Dir: filepath.Dir(l.file), Timeout: DefaultScenarioTimeout,
	}
	l.checkRequired(root, &fk)
	if d, ok := l.scenarioTimeout(root, &fk.Timeout); ok {
		sc.Timeout = d
	}
	sc.Vars = l.bindings(nodeOrNil(&fk.Vars), opts.Vars, false)
	sc.Secrets = l.bindings(nodeOrNil(&fk.Secrets), nil, true)
	l.defaults(nodeOrNil(&fk.Defaults))
	sc.Steps = l.steps(sc, fk.Steps, 0, false)
	sc.Finally = l.steps(sc, fk.Finally, width(sc.Steps), true)
	sc.Metrics = l.metrics(nodeOrNil(&fk.Metrics))
	l.c.fields.tell(l.c.cache)
	return sc
}

// parse reads data into the scenario's root mapping, with the
// definitions of its anchors, or reports why it cannot and returns nil.
func (l *loader) parse(data []byte) (*yaml.Node, definitions) {
	const empty = "file is empty: a scenario needs at least name and steps"
	if len(bytes.TrimSpace(data)) == 0 {
		l.errorf(nil, empty)
		return nil, definitions{}
	}
	if line, col, msg := badByte(data); line > 0 {
		l.errs = append(l.errs, &Error{Pos: Pos{File: l.file, Line: line, Col: col}, Msg: msg})
		return nil, definitions{}
	}
	var doc yaml.Node
	if err := yaml.Load(data, &doc); err != nil {
		if strings.Contains(err.Error(), "no documents in stream") {
			l.errorf(nil, empty)
		} else {
			l.add(err, nil)
		}
		return nil, definitions{}
	}
	root := &doc
	if _, ok := aliasSize(root); !ok {
		l.errorf(nil, "aliases expand the file by more than %d values", maxAliasValues)
		return nil, definitions{}
	}
	l.dropDuplicateKeys(root)
	var defs definitions
	if len(doc.Content) == 1 {
		defs = collectDefinitions(doc.Content[0])
	}
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	switch {
	case root.Kind == 0 || (root.Kind == yaml.ScalarNode && root.Tag == "!!null"):
		l.errorf(nil, empty)
	case root.Kind != yaml.MappingNode:
		l.errorf(root, "a scenario file must be a mapping with name and steps, not %s", kindName(root))
	default:
		return root, defs
	}
	// The errors so far still get their explanations.
	for _, e := range l.errs {
		defs.explain(e)
	}
	return nil, definitions{}
}

// checkRequired reports a missing or empty name and steps. A steps or
// name of the wrong type is reported by Strict.
func (l *loader) checkRequired(root *yaml.Node, fk *fileKeys) {
	switch nn := MapValue(root, "name"); {
	case nn == nil:
		l.errorf(root, "missing required key \"name\"")
	case nn.Kind == yaml.ScalarNode && strings.TrimSpace(nn.Value) == "":
		l.errorf(nn, "name is empty: give the scenario a name")
	}
	if sn := MapValue(root, "steps"); sn == nil {
		l.errorf(root, "missing required key \"steps\"")
	} else if len(fk.Steps) == 0 && (sn.Kind == yaml.SequenceNode || IsNull(sn)) {
		l.errorf(sn, "steps is empty: add at least one step")
	}
}

// scenarioTimeout compiles the file's timeout, which must be a literal
// duration more than 0. It reports whether one was given and valid.
func (l *loader) scenarioTimeout(root *yaml.Node, t *Template) (time.Duration, bool) {
	if !t.IsSet() {
		return 0, false
	}
	if err := t.compile(l.c, l.c.env(nil), "duration"); err != nil {
		l.add(err, root)
		return 0, false
	}
	d, ok := t.parsedValue().(time.Duration)
	switch {
	case !ok:
		l.errorf(MapValue(root, "timeout"), "timeout must be a literal duration such as 2m")
	case d == 0:
		l.errorf(MapValue(root, "timeout"), "timeout must be more than 0")
	default:
		return d, true
	}
	return 0, false
}

// steps compiles the steps or finally steps of sc; before is how many
// steps come before them, for their indexes.
func (l *loader) steps(sc *Scenario, nodes []yaml.Node, before int, finally bool) []*Step {
	var out []*Step
	if len(nodes) > 0 {
		out = make([]*Step, 0, len(nodes))
	}
	if len(l.names) == 0 {
		l.names = make(map[string]int, len(nodes)) // a name a step
	}
	next := before + 1
	for i := range nodes {
		if st := l.step(&nodes[i], next, finally); st != nil {
			out = append(out, st)
			next += st.width()
			sc.Graded = sc.Graded || st.HasPoints || l.graded
		}
	}
	return out
}

// bindings compiles vars or secrets: each sees the ones before it.
func (l *loader) bindings(n *yaml.Node, overrides map[string]string, secret bool) []Binding {
	if n == nil {
		return nil
	}
	what := "var"
	if secret {
		what = "secret"
	}
	if n.Kind != yaml.MappingNode {
		l.errorf(n, "%ss must be a mapping of names to values", what)
		return nil
	}
	var out []Binding
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !l.checkName(k, what) {
			continue
		}
		if l.c.scope.has(k.Value) {
			l.errorf(k, "%s %q is already defined", what, k.Value)
			continue
		}
		val, errs := l.c.compileValue(v)
		l.errs = append(l.errs, errs...)
		b := Binding{Name: k.Value, Pos: l.pos(k), Value: val}
		if o, ok := overrides[k.Value]; ok {
			b.Override = &o
		}
		out = append(out, b)
		l.c.scope = l.c.scope.with(k.Value)
	}
	return out
}

// checkName reports whether k is a usable name, with an error if not.
func (l *loader) checkName(k *yaml.Node, what string) bool {
	switch {
	case !validName(k.Value):
		l.errorf(k, "%s name %q must be a letter or _ followed by letters, digits or _", what, k.Value)
	case reservedName(k.Value):
		l.errorf(k, "%s name %q is reserved", what, k.Value)
	default:
		return true
	}
	return false
}

// nodeOrNil returns n, or nil when the key was absent.
func nodeOrNil(n *yaml.Node) *yaml.Node {
	if n.Kind == 0 {
		return nil
	}
	return n
}
