package program

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// spawnAction starts a program and waits until it is ready.
type spawnAction struct {
	engine.Returns[SpawnResult]
	cfg  spawnConfig
	live *tracker
}

// dirOrFiles: a program runs in dir, or in a fresh folder with files.
var dirOrFiles = engine.OneOf{Keys: []string{"dir", "files"}, Optional: true,
	Both: func(string, string) string {
		return "files are copied into the fresh folder netrun makes for the program; they cannot go with dir"
	}}

// decodeSpawn compiles `spawn: { run, env, dir, files, stdin, ready }`, or
// `spawn: COMMAND` for `{ run: COMMAND }`.
func decodeSpawn(d *engine.Decoder, live *tracker) (engine.TypedAction, error) {
	a := &spawnAction{live: live}
	errs := wire.LoadErrors{At: d.Pos(d.Value)}
	if k := firstKey(d.Options); k != nil {
		errs.Add(d.Errorf(k, "%q goes inside spawn: spawn: { run, env, dir, files, stdin, ready }", k.Value))
	}
	switch {
	case engine.IsNull(d.Value):
		errs.Add(d.Errorf(d.Value, "spawn needs the program to start: spawn: { run: [python3, server.py] }"))
	case d.Value.Kind == yaml.MappingNode:
		if engine.MapKey(d.Value, "run") == nil {
			errs.Add(d.Errorf(d.Value, "spawn needs run: the program to start and its arguments"))
		}
		if err := d.Load(d.Value, &a.cfg); err != nil {
			errs.Add(err)
		} else if a.cfg.Ready != nil {
			errs.Add(a.cfg.Ready.check(d, engine.MapValue(d.Value, "ready")))
		}
		_, err := dirOrFiles.Check(d.Value)
		errs.Add(err)
	default:
		errs.Add(d.Load(d.Value, &a.cfg.Run))
	}
	d.Name = "spawn " + short(a.cfg.Run.describe())
	return a, errs.Err()
}

// firstKey returns the first key of a mapping, or nil.
func firstKey(n *yaml.Node) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return nil
	}
	return n.Content[0]
}

