package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
	"github.com/netrunhq/netrun/internal/atomicfile"
)

// stdoutPath is the report path that means standard output.
const stdoutPath = "-"

// reportFlag is one report a command line asks for: its flag, its path
// (or "-") and its writer.
type reportFlag struct {
	flag  string // "--junit"
	path  string
	write func(io.Writer, []*engine.ScenarioResult, *engine.Redactor) error
}

// prepareReports checks the report paths before anything runs, so that a
// path that cannot be written is a command-line error and nothing is
// sent: it creates the missing folders of each path, and the file when
// it does not exist.
// "-" is standard output, for one report at most. A folder, or a path
// that looks like a scenario (a report flag given no FILE takes the next
// argument), is refused rather than overwritten.
func prepareReports(reports []reportFlag) error {
	seen := map[string]string{}
	for _, r := range reports {
		if r.path == "" {
			continue
		}
		key := r.path
		if r.path != stdoutPath {
			key, _ = filepath.Abs(r.path)
		}
		if other, ok := seen[key]; ok {
			return fmt.Errorf("%s and %s both write %s", other, r.flag, r.path)
		}
		seen[key] = r.flag
		if r.path == stdoutPath {
			continue
		}
		if st, err := os.Stat(r.path); err == nil && st.IsDir() {
			return fmt.Errorf("%s %s: is a folder; give a FILE (or - for stdout)", r.flag, r.path)
		}
		if ext := strings.ToLower(filepath.Ext(r.path)); ext == ".yaml" || ext == ".yml" {
			return fmt.Errorf("%s %s: a report would replace a scenario file; give a FILE (or - for stdout)", r.flag, r.path)
		}
		if err := os.MkdirAll(filepath.Dir(r.path), 0o755); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		// Opened without truncating it: the last report stays until the
		// new one replaces it whole.
		fh, err := os.OpenFile(r.path, os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		if err := fh.Close(); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	return nil
}

// anyToStdout reports whether a report goes to standard output; the
// console then goes to standard error.
func anyToStdout(reports []reportFlag) bool {
	for _, r := range reports {
		if r.path == stdoutPath {
			return true
		}
	}
	return false
}

// writeReportFiles writes each report to its file, or to stdout for "-";
// one that fails does not keep the others from being written.
func writeReportFiles(reports []reportFlag, results []*engine.ScenarioResult, red *engine.Redactor, stdout io.Writer) error {
	var errs []error
	for _, r := range reports {
		if r.path == "" {
			continue
		}
		if r.path == stdoutPath {
			if err := r.write(stdout, results, red); err != nil {
				errs = append(errs, fmt.Errorf("%s -: %w", r.flag, err))
			}
			continue
		}
		if err := writeFileWith(r.path, func(w io.Writer) error { return r.write(w, results, red) }); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// writeFileWith writes path with write, to a temporary file in its folder
// renamed over it, so that a reader never sees half a report: the one
// mechanism of every report file (internal/atomicfile).
func writeFileWith(path string, write func(io.Writer) error) error {
	return atomicfile.Write(path, write)
}

// runReports lists the reports of netrun run's flags.
func runReports(f *runFlags) []reportFlag {
	return []reportFlag{
		{"--tap", f.tap, report.WriteTAP},
		{"--junit", f.junit, f.junitFlavor.Write},
		{"--json", f.json, f.sh.writeJSON}, // with the shard (shard.go)
		{"--gradescope", f.gradescope, report.WriteGradescope},
		{"--prairielearn", f.prairielearn, report.WritePrairieLearn},
	}
}

// junitFlavorFlag parses --junit-flavor.
func junitFlavorFlag(dst *report.JUnitFlavor) func(string) error {
	return func(s string) error {
		fl, err := report.ParseJUnitFlavor(s)
		if err == nil {
			*dst = fl
		}
		return err
	}
}
