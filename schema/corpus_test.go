package schema_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v4"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/all"
)

const (
	scenariosDir = "../scenarios"
	corpusDir    = "../engine/testdata/corpus"
)

// registry serves the protocols of this build, as the CLI does.
func registry(t *testing.T) *engine.Registry {
	t.Helper()
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestScenarios checks every example scenario against the schema and the
// loader.
func TestScenarios(t *testing.T) {
	if _, err := os.Stat(scenariosDir); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s does not exist yet", scenariosDir)
	}
	var files []string
	err := filepath.WalkDir(scenariosDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("%s holds no *.yaml files", scenariosDir)
	}
	sch, reg := compile(t), registry(t)
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			data := read(t, f)
			if err := sch.Validate(instance(t, data)); err != nil {
				t.Errorf("schema rejects %s:\n%v", f, err)
			}
			if _, err := engine.LoadBytes(f, data, reg, engine.LoadOptions{}); err != nil {
				t.Errorf("loader rejects %s:\n%v", f, err)
			}
		})
	}
}

// TestCorpusGood: every file in corpus/good is accepted by both the schema
// and the loader.
func TestCorpusGood(t *testing.T) {
	sch, reg := compile(t), registry(t)
	for _, f := range corpus(t, "good") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data := read(t, f)
			if err := sch.Validate(instance(t, data)); err != nil {
				t.Errorf("schema rejects it:\n%v", err)
			}
			if _, err := engine.LoadBytes(f, data, reg, engine.LoadOptions{}); err != nil {
				t.Errorf("loader rejects it:\n%v", err)
			}
		})
	}
}

// TestCorpusBad: every file in corpus/bad is rejected by both the schema and
// the loader. A file says why in its leading comments:
//
//	# want: TEXT   the loader's errors must contain TEXT
//	# at: POINTER  a schema error must stand at or under this JSON pointer
func TestCorpusBad(t *testing.T) {
	sch, reg := compile(t), registry(t)
	for _, f := range corpus(t, "bad") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data := read(t, f)
			want, at := directives(data)
			if want == "" {
				t.Fatal("no `# want:` comment says which loader error is expected")
			}
			err := sch.Validate(instance(t, data))
			if err == nil {
				t.Error("schema accepts it")
			} else if at != "" && !errorAt(err, at) {
				t.Errorf("schema rejects it, but not at %s:\n%v", at, err)
			}
			_, err = engine.LoadBytes(f, data, reg, engine.LoadOptions{})
			switch {
			case err == nil:
				t.Error("loader accepts it")
			case !strings.Contains(err.Error(), want):
				t.Errorf("loader error does not contain %q:\n%v", want, err)
			}
		})
	}
}

// corpus lists the *.yaml files of corpus/kind; there must be some.
func corpus(t *testing.T, kind string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, kind, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no files in %s/%s", corpusDir, kind)
	}
	return files
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// directives reads `# want:` and `# at:` from the file's leading comments.
func directives(data []byte) (want, at string) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "#") {
			break
		}
		line = strings.TrimSpace(strings.TrimPrefix(line, "#"))
		if v, ok := strings.CutPrefix(line, "want:"); ok {
			want = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "at:"); ok {
			at = strings.TrimSpace(v)
		}
	}
	return want, at
}

// errorAt reports whether err, or any error under it, stands at pointer or
// below it.
func errorAt(err error, pointer string) bool {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	var walk func(*jsonschema.ValidationError) bool
	walk = func(e *jsonschema.ValidationError) bool {
		loc := ""
		for _, p := range e.InstanceLocation {
			loc += "/" + p
		}
		if loc == pointer || strings.HasPrefix(loc, pointer+"/") {
			return true
		}
		for _, c := range e.Causes {
			if walk(c) {
				return true
			}
		}
		return false
	}
	return walk(ve)
}

// instance decodes YAML into the values a JSON decoder would give.
func instance(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatalf("not YAML: %v", err)
	}
	out, err := jsonValue(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// jsonValue converts decoded YAML: mapping keys become strings, timestamps
// and binary become strings.
func jsonValue(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			out[fmt.Sprint(k)] = c
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case time.Time:
		return x.Format(time.RFC3339Nano), nil
	case []byte:
		return string(x), nil
	case nil, string, bool, int, int64, uint64, float64:
		return x, nil
	}
	return nil, fmt.Errorf("cannot convert YAML value %#v to JSON", v)
}