// short cuts a text for a step name.
func short(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

// command evaluates run: the program's words, its arguments that name
// files of the scenario's folder resolved, and the program's path.
func (a *spawnAction) command(s *engine.Session) (argv []string, path string, err error) {
	argv, err = a.cfg.Run.words(s)
	if err != nil {
		return nil, "", err
	}
	if len(argv) == 0 || argv[0] == "" {
		return nil, "", errors.New("run gives no program to start")
	}
	path, err = findProgram(s, argv[0])
	if err != nil {
		return nil, "", err
	}
	for i := 1; i < len(argv); i++ {
		argv[i] = argPath(s, argv[i])
	}
	return argv, path, nil
}

// Do starts the program, waits until it is ready and registers it as open.
// A program that does not get ready is stopped before Do returns.
func (a *spawnAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	start := time.Now()
	p, err := a.launch(s)
	if err != nil {
		return nil, err
	}
	opened := false
	defer func() {
		// Not ready, interrupted or a panic: the program must not outlive
		// the step (stop also closes its stdin pipe).
		if !opened {
			p.stop(ctx)
			p.Output(s)
		}
	}()
	res := &SpawnResult{Pid: p.pid, Command: p.argv, Dir: p.dir}
	if a.cfg.Ready != nil {
		if err := a.cfg.Ready.wait(ctx, s, p, res, start); err != nil {
			return *res, err
		}
	}
	res.Duration = time.Since(p.started)
	res.Stdout, res.Stderr = p.stdout.String(), p.stderr.String()
	s.Open(ctx, p)
	opened = true
	return *res, nil
}

// launch evaluates the command, its environment, stdin and folder, and
// starts the program.
func (a *spawnAction) launch(s *engine.Session) (p *process, err error) {
	argv, path, err := a.command(s)
	if err != nil {
		return nil, err
	}
	env, err := a.env(s)
	if err != nil {
		return nil, err
	}
	stdin, pipe, err := a.stdin(s)
	if err != nil {
		return nil, err
	}
	if pipe != nil {
		defer func() {
			if err != nil {
				_ = pipe.close()
			}
		}()
	}
	if c, ok := stdin.(io.Closer); ok {
		defer c.Close()
	}
	dir, tmpDir, err := a.dir(s)
	if err != nil {
		return nil, err
	}
	name := s.As()
	if name == "" {
		name = "program"
	}
	if p, err = startProcess(name, argv, path, dir, tmpDir, env, stdin, a.live); err != nil {
		if tmpDir != "" {
			_ = os.RemoveAll(tmpDir)
		}
		return nil, startError(argv[0], path, err)
	}
	p.stdin = pipe
	s.Note("started %s, pid %d, in %s", commandLine(argv), p.pid, dir)
	return p, nil
}

// env is netrun's own environment with the step's env on top, so that
// PATH, HOME and the like reach the program. Names are sorted for a stable
// order.
func (a *spawnAction) env(s *engine.Session) ([]string, error) {
	keys := make([]string, 0, len(a.cfg.Env))
	for k := range a.cfg.Env {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			return nil, fmt.Errorf("env: %q is not a variable name", k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	set := map[string]bool{}
	var extra []string
	for _, k := range keys {
		t := a.cfg.Env[k]
		v, err := t.String(s)
		if err != nil {
			return nil, fmt.Errorf("env %s: %w", k, err)
		}
		if strings.ContainsRune(v, 0) {
			return nil, fmt.Errorf("env %s: the value holds a NUL byte", k)
		}
		set[k] = true
		extra = append(extra, k+"="+v)
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		// netrun's own NETRUN_* settings (real servers' passwords among
		// them) are not the program's business: env passes what it needs.
		if !set[k] && !strings.HasPrefix(k, "NETRUN_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...), nil
}

// stdin opens what the program reads: text, a file, a pipe (whose write
// end it returns too), or nothing.
func (a *spawnAction) stdin(s *engine.Session) (io.Reader, *stdinPipe, error) {
	switch {
	case a.cfg.Stdin.Pipe:
		r, w, err := os.Pipe()
		if err != nil {
			return nil, nil, fmt.Errorf("stdin pipe: %w", err)
		}
		return r, &stdinPipe{f: w}, nil
	case a.cfg.Stdin.File.IsSet():
		p, err := a.cfg.Stdin.File.String(s)
		if err != nil {
			return nil, nil, fmt.Errorf("stdin file: %w", err)
		}
		f, err := os.Open(s.Path(p))
		if err != nil {
			return nil, nil, fmt.Errorf("stdin: %w", err)
		}
		return f, nil, nil
	case a.cfg.Stdin.Text.IsSet():
		t, err := a.cfg.Stdin.Text.String(s)
		if err != nil {
			return nil, nil, fmt.Errorf("stdin: %w", err)
		}
		return strings.NewReader(t), nil, nil
	}
	return nil, nil, nil
}

// dir is the program's working folder: dir, relative to the scenario's
// folder, or else a new temporary folder that is removed when the program
// is stopped.
func (a *spawnAction) dir(s *engine.Session) (dir, tmp string, err error) {
	if a.cfg.Dir.IsSet() {
		d, err := a.cfg.Dir.String(s)
		if err != nil {
			return "", "", fmt.Errorf("dir: %w", err)
		}
		d = s.Path(d)
		st, err := os.Stat(d)
		if err != nil {
			return "", "", fmt.Errorf("dir: %w", err)
		}
		if !st.IsDir() {
			return "", "", fmt.Errorf("dir: %s is not a folder", d)
		}
		return d, "", nil
	}
	tmp, err = os.MkdirTemp("", "netrun-program-")
	if err != nil {
		return "", "", fmt.Errorf("spawn: %w", err)
	}
	for i := range a.cfg.Files {
		if err := copyInto(s, &a.cfg.Files[i], tmp); err != nil {
			_ = os.RemoveAll(tmp)
			return "", "", err
		}
	}
	return tmp, tmp, nil
}

// copyInto copies the file f names, relative to the scenario's folder,
// into dir under its base name.
func copyInto(s *engine.Session, f *engine.Template, dir string) error {
	name, err := f.String(s)
	if err != nil {
		return fmt.Errorf("files: %w", err)
	}
	src, err := os.Open(s.Path(name))
	if err != nil {
		return fmt.Errorf("files: %w", err)
	}
	defer src.Close()
	dst, err := os.OpenFile(filepath.Join(dir, filepath.Base(name)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("files: %s: %w", name, err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("files: copy %s: %w", name, err)
	}
	if err := dst.Close(); err != nil {
		return fmt.Errorf("files: copy %s: %w", name, err)
	}
	return nil
}

// findProgram resolves the program to start. A name without a slash is
// looked up in PATH, then as a file of netrun's working folder or of the
// scenario's folder; a relative path is found in netrun's working folder
// (where a --var value on the command line names it), else in the
// scenario's folder (where the scenario's own default names it).
func findProgram(s *engine.Session, name string) (string, error) {
	if !strings.ContainsRune(name, '/') {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
		if p, ok := existing(s, name); ok {
			return checkExecutable(name, p)
		}
		return "", fmt.Errorf("program not found: %s is not in PATH (%s)", name, os.Getenv("PATH"))
	}
	p, ok := existing(s, name)
	if !ok {
		return "", fmt.Errorf("program not found: %s", name)
	}
	return checkExecutable(name, p)
}

// existing finds a relative path in netrun's working folder, then in the
// scenario's folder, and returns it absolute. The working folder comes
// first so that `--var program=broken/x.py` never picks a file of the same
// name beside the scenario.
func existing(s *engine.Session, name string) (string, bool) {
	cands := []string{name}
	if !filepath.IsAbs(name) {
		cands = []string{name, s.Path(name)}
	}
	for _, c := range cands {
		if _, err := os.Stat(c); err == nil {
			abs, err := filepath.Abs(c)
			if err != nil {
				return c, true
			}
			return abs, true
		}
	}
	return "", false
}

// argPath makes an argument that names an existing file, relative to
// netrun's working folder or the scenario's folder, absolute: the program
// runs in another folder. A folder counts only when the argument has a /
// in it, so that ".", ".." or a word such as "data" stay as they are.
func argPath(s *engine.Session, arg string) string {
	if arg == "" || arg == "." || arg == ".." || filepath.IsAbs(arg) || strings.HasPrefix(arg, "-") {
		return arg
	}
	p, ok := existing(s, arg)
	if !ok {
		return arg
	}
	if st, err := os.Stat(p); err == nil && st.IsDir() && !strings.ContainsRune(arg, '/') {
		return arg
	}
	return p
}

// checkExecutable refuses a folder or a file without execute permission.
func checkExecutable(name, p string) (string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("program not found: %s", name)
	}
	if st.IsDir() {
		return "", fmt.Errorf("program %s is a folder, not a program", name)
	}
	if st.Mode()&0o111 == 0 {
		return "", fmt.Errorf("permission denied: %s is not executable (chmod +x it, or start it with its interpreter: run: [python3, %s])", name, name)
	}
	return p, nil
}

// startError explains why a program could not start.
func startError(name, path string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOEXEC):
		return fmt.Errorf("%s cannot be run: it is not a program for this system, or a script without a #! line (start it with its interpreter: run: [python3, %s])", name, name)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("permission denied: %s cannot be run: %w", name, err)
	case errors.Is(err, fs.ErrNotExist):
		// The #! line names an interpreter that does not exist.
		return fmt.Errorf("program not found: %s, or the interpreter its #! line names: %w", path, err)
	}
	return fmt.Errorf("spawn %s: %w", name, err)
}
