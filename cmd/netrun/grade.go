package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
	"github.com/netrunhq/netrun/sandbox"
)

// gradeFlags are the flags of netrun grade.
type gradeFlags struct {
	// exercises are the exercise files: those given, then those of
	// --exercises, sorted.
	exercises   []string
	submissions string
	out         string
	jobs        int
	vars        map[string]string
	// users are the sandbox's users (--sandbox-user); empty: alice and bob.
	users map[string]string
	// prairielearn adds each student's PrairieLearn results.json.
	prairielearn bool
	junitFlavor  report.JUnitFlavor
	// color is --color: auto, always or never.
	color string
	// sh is --shard and --shard-by (shard.go).
	sh shardFlags
}

// The report files each student gets, in OUT/STUDENT/, and the class's,
// in OUT. The prefix keeps them from replacing a file of the submission
// when OUT is the submissions folder.
const (
	gradeGradescope   = "netrun-results.json"
	gradePrairieLearn = "netrun-prairielearn.json"
	gradeJUnit        = "netrun-junit.xml"
	gradeJSON         = "netrun-report.json"
	gradeText         = "netrun-report.txt"
	scoresFile        = "scores.csv"
	classReportFile   = "class-report.html"
)

// parseGrade parses the flags of netrun grade, before or after the files.
func parseGrade(args []string) (*gradeFlags, error) {
	f := &gradeFlags{vars: map[string]string{}, users: map[string]string{}, jobs: runtime.NumCPU(), junitFlavor: report.JUnitXunit2}
	fs := newFlags("netrun grade")
	var dir string
	fs.StringVar(&f.submissions, "submissions", "", "")
	fs.StringVar(&dir, "exercises", "", "")
	fs.StringVar(&f.out, "out", "", "")
	fs.IntVar(&f.jobs, "j", f.jobs, "")
	fs.Func("color", "", colorFlag(&f.color))
	fs.BoolVar(&f.prairielearn, "prairielearn", false, "")
	fs.Func("junit-flavor", "", junitFlavorFlag(&f.junitFlavor))
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
	if dir != "" {
		found, err := exerciseFiles(dir)
		if err != nil {
			return nil, err
		}
		files = append(files, found...)
	}
	switch {
	case len(files) == 0:
		return nil, errors.New("grade takes an exercise: netrun grade EXERCISE.yaml --submissions DIR, or --exercises DIR")
	case f.submissions == "":
		return nil, errors.New("grade needs --submissions DIR: a folder with one subfolder per student")
	case f.jobs < 1:
		return nil, errors.New("-j must be 1 or more")
	}
	f.exercises = files
	if f.out == "" {
		f.out = f.submissions
	}
	return f, nil
}

// exercise is one exercise to grade: its scenario, and its name, which is
// also the name of the students' programs.
type exercise struct {
	name string
	sc   *engine.Scenario
}

// student is one student's folder and their submissions, one per
// exercise.
type student struct {
	id   string // the folder's name
	dir  string
	subs []*submission
}

// submission is one student's program for one exercise, and its grading.
type submission struct {
	ex      *exercise
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

// gradeCmd grades every student's programs with the exercise scenarios.
func gradeCmd(args []string, stdout, stderr io.Writer) int {
	f, err := parseGrade(args)
	if status, done := parsed(err, "netrun grade", "grade", gradeHelp, stdout, stderr); done {
		return status
	}
	reg, ok := openRegistry(stderr)
	if !ok {
		return exitInvalid
	}
	exercises, students, ok := gradeInputs(f, reg, stderr)
	if !ok {
		return exitInvalid
	}
	defer reg.KillAll()
	red := usersRedactor(f.users)
	g := &grading{}
	ctx, stop := interrupts(emergency(reg, stderr, func() {}, func() {
		g.mu.Lock() // held until the exit: no result changes meanwhile
		g.frozen = true
		_ = writeGrades(f, exercises, students, red, "netrun was interrupted and ended before this student's grading did")
	}))
	defer stop()

	start := time.Now()
	notRun := gradeAll(ctx, g, f, len(exercises) > 1, students, red, stdout)
	status := exitOK
	g.mu.Lock()
	g.frozen = true
	err = writeGrades(f, exercises, students, red, "netrun was interrupted before this student's grading")
	if err == nil {
		err = writeGradeJSON(f, exercises, students, red)
	}
	g.mu.Unlock()
	if err != nil {
		fmt.Fprintln(stderr, "netrun grade:", err)
		status = exitFailed
	}
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "netrun grade: interrupted: %s not graded\n", plural(notRun, "submission"))
		status = exitInterrupted
	}
	fmt.Fprint(stdout, gradeFailures(students, len(exercises) > 1, red, 20))
	fmt.Fprintln(stdout, gradeSummary(students, time.Since(start), filepath.Join(f.out, scoresFile), filepath.Join(f.out, classReportFile)))
	return status
}

