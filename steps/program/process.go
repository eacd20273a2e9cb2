package program

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/netrunhq/netrun/steps/internal/wire"
)

// Stopping a program.
const (
	// termGrace is how long a program has to end after TERM before its
	// group gets KILL.
	termGrace = 500 * time.Millisecond
	// drainDelay is how long, once the program is gone, its output pipes
	// may stay open (held by a process that escaped its group) before
	// netrun stops reading them. It is also exec.Cmd.WaitDelay, which
	// bounds the copying of stdin.
	drainDelay = 500 * time.Millisecond
	// stderrShown is how much of the end of stderr a failure shows.
	stderrShown = 2 << 10
)

// errNoWaitid says that this system cannot wait for a process without
// reaping it; the program is then reaped as soon as it ends.
var errNoWaitid = errors.New("waitid WNOWAIT is not available")

// exitInfo is how a program ended.
type exitInfo struct {
	code   int            // exit status, -1 when a signal ended it
	signal syscall.Signal // the signal that ended it, or 0
}

// String says how the program ended: "exited with status 1", "was killed
// by signal SIGSEGV".
func (e exitInfo) String() string {
	if e.signal != 0 {
		return "was killed by signal " + signalName(e.signal)
	}
	return fmt.Sprintf("exited with status %d", e.code)
}

// process is a running program under test: what spawn opens.
type process struct {
	name    string   // its `as:` name, or "program"
	argv    []string // as started
	dir     string
	tmpDir  string // removed when the program is stopped
	cmd     *exec.Cmd
	pid     int
	started time.Time
	tracker *tracker

	stdout, stderr *output
	outReader      *wire.Reader // unread stdout, for expects
	errReader      *wire.Reader
	pipes          []*os.File // our read ends
	stdin          *stdinPipe // with stdin: { pipe: true }, else nil
	drained        sync.WaitGroup

	exited   chan struct{} // closed once the program has ended
	exit     exitInfo      // valid once exited is closed
	exitErr  error         // waiting failed (rare)
	endedAt  time.Time
	reaped   chan struct{} // closed once cmd.Wait returned
	stopOnce sync.Once
	stopping bool // netrun sent TERM: an end after it is not the program's doing

	reported   bool // the end was noted in a transcript
	waitedLong bool // awaitEnding waited in vain once

	stopped  chan struct{} // closed once stop is done
	goneOnce sync.Once
	gone     chan struct{} // see Gone
}

// startProcess starts argv in dir with env and stdin; the caller stops it.
func startProcess(name string, argv []string, path, dir, tmpDir string, env []string, stdin io.Reader, tr *tracker) (*process, error) {
	if errUnsupported != nil {
		return nil, errUnsupported
	}
	p := &process{name: name, argv: argv, dir: dir, tmpDir: tmpDir, tracker: tr,
		stdout: newOutput(), stderr: newOutput(),
		exited: make(chan struct{}), reaped: make(chan struct{}), stopped: make(chan struct{})}
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("spawn: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, fmt.Errorf("spawn: %w", err)
	}
	adoptOrphans()
	tr.starting(tmpDir)
	cmd := &exec.Cmd{Path: path, Args: argv, Dir: dir, Env: env, Stdin: stdin,
		Stdout: outW, Stderr: errW, SysProcAttr: sysProcAttr(), WaitDelay: drainDelay}
	err = cmd.Start()
	// The child has its own copies of the write ends now; ours must go, so
	// that the reads end when the program's processes are gone.
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		return nil, err
	}
	p.cmd, p.pid, p.started = cmd, cmd.Process.Pid, time.Now()
	p.pipes = []*os.File{outR, errR}
	p.stdout.peer, p.stderr.peer = p.stderr, p.stdout
	p.outReader = wire.NewReader(p.stdout, wire.DefaultMaxBuffer)
	p.errReader = wire.NewReader(p.stderr, wire.DefaultMaxBuffer)
	tr.add(p)
	p.drained.Add(2)
	go func() { defer p.drained.Done(); p.stdout.drain(outR, p.exited) }()
	go func() { defer p.drained.Done(); p.stderr.drain(errR, p.exited) }()
	go p.watch()
	return p, nil
}

