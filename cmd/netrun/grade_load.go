package main

// Finding what netrun grade grades: the exercises, the students and
// their programs.

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/sandbox"
)

// exerciseFiles lists the *.yaml and *.yml files of dir (not of its
// subfolders, which may hold an exercise's data), sorted.
func exerciseFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("--exercises: %w", err)
	}
	var out []string
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--exercises %s: no *.yaml or *.yml files", dir)
	}
	sort.Strings(out)
	return out, nil
}

// loadExercises loads every exercise, each of which must declare the var
// program and have a name of its own; every --var must be declared by
// one. All errors are printed.
func loadExercises(f *gradeFlags, reg *engine.Registry, stderr io.Writer) ([]*exercise, bool) {
	var out []*exercise
	ok := true
	declared := map[string]bool{}
	names := map[string]string{}
	for _, file := range f.exercises {
		sc, err := engine.LoadFile(file, reg, engine.LoadOptions{Vars: f.vars, Services: sandbox.Names()})
		if err != nil {
			fmt.Fprintln(stderr, err)
			ok = false
			continue
		}
		if err := checkProgramVar(sc); err != nil {
			fmt.Fprintf(stderr, "netrun grade: %v\n", err)
			ok = false
			continue
		}
		for _, b := range sc.Vars {
			declared[b.Name] = true
		}
		name := exerciseName(file)
		if other, dup := names[name]; dup {
			fmt.Fprintf(stderr, "netrun grade: %s and %s are both exercise %s: the students' programs are named after the file\n", other, file, name)
			ok = false
			continue
		}
		names[name] = file
		out = append(out, &exercise{name: name, sc: sc})
	}
	for k := range f.vars {
		if ok && !declared[k] {
			which := "no exercise declares a"
			if len(f.exercises) == 1 {
				which = f.exercises[0] + " declares no"
			}
			fmt.Fprintf(stderr, "netrun grade: --var %s: %s var named %q\n", k, which, k)
			ok = false
		}
	}
	return out, ok
}

// checkProgramVar wants the exercise to declare the var program.
func checkProgramVar(sc *engine.Scenario) error {
	for _, b := range sc.Vars {
		if b.Name == "program" {
			return nil
		}
	}
	return fmt.Errorf("%s declares no var program: netrun grade passes each student's program as --var program=PATH", sc.File)
}

// exerciseName is the exercise file's base name without its extension:
// the name of the students' programs.
func exerciseName(file string) string {
	base := filepath.Base(file)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// listStudents lists the subfolders of the submissions folder, sorted, and
// finds each one's program for each exercise. Hidden folders and the
// output folder are not students.
func listStudents(f *gradeFlags, exercises []*exercise) ([]*student, error) {
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
		for _, ex := range exercises {
			sub := &submission{ex: ex}
			sub.program, sub.missing = findSubmission(dir, ex.name)
			st.subs = append(st.subs, sub)
		}
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
