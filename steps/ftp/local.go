package ftp

import (
	"fmt"
	"os"
	"path/filepath"
)

// openLocal returns the absolute path of to and the file a download to
// it is written to (see createLocal).
func openLocal(to string) (string, *os.File, error) {
	abs, err := filepath.Abs(to)
	if err != nil {
		return "", nil, fmt.Errorf("to: %w", err)
	}
	f, err := createLocal(abs)
	if err != nil {
		return abs, nil, fmt.Errorf("to: %w", err)
	}
	return abs, f, nil
}

// discardLocal closes f, unless finish did (f is then nil), and removes
// it when it is a temporary file beside to.
func discardLocal(f *os.File, to string) {
	if f == nil {
		return
	}
	_ = f.Close()
	if f.Name() != to {
		_ = os.Remove(f.Name())
	}
}

// createLocal opens the file a download is written to: a temporary file
// beside to, which finish renames to it, when to is or will be a regular
// file; to itself when it is something else, such as /dev/null or a pipe.
// Missing folders are made.
func createLocal(to string) (*os.File, error) {
	if fi, err := os.Stat(to); err == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return nil, fmt.Errorf("%s is a folder: name the file to write", to)
		}
		return os.OpenFile(to, os.O_WRONLY, 0)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return nil, err
	}
	return os.CreateTemp(filepath.Dir(to), "."+filepath.Base(to)+".part-*")
}

// finish closes f and renames it to to, unless f is to itself.
func finish(f *os.File, to string) error {
	if f.Name() == to {
		return f.Close()
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("to: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("to: %w", err)
	}
	if err := os.Rename(f.Name(), to); err != nil {
		_ = os.Remove(f.Name())
		return fmt.Errorf("to: %w", err)
	}
	return nil
}

// localError is a failure to write the local file.
type localError struct{ err error }

func (e *localError) Error() string { return "to: " + e.err.Error() }
func (e *localError) Unwrap() error { return e.err }