// watch waits for the program to end. On Linux it does not reap it (see
// waitExit); elsewhere it reaps it at once.
func (p *process) watch() {
	info, err := waitExit(p.pid)
	if errors.Is(err, errNoWaitid) {
		p.reap()
		info = exitOf(p.cmd.ProcessState)
		err = nil
	}
	p.exit, p.exitErr, p.endedAt = info, err, time.Now()
	close(p.exited)
}

// reap collects the ended program once (exec.Cmd.Wait).
func (p *process) reap() {
	select {
	case <-p.reaped:
		return
	default:
	}
	_ = p.cmd.Wait()
	close(p.reaped)
}

// exitOf reads how a reaped process ended.
func exitOf(st *os.ProcessState) exitInfo {
	if st == nil {
		return exitInfo{code: -1}
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return exitInfo{code: -1, signal: ws.Signal()}
	}
	return exitInfo{code: st.ExitCode()}
}

// hasExited reports whether the program has ended.
func (p *process) hasExited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// Close stops the program (see stop). It fails when the program had ended
// on its own before, with a status other than 0 or by a signal, saying how
// and with the end of its stderr.
func (p *process) Close(ctx context.Context) error {
	ownEnd := p.hasExited()
	p.stop(ctx)
	if ownEnd && (p.exit.code != 0 || p.exit.signal != 0) {
		return errors.New(p.endText(""))
	}
	return nil
}

// hold keeps both streams of the program from being paced while a step
// waits on it; call the returned function when the wait is over.
func (p *process) hold() (release func()) {
	out, err := p.stdout.hold(), p.stderr.hold()
	return func() { out(); err() }
}

// stop ends the program, whatever it does: TERM to its process group, up
// to termGrace for the program to end, then KILL to the group (which also
// ends what it left behind), reaping, and at most drainDelay more for its
// output. It removes the program's temporary folder. ctx may shorten the
// grace (Ctrl-C). Stopping twice does nothing.
func (p *process) stop(ctx context.Context) {
	p.stopOnce.Do(func() {
		if !p.hasExited() {
			p.stopping = true
		}
		defer p.hold()()
		_ = signalGroup(p.pid, syscall.SIGTERM)
		t := time.NewTimer(termGrace)
		select {
		case <-p.exited:
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
		_ = signalGroup(p.pid, syscall.SIGKILL)
		<-p.exited
		// Forget the group before reaping, which frees its ID for reuse.
		p.tracker.remove(p)
		if p.stdin != nil {
			_ = p.stdin.close()
		}
		p.reap()
		p.awaitGroup()
		done := make(chan struct{})
		go func() { p.drained.Wait(); close(done) }()
		t = time.NewTimer(drainDelay)
		select {
		case <-done:
		case <-t.C:
			// Something outside the group holds the pipes: stop reading.
			for _, f := range p.pipes {
				f.Close()
			}
			<-done
		}
		t.Stop()
		for _, f := range p.pipes {
			f.Close()
		}
		if p.tmpDir != "" {
			_ = os.RemoveAll(p.tmpDir)
			p.tracker.removed(p.tmpDir)
		}
		close(p.stopped)
	})
}

// Gone returns a channel closed once the program and every process of
// its group have ended, so that nothing of it can connect or send any
// more (engine.Ender): accept and a listener's expect stop waiting then.
func (p *process) Gone() <-chan struct{} {
	p.goneOnce.Do(func() {
		p.gone = make(chan struct{})
		go p.watchGone()
	})
	return p.gone
}

// watchGone closes gone once the program has ended and no process of its
// group runs (zombies do not count), polling; or once netrun stopped it.
func (p *process) watchGone() {
	defer close(p.gone)
	select {
	case <-p.exited:
	case <-p.stopped:
		return
	}
	delay := 5 * time.Millisecond
	for groupAlive(p.pid) {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-p.stopped:
			t.Stop()
			return
		}
		delay = min(2*delay, pollMax)
	}
}

