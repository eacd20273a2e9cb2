package sandbox

import (
	"errors"
	"os"
	"testing"

	"github.com/spf13/afero"
)

// TestFTPQuota checks that writes to the FTP trees stop at the quota,
// whichever way the file was opened, and that reading is not counted.
func TestFTPQuota(t *testing.T) {
	q := &quota{max: 10}
	fs := quotaFs{Fs: afero.NewMemMapFs(), q: q}
	f, err := fs.Create("/a")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.Write([]byte("12345678")); n != 8 || err != nil {
		t.Fatalf("Write within the quota = %d, %v", n, err)
	}
	if _, err := f.Write([]byte("abc")); !errors.Is(err, errQuota) {
		t.Fatalf("Write past the quota: err = %v, want errQuota", err)
	}
	f.Close()
	g, err := fs.OpenFile("/b", os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.WriteString("xyz"); !errors.Is(err, errQuota) {
		t.Fatalf("WriteString on another file past the quota: err = %v, want errQuota", err)
	}
	g.Close()
	r, err := fs.OpenFile("/a", os.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, ok := r.(quotaFile); ok {
		t.Error("a file opened for reading is counted")
	}
	if got, _ := afero.ReadFile(fs, "/a"); string(got) != "12345678" {
		t.Errorf("/a holds %q", got)
	}
}
