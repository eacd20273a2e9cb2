package sandbox

import (
	"errors"
	"io"
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

// TestFTPQuotaNoGaps checks that a write cannot leave a gap past the end
// of a file (REST N then STOR), which would fill it with N uncounted
// zeros, while a seek within the file (REST to resume) still works.
func TestFTPQuotaNoGaps(t *testing.T) {
	fs := quotaFs{Fs: afero.NewMemMapFs(), q: &quota{max: 1 << 20}}
	f, err := fs.OpenFile("/a", os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write([]byte("1234")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(2, io.SeekStart); err != nil {
		t.Errorf("seek within the file: %v", err)
	}
	for _, seek := range []func() error{
		func() error { _, err := f.Seek(100<<30, io.SeekStart); return err },
		func() error { _, err := f.Seek(1, io.SeekEnd); return err },
		func() error { _, err := f.WriteAt([]byte("x"), 100<<30); return err },
	} {
		if err := seek(); err == nil {
			t.Error("a seek or write past the end of the file was allowed")
		}
	}
	if st, _ := fs.Stat("/a"); st.Size() != 4 {
		t.Errorf("/a is %d bytes, want 4", st.Size())
	}
}