// awaitGroup waits, at most drainDelay, until no process of the group is
// left, reaping those netrun adopted (see adoptOrphans): the KILL is sent,
// but a process ends a moment later.
func (p *process) awaitGroup() {
	delay := time.Millisecond
	for end := time.Now().Add(drainDelay); time.Now().Before(end); {
		reapGroup(p.pid)
		if !groupExists(p.pid) {
			return
		}
		time.Sleep(delay)
		delay = min(2*delay, 20*time.Millisecond)
	}
}

// kill sends KILL to the program's group at once; for an emergency, when
// netrun itself must end now.
func (p *process) kill() { _ = signalGroup(p.pid, syscall.SIGKILL) }

// ownEnd reports whether the program ended by itself (not stopped by
// netrun).
func (p *process) ownEnd() bool { return p.hasExited() && !p.stopping }

// endText says how the program ended and shows the end of its stderr,
// for failures: `program "server" exited with status 1 after 120ms; the
// end of its stderr: ...`. what is put after the time.
func (p *process) endText(what string) string {
	p.settle()
	msg := fmt.Sprintf("%s %s after %s%s", p.describe(), p.exit, p.endedAt.Sub(p.started).Round(time.Millisecond), what)
	if p.exitErr != nil {
		msg = fmt.Sprintf("%s ended (%v)%s", p.describe(), p.exitErr, what)
	}
	if tail := strings.TrimRight(p.stderr.Tail(stderrShown), "\n"); tail != "" {
		msg += "; the end of its stderr:\n" + indent(tail)
	} else {
		msg += "; its stderr is empty"
	}
	return msg
}

// settle lets the last output of an ended program arrive: it waits until
// both streams are read to their end, at most 100ms (a process it left
// behind may hold them open).
func (p *process) settle() {
	done := make(chan struct{})
	go func() { p.drained.Wait(); close(done) }()
	t := time.NewTimer(100 * time.Millisecond)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}

// describe names the program for a person: `program "server" (python3 -u
// server.py)`.
func (p *process) describe() string {
	return fmt.Sprintf("program %q (%s)", p.name, commandLine(p.argv))
}

// commandLine renders argv for a person, quoting words that need it.
func commandLine(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`|&;<>(){}*?[]#~") {
			parts[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		} else {
			parts[i] = a
		}
	}
	s := strings.Join(parts, " ")
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) + "…"
	}
	return s
}

// indent prefixes each line of s with four spaces.
func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// signalName names a signal as a person looks it up: "SIGKILL (9)".
func signalName(sig syscall.Signal) string {
	return fmt.Sprintf("%s (%d)", signalShort(sig), int(sig))
}

// signalShort names a signal: "SIGKILL", or "signal 40" for one without a
// usual name.
func signalShort(sig syscall.Signal) string {
	names := map[syscall.Signal]string{
		syscall.SIGABRT: "SIGABRT", syscall.SIGBUS: "SIGBUS", syscall.SIGFPE: "SIGFPE",
		syscall.SIGHUP: "SIGHUP", syscall.SIGILL: "SIGILL", syscall.SIGINT: "SIGINT",
		syscall.SIGKILL: "SIGKILL", syscall.SIGPIPE: "SIGPIPE", syscall.SIGQUIT: "SIGQUIT",
		syscall.SIGSEGV: "SIGSEGV", syscall.SIGTERM: "SIGTERM", syscall.SIGTRAP: "SIGTRAP",
	}
	if n, ok := names[sig]; ok {
		return n
	}
	return fmt.Sprintf("signal %d", int(sig))
}
