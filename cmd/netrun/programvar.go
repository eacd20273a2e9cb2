package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/netrunhq/netrun/engine"
)

// checkProgramPath checks --var program=PATH, the teaching contract (the
// student's program that a scenario spawns), before anything runs: PATH
// must be a regular file relative to the current folder or, as the spawn
// step also looks there, to the folder of a scenario that declares
// program; a word without / may also be a command of PATH. The error
// names the path as the user typed it.
func checkProgramPath(vars map[string]string, scs []*engine.Scenario) error {
	p, ok := vars["program"]
	if !ok {
		return nil
	}
	if p == "" {
		return fmt.Errorf("--var program=: the program's path is empty")
	}
	cands := []string{p}
	if !filepath.IsAbs(p) {
		for _, sc := range scs {
			if declares(sc, "program") && sc.File != "" {
				cands = append(cands, filepath.Join(filepath.Dir(sc.File), p))
			}
		}
	}
	var folder bool
	for _, c := range cands {
		st, err := os.Stat(c)
		switch {
		case err != nil:
		case st.Mode().IsRegular():
			return nil
		case st.IsDir():
			folder = true
		}
	}
	if !strings.ContainsAny(p, `/\`) {
		if _, err := exec.LookPath(p); err == nil {
			return nil
		}
	}
	if folder {
		return fmt.Errorf("--var program=%s: is a folder, not a program", p)
	}
	wd, _ := os.Getwd()
	return fmt.Errorf("--var program=%s: no such file (paths are relative to the current folder, %s)", p, wd)
}

// declares reports whether sc has a var named name.
func declares(sc *engine.Scenario, name string) bool {
	for _, b := range sc.Vars {
		if b.Name == name {
			return true
		}
	}
	return false
}
