package program

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// GuardCommand is the hidden first argument with which netrun starts a
// copy of itself as the guard of its programs (see Guard). The CLI must
// run Guard when it sees it.
const GuardCommand = "__netrun-guard"

// guardGrace bounds how long the guard waits for the killed processes to
// end before it removes the folders.
const guardGrace = 2 * time.Second

// guardWrite bounds a write to the guard, which reads at once.
const guardWrite = time.Second

// guard is netrun's side of the guard process: it tells it, over a pipe,
// each program's process group and temporary folder as they come and go.
// When netrun ends in any way, SIGKILL included, the kernel closes the
// pipe; the guard then kills the groups and removes the folders left.
type guard struct {
	path    string   // the executable to start as the guard; "" for none
	w       *os.File // our end of the pipe; nil until started
	started bool
}

// start starts the guard once, when the first program is about to start.
// Without it (no executable given, or it cannot start) programs run as
// before: stopped by netrun, KILLed on a second Ctrl-C, and the leader
// killed by the kernel when netrun dies (Linux).
func (g *guard) start() {
	if g.started || g.path == "" {
		return
	}
	g.started = true
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	cmd := &exec.Cmd{Path: g.path, Args: []string{"netrun", GuardCommand}, Stdin: r, Dir: "/",
		// Its own group: a Ctrl-C at the terminal does not reach it.
		SysProcAttr: ownGroup()}
	err = cmd.Start()
	r.Close()
	if err != nil {
		w.Close()
		return
	}
	g.w = w
	go func() { _ = cmd.Wait() }()
}

// send writes one line to the guard; a guard that is gone, or stuck for
// guardWrite, is ignored.
func (g *guard) send(format string, args ...any) {
	if g.w != nil {
		_ = g.w.SetWriteDeadline(time.Now().Add(guardWrite))
		_, _ = fmt.Fprintf(g.w, format+"\n", args...)
	}
}

// Guard is the guard process: started by netrun with GuardCommand, it
// reads from in the process groups and folders of the programs ("g+
// PGID", "g- PGID", "d+ DIR", "d- DIR", DIR quoted as in Go) until in
// ends, which happens when netrun ends, however it ends. It then sends
// KILL to every group left, waits up to guardGrace for their processes to
// end, removes every folder left and returns the exit status.
func Guard(in io.Reader) int {
	// Only the end of the pipe ends it: not a Ctrl-C or a hang-up meant
	// for netrun.
	signal.Ignore(syscall.SIGINT, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGQUIT)
	guardUntilEOF(in)
	return 0
}

// guardUntilEOF is Guard without its signal settings.
func guardUntilEOF(in io.Reader) {
	groups, dirs := map[int]bool{}, map[string]bool{}
	r := bufio.NewReader(in)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break // netrun has ended: a line it did not finish is dropped
		}
		op, arg, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		switch op {
		case "g+", "g-":
			if pgid, err := strconv.Atoi(arg); err == nil && pgid > 1 {
				groups[pgid] = op == "g+"
			}
		case "d+", "d-":
			if dir, err := strconv.Unquote(arg); err == nil && dir != "" {
				dirs[dir] = op == "d+"
			}
		}
	}
	var left []int
	for pgid, live := range groups {
		if live {
			_ = signalGroup(pgid, syscall.SIGKILL)
			left = append(left, pgid)
		}
	}
	for end := time.Now().Add(guardGrace); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		alive := false
		for _, pgid := range left {
			alive = alive || groupAlive(pgid)
		}
		if !alive {
			break
		}
	}
	for dir, live := range dirs {
		if live {
			_ = os.RemoveAll(dir)
		}
	}
}