// gradeInputs loads the exercises, lists the students of the shard and
// makes the output folder; it reports false, having said why on stderr,
// when grading cannot start.
func gradeInputs(f *gradeFlags, reg *engine.Registry, stderr io.Writer) ([]*exercise, []*student, bool) {
	exercises, ok := loadExercises(f, reg, stderr)
	if !ok {
		return nil, nil, false
	}
	students, err := listStudents(f, exercises)
	if err == nil {
		students, err = f.sh.students(students, exercises, stderr)
	}
	if err == nil {
		err = os.MkdirAll(f.out, 0o755)
	}
	if err != nil {
		fmt.Fprintf(stderr, "netrun grade: %v\n", err)
		return nil, nil, false
	}
	return exercises, students, true
}

// gradeAll runs each exercise for every student, jobs at a time, each
// with its own program, sandbox and reports; free ports are shared, so
// that no two runs get the same one. With several exercises, each line
// names the exercise. On a terminal a status line shows who is being
// graded. Once ctx is cancelled no grading starts: notRun counts those
// left.
func gradeAll(ctx context.Context, g *grading, f *gradeFlags, several bool, students []*student, red *engine.Redactor, stdout io.Writer) (notRun int) {
	ports := engine.NewPorts()
	sem := make(chan struct{}, f.jobs)
	var wg sync.WaitGroup
	total := 0
	for _, st := range students {
		total += len(st.subs)
	}
	t := terminal(stdout, f.color, os.Getenv)
	out, live, stopLive := liveLine(stdout, t, total, "graded")
	defer stopLive()
	n := 0
	for _, st := range students {
		for _, sub := range st.subs {
			id := n
			n++
			sem <- struct{}{}
			if ctx.Err() != nil {
				<-sem
				notRun++
				continue
			}
			who := st.id
			if several {
				who += " " + sub.ex.name
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				if live != nil {
					live.Start(id, who)
					defer live.Done(id)
				}
				r, console := gradeOne(ctx, sub, ports, red, f.users)
				g.mu.Lock()
				defer g.mu.Unlock()
				if g.frozen {
					return
				}
				sub.result, sub.console = r, console
				fmt.Fprintf(out, "%s %s  %s/%s  %s\n", markFor(sub), who, num(r.Score), num(r.MaxScore), r.Duration.Round(time.Millisecond))
			}()
		}
	}
	wg.Wait()
	return notRun
}

// gradeOne runs one exercise for one student's program, on a sandbox of
// their own with users, and returns the result and its verbose console
// report.
func gradeOne(ctx context.Context, sub *submission, ports *engine.Ports, red *engine.Redactor, users map[string]string) (*engine.ScenarioResult, []byte) {
	var console bytes.Buffer
	c := &report.Console{W: &console, Verbose: true, Redactor: red}
	var r *engine.ScenarioResult
	if sub.program == "" {
		r = engine.NotRun(sub.ex.sc, sub.missing)
	} else {
		sb := sandbox.New(sandbox.Options{Users: users})
		defer sb.Close()
		r = runGuarded(ctx, withProgram(sub.ex.sc, sub.program), engine.RunOptions{Sandbox: sb, Ports: ports, Redactor: red, OnStep: c.Step})
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
