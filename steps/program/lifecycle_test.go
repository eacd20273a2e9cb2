package program

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// TestStopped runs programs that resist being stopped; after the
// scenario, none of their processes may be left, and netrun must not hang
// on pipes that a grandchild keeps open.
func TestStopped(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		steps        string
		want         []engine.Status
		check        func(t *testing.T, res *engine.ScenarioResult)
	}{
		{name: "ignores TERM", script: "trap '' TERM\necho up\nwhile :; do sleep 1; done\n",
			want: []engine.Status{engine.Passed}},
		{name: "forks a child that keeps the pipes", script: "sleep 1000 &\necho up\n",
			steps: "\n  - expect: { exit: 0 }\n  - expect: { stdout: { line: true, equals: up } }",
			want:  []engine.Status{engine.Passed, engine.Passed, engine.Passed}},
		{name: "forks children that ignore TERM and keep running", script: "(trap '' TERM; while :; do sleep 1; done) &\n(trap '' TERM; exec sleep 1000) &\necho up\nwait\n",
			want: []engine.Status{engine.Passed}},
		{name: "prints endlessly", script: "echo up\nexec yes 'endless output'\n",
			steps: "\n  - sleep: 200ms\n  - expect: { stdout: 'endless output' }\n    assert: result.stdout contains 'bytes not kept'",
			want:  []engine.Status{engine.Passed, engine.Passed, engine.Passed},
			check: func(t *testing.T, res *engine.ScenarioResult) {
				r := res.Steps[2].Result.(ExpectResult)
				if n := len(r.Stdout); n > keepHead+keepTail+100 {
					t.Errorf("stdout kept %d bytes, more than the cap", n)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeScript(t, dir, "prog.sh", tc.script)
			res := harness(t).Run(dir, `name: stop
steps:
  - spawn: { run: [sh, prog.sh], ready: { stdout: up } }
    as: prog`+tc.steps)
			steptest.Check(t, res, tc.want...)
			checkGone(t, spawnPid(t, res, 1))
			if tc.check != nil {
				tc.check(t, res)
			}
		})
	}
}

// TestInterrupted stops a scenario with Ctrl-C while its program runs.
func TestInterrupted(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	writeScript(t, dir, "prog.sh", "trap '' TERM INT\necho up\nwhile :; do sleep 1; done\n")
	h := harness(t)
	sc, err := h.Load(dir, `name: interrupted
steps:
  - spawn: { run: [sh, prog.sh], ready: { stdout: up } }
  - sleep: 1h`)
	if err != nil {
		t.Fatal(err)
	}
	res := engine.Run(ctx, sc, engine.RunOptions{OnStep: func(_ *engine.ScenarioResult, st *engine.StepResult) {
		if st.Index == 1 {
			cancel()
		}
	}})
	steptest.Check(t, res, engine.Passed, engine.Errored)
	if !res.Interrupted {
		t.Error("the result does not say it was interrupted")
	}
	checkGone(t, spawnPid(t, res, 1))
}

// TestWorkingFolder checks the default temporary folder, which is removed
// afterwards, and a given dir.
func TestWorkingFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Mkdir(dir+"/work", 0o755); err != nil {
		t.Fatal(err)
	}
	res := harness(t).Run(dir, `name: dirs
steps:
  - spawn: { run: 'sh -c "pwd; touch made-here; exec sleep 1000"', ready: { stdout: / } }
    id: tmp
    assert: result.stdout == result.dir + "\n"
  - spawn: { run: [sh, -c, 'pwd; exec sleep 1000'], dir: work, ready: { stdout: / } }
    id: given
    assert: result.stdout endsWith "/work\n"`)
	steptest.Check(t, res, engine.Passed, engine.Passed)
	tmp := res.Steps[0].Result.(SpawnResult).Dir
	if !strings.Contains(tmp, "netrun-program-") {
		t.Errorf("default dir %q is not a netrun temporary folder", tmp)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("temporary folder %s is still there: %v", tmp, err)
	}
	if _, err := os.Stat(dir + "/work"); err != nil {
		t.Errorf("a given dir must stay: %v", err)
	}
}

