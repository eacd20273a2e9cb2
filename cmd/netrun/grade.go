package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
	"github.com/netrunhq/netrun/sandbox"
)

// gradeFlags are the flags of netrun grade.
type gradeFlags struct {
	exercise    string
	submissions string
	out         string
	jobs        int
	vars        map[string]string
	// users are the sandbox's users (--sandbox-user); empty: alice and bob.
	users map[string]string
	// sh is --shard and --shard-by (shard.go).
	sh shardFlags
}

// The report files each student gets, in OUT/STUDENT/. The prefix keeps
// them from replacing a file of the submission when OUT is the
// submissions folder.
const (
	gradeGradescope = "netrun-results.json"
	gradeJUnit      = "netrun-junit.xml"
	gradeJSON       = "netrun-report.json"
	gradeText       = "netrun-report.txt"
	scoresFile      = "scores.csv"
)

// parseGrade parses the flags of netrun grade, before or after the file.
func parseGrade(args []string) (*gradeFlags, error) {
	f := &gradeFlags{vars: map[string]string{}, users: map[string]string{}, jobs: runtime.NumCPU()}
	fs := flag.NewFlagSet("netrun grade", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.submissions, "submissions", "", "")
	fs.StringVar(&f.out, "out", "", "")
	fs.IntVar(&f.jobs, "j", f.jobs, "")
	varFlag(fs, f.vars, "program", "--var program is set for each student by netrun grade")
	f.sh.define(fs)
	checkUsers := userFlag(fs, "sandbox-user", f.users)
	files, err := parseInterleaved(fs, args)
	if err == nil {
		err = checkUsers()
	}
	if err != nil {
		return nil, err
	}
	switch {
	case len(files) != 1:
		return nil, errors.New("grade takes one exercise file: netrun grade EXERCISE.yaml --submissions DIR")
	case f.submissions == "":
		return nil, errors.New("grade needs --submissions DIR: a folder with one subfolder per student")
	case f.jobs < 1:
		return nil, errors.New("-j must be 1 or more")
	}
	f.exercise = files[0]
	if f.out == "" {
		f.out = f.submissions
	}
	return f, nil
}

// student is one submission to grade.
type student struct {
	id      string // the folder's name
	dir     string
	program string // absolute path, or "" when missing
	missing string // why there is no program
	result  *engine.ScenarioResult
	console []byte // the verbose console report of the grading
}

// grading guards the students' results: the goroutines of gradeAll set
// them, and a second Ctrl-C writes them while those may still run. Once
// frozen, results that come late are dropped.
type grading struct {
	mu     sync.Mutex
	frozen bool
}

// gradeCmd grades every student's program with one exercise scenario.
func gradeCmd(args []string, stdout, stderr io.Writer) int {
	f, err := parseGrade(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "netrun grade: %v\nRun 'netrun --help' for usage.\n", err)
		return exitInvalid
	}
	reg, err := registry()
	if err != nil {
		fmt.Fprintln(stderr, "netrun:", err)
		return exitInvalid
	}
	sc, err := engine.LoadFile(f.exercise, reg, engine.LoadOptions{Vars: f.vars, Services: sandbox.Names()})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitInvalid
	}
	if err := checkVars(sc, f.vars); err != nil {
		fmt.Fprintf(stderr, "netrun grade: %v\n", err)
		return exitInvalid
	}
	students, err := listStudents(f, exerciseName(f.exercise))
	if err == nil {
		students, err = f.sh.students(students, stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "netrun grade: %v\n", err)
		return exitInvalid
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		fmt.Fprintf(stderr, "netrun grade: %v\n", err)
		return exitInvalid
	}
	killAll := programKiller(reg)
	defer killAll()
	red := engine.NewRedactor()
	for _, pw := range f.users {
		red.Add(pw)
	}
	g := &grading{}
	ctx, stop := interrupts(func() {
		n := killAll()
		fmt.Fprintf(stderr, "netrun: interrupted again: ending now (%d programs killed); writing the reports\n", n)
		g.mu.Lock() // held until the exit: no result changes meanwhile
		g.frozen = true
		_ = writeGrades(f, sc, students, red, "netrun was interrupted and ended before this student's grading did")
		os.Exit(exitFailed)
	})
	defer stop()

	start := time.Now()
	gradeAll(ctx, g, f, sc, students, red, stdout)
	status := exitOK
	g.mu.Lock()
	g.frozen = true
	err = writeGrades(f, sc, students, red, "netrun was interrupted before this student's grading")
	if err == nil {
		err = writeGradeJSON(f, students, red)
	}
	g.mu.Unlock()
	if err != nil {
		fmt.Fprintln(stderr, "netrun grade:", err)
		status = exitFailed
	}
	if ctx.Err() != nil {
		status = exitFailed
	}
	fmt.Fprintln(stdout, gradeSummary(students, time.Since(start), filepath.Join(f.out, scoresFile)))
	return status
}

