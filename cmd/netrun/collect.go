package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v4"
)

// collect expands folders into their *.yaml and *.yml files, sorted;
// other arguments are files, loaded strictly whatever they hold. In a
// folder, hidden folders, testdata and node_modules are not entered, and
// a regular YAML file that is clearly no scenario (a mapping without a
// top-level steps key) is skipped: skipped lists those.
func collect(args []string) (files, skipped []string, err error) {
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil || !st.IsDir() {
			files = append(files, a)
			continue
		}
		var found []string
		before := len(skipped)
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != a && skipFolder(d.Name()) {
					return filepath.SkipDir
				}
				return nil
			}
			if ext := filepath.Ext(p); ext != ".yaml" && ext != ".yml" {
				return nil
			}
			if d.Type().IsRegular() && notScenario(p) {
				skipped = append(skipped, p)
				return nil
			}
			found = append(found, p)
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", a, err)
		}
		if n := len(skipped) - before; len(found) == 0 && n > 0 {
			return nil, nil, fmt.Errorf("%s: no scenario files (%s without steps)", a, plural(n, "YAML file"))
		}
		if len(found) == 0 {
			return nil, nil, fmt.Errorf("%s: no *.yaml or *.yml files", a)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, skipped, nil
}

// skipFolder reports whether a folder met in a walk is left out: hidden
// (.git), test data, or JavaScript packages.
func skipFolder(name string) bool {
	return strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules"
}

// maxPeek is the size of the files notScenario reads; a larger one goes
// to the loader, which has its own limits.
const maxPeek = 1 << 20

// notScenario reports whether the file at p is YAML whose document is a
// mapping without a "steps" key (a CI config, a docker-compose file) or a
// list. A
// file that does not parse, or is large, is left to the loader, which says
// what is wrong with it.
func notScenario(p string) bool {
	fh, err := os.Open(p)
	if err != nil {
		return false
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxPeek+1))
	if err != nil || len(data) > maxPeek {
		return false
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil || len(doc.Content) != 1 {
		return false
	}
	m := doc.Content[0]
	if m.Kind == yaml.SequenceNode {
		return true // an Ansible playbook, say: a scenario is a mapping
	}
	if m.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "steps" {
			return false
		}
	}
	return true
}