// TestFiles checks that files are copied into the fresh folder, so that a
// program that damages its copy leaves the scenario's file as it was.
func TestFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(dir+"/testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/testdata/input.bin", []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := harness(t).Run(dir, `name: files
steps:
  - spawn: { run: [sh, -c, 'cat input.bin; : > input.bin'], files: [testdata/input.bin] }
  - expect: { stdout: { closed: true, equals: precious } }
  - spawn: { run: [true], files: [testdata/missing.bin] }`)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Errored)
	wantAll(t, failureOf(t, res, 3), "files: open ", "missing.bin: no such file")
	if b, err := os.ReadFile(dir + "/testdata/input.bin"); err != nil || string(b) != "precious" {
		t.Errorf("the scenario's file is now %q (%v)", b, err)
	}
}

// TestEnvAndStdin checks env on top of netrun's environment (without its
// NETRUN_* variables), stdin as
// text and from a file, and the command-line forms.
func TestEnvAndStdin(t *testing.T) {
	t.Setenv("NETRUN_MAIL_PASSWORD", "canary-env") // never the program's
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/input.txt", []byte("from a file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := harness(t).Run(dir, `name: env
vars: { who: world }
steps:
  - spawn:
      run: [sh, -c, 'echo "$GREETING $HOME [$NETRUN_MAIL_PASSWORD]"; cat']
      env: { GREETING: 'hello {{ who }}' }
      stdin: "line one\n"
  - expect: { stdout: { line: true, equals: 'hello world {{ env("HOME") }} []' } }
  - expect: { stdout: { line: true, equals: line one } }
  - expect: { exit: 0 }
    assert: result.exited && result.exit_code == 0
  - spawn: { run: cat, stdin: { file: input.txt } }
  - expect: { stdout: { closed: true, equals: "from a file\n" } }
  - spawn: "sh -c 'echo \"two words\" \"$0\"' 'x y'"
  - expect: { stdout: "two words x y" }
  - spawn: '{{ ["sh", "-c", "echo spliced"] }}'
  - expect: spliced
  - spawn: { run: [sh, -c, 'echo "$@"', sh, '{{ ["a", "b"] }}', c] }
  - expect: { stdout: "a b c" }`)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed,
		engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
}

// TestCannotStart checks the messages for programs that cannot start.
func TestCannotStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/plain.py", []byte("print('hi')\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeScript(t, dir, "noshebang", "\x7fELF-not-really")
	writeScript(t, dir, "badinterp", "#!/nonexistent/python9\nprint('hi')\n")
	for _, tc := range []struct{ run, want string }{
		{"./missing.py", "program not found: ./missing.py"},
		{"no-such-program-netrun", "program not found: no-such-program-netrun is not in PATH"},
		{"./plain.py", "permission denied: ./plain.py is not executable (chmod +x it, or start it with its interpreter: run: [python3, ./plain.py])"},
		{"./noshebang", "./noshebang cannot be run: it is not a program for this system, or a script without a #! line"},
		{"./badinterp", "or the interpreter its #! line names"},
		{".", "is a folder, not a program"},
	} {
		res := harness(t).Run(dir, "name: x\nsteps:\n  - spawn: { run: ['"+tc.run+"'] }\n")
		steptest.Check(t, res, engine.Errored)
		wantAll(t, failureOf(t, res, 1), tc.want)
	}
}

// TestDeadlineOnExit checks that expect exit waits no longer than its
// step.
func TestDeadlineOnExit(t *testing.T) {
	t.Parallel()
	res := harness(t).Run("", `name: x
steps:
  - spawn: { run: [sleep, '1000'] }
  - expect: { exit: 0 }
    timeout: 100ms`)
	steptest.Check(t, res, engine.Passed, engine.Errored)
	wantAll(t, failureOf(t, res, 2), `program "program" (sleep 1000) has not ended after`, "waiting for its exit status", "step timeout 100ms exceeded")
	checkGone(t, spawnPid(t, res, 1))
}

// TestWordsAndArguments checks that a template giving expr's []string is
// spliced as words, and that "." and a bare word naming a folder are
// passed as they are.
func TestWordsAndArguments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Mkdir(dir+"/data", 0o755); err != nil {
		t.Fatal(err)
	}
	res := harness(t).Run(dir, `name: words
steps:
  - spawn: '{{ split("sh -c exit", " ") }}'
  - expect: { exit: 0 }
  - spawn: { run: [sh, -c, 'echo "$1 $2 $3"', sh, '{{ uuid() }}', ., data] }
    id: args
  - expect: { stdout: { line: true } }
    assert:
      - split(result.data, " ")[1:] == [".", "data"]
      - len(split(result.data, " ")[0]) == 36`)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
}