// checkVars wants the exercise to declare the var program, and every --var.
func checkVars(sc *engine.Scenario, vars map[string]string) error {
	declared := map[string]bool{}
	for _, b := range sc.Vars {
		declared[b.Name] = true
	}
	if !declared["program"] {
		return fmt.Errorf("%s declares no var program: netrun grade passes each student's program as --var program=PATH", sc.File)
	}
	for k := range vars {
		if !declared[k] {
			return fmt.Errorf("--var %s: %s declares no var named %q", k, sc.File, k)
		}
	}
	return nil
}

// exerciseName is the exercise file's base name without its extension:
// the name of the students' programs.
func exerciseName(file string) string {
	base := filepath.Base(file)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// listStudents lists the subfolders of the submissions folder, sorted, and
// finds each one's program. Hidden folders and the output folder are not
// students.
func listStudents(f *gradeFlags, name string) ([]*student, error) {
	entries, err := os.ReadDir(f.submissions)
	if err != nil {
		return nil, err
	}
	outAbs, _ := filepath.Abs(f.out)
	var out []*student
	for _, e := range entries {
		dir := filepath.Join(f.submissions, e.Name())
		if abs, _ := filepath.Abs(dir); !e.IsDir() || strings.HasPrefix(e.Name(), ".") || abs == outAbs {
			continue
		}
		st := &student{id: e.Name(), dir: dir}
		st.program, st.missing = findSubmission(dir, name)
		out = append(out, st)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s has no student folders", f.submissions)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out, nil
}

// findSubmission finds NAME.py, else NAME, in dir, or else a single one of
// them in its subfolders (an unpacked archive often adds a level). It
// returns the program's absolute path, or why there is none.
func findSubmission(dir, name string) (program, missing string) {
	for _, cand := range []string{name + ".py", name} {
		p := filepath.Join(dir, cand)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			abs, err := filepath.Abs(p)
			if err != nil {
				return p, ""
			}
			return abs, ""
		}
	}
	var found []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() && strings.Count(rel, string(filepath.Separator)) >= 3 {
			return filepath.SkipDir
		}
		if !d.IsDir() && (d.Name() == name+".py" || d.Name() == name) {
			found = append(found, p)
		}
		return nil
	})
	switch len(found) {
	case 1:
		abs, _ := filepath.Abs(found[0])
		return abs, ""
	case 0:
		return "", fmt.Sprintf("no %s.py or %s in %s", name, name, dir)
	}
	return "", fmt.Sprintf("%s holds several programs named %s.py or %s: %s; keep one", dir, name, name, strings.Join(found, ", "))
}

// gradeAll runs the exercise for every student, jobs at a time, each with
// its own program, sandbox and reports; free ports are shared, so that no
// two students get the same one.
func gradeAll(ctx context.Context, g *grading, f *gradeFlags, sc *engine.Scenario, students []*student, red *engine.Redactor, stdout io.Writer) {
	ports := engine.NewPorts()
	sem := make(chan struct{}, f.jobs)
	var wg sync.WaitGroup
	for _, st := range students {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			r, console := gradeOne(ctx, sc, st, ports, red, f.users)
			g.mu.Lock()
			defer g.mu.Unlock()
			if g.frozen {
				return
			}
			st.result, st.console = r, console
			fmt.Fprintf(stdout, "%s %s  %s/%s  %s\n", markFor(st), st.id, num(r.Score), num(r.MaxScore), r.Duration.Round(time.Millisecond))
		}()
	}
	wg.Wait()
}

// gradeOne runs the exercise for one student, on a sandbox of their own
// with users, and returns the result and its verbose console report.
func gradeOne(ctx context.Context, sc *engine.Scenario, st *student, ports *engine.Ports, red *engine.Redactor, users map[string]string) (*engine.ScenarioResult, []byte) {
	var console bytes.Buffer
	c := &report.Console{W: &console, Verbose: true, Redactor: red}
	var r *engine.ScenarioResult
	if st.program == "" {
		r = engine.NotRun(sc, st.missing)
	} else {
		sb := sandbox.New(sandbox.Options{Users: users})
		defer sb.Close()
		r = runGuarded(ctx, withProgram(sc, st.program), engine.RunOptions{Sandbox: sb, Ports: ports, Redactor: red, OnStep: c.Step})
	}
	c.Scenario(r)
	return r, console.Bytes()
}

// withProgram returns a copy of sc whose var program is path. A loaded
// scenario is immutable and may run concurrently; only its vars differ.
func withProgram(sc *engine.Scenario, path string) *engine.Scenario {
	cp := *sc
	cp.Vars = append([]engine.Binding(nil), sc.Vars...)
	for i := range cp.Vars {
		if cp.Vars[i].Name == "program" {
			p := path
			cp.Vars[i].Override = &p
		}
	}
	return &cp
}
