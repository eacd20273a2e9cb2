package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report/merge"
)

// mergeCmd is netrun merge -o DIR REPORT.json...: the reports of the
// shards of a run, merged into the reports of the whole run.
func mergeCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("netrun merge")
	var out string
	fs.StringVar(&out, "o", "", "")
	files, err := parseInterleaved(fs, args)
	switch {
	case err == nil && out == "":
		err = errors.New("merge needs -o DIR: where the merged reports go")
	case err == nil && len(files) == 0:
		err = errors.New("merge needs the JSON reports of the shards")
	}
	if status, done := parsed(err, "netrun merge", "merge", mergeHelp, stdout, stderr); done {
		return status
	}
	in, err := merge.Read(files)
	var m *merge.Merged
	if err == nil {
		m, err = merge.Merge(in)
	}
	if err == nil {
		err = m.Write(out, engine.NewRedactor())
	}
	if err != nil {
		fmt.Fprintln(stderr, "netrun", err)
		return exitInvalid
	}
	status, failed := exitOK, 0
	for _, r := range m.Results {
		if r.Status != engine.Passed {
			status, failed = exitFailed, failed+1
		}
	}
	from := plural(len(in), "report")
	if m.Shards > 0 {
		from = fmt.Sprintf("all %d shards", m.Shards)
	}
	fmt.Fprintf(stdout, "merged %d results (%d not passed) from %s into %s\n", len(m.Results), failed, from, out)
	return status
}
