package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"os"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/spf13/afero"
)

// testTree is a tree on a store of quota max.
func testTree(max int64) (*memFS, *quota) {
	q := &quota{max: max}
	return newMemFS(&memStore{q: q}), q
}

// TestFTPQuota checks that writes to the FTP trees stop at the quota,
// whichever way the file was opened, that reading is not counted, and
// that a file removed, truncated or replaced gives back what it held.
func TestFTPQuota(t *testing.T) {
	fs, q := testTree(2*nodeCost + chunkSize)
	f, err := fs.Create("/a")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.Write(bytes.Repeat([]byte("x"), chunkSize)); n != chunkSize || err != nil {
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
	before := q.held()
	if got, _ := afero.ReadFile(fs, "/a"); len(got) != chunkSize {
		t.Errorf("/a holds %d bytes", len(got))
	}
	if q.held() != before {
		t.Errorf("reading counted %d bytes", q.held()-before)
	}
	if err := fs.Remove("/a"); err != nil {
		t.Fatal(err)
	}
	if q.held() != nodeCost {
		t.Errorf("after removing /a the store holds %d bytes, want %d (the empty /b)", q.held(), nodeCost)
	}
	if err := afero.WriteFile(fs, "/b", []byte("room again"), 0o644); err != nil {
		t.Errorf("a write after a removal: %v", err)
	}
	if err := afero.WriteFile(fs, "/b", []byte("x"), 0o644); err != nil || q.held() != nodeCost+minChunk {
		t.Errorf("a file truncated and written again: %v, the store holds %d", err, q.held())
	}
	if err := fs.RemoveAll("/"); err == nil && q.held() != nodeCost+minChunk {
		t.Errorf("RemoveAll of the root removed something")
	}
}

// TestFTPQuotaNoGaps checks that a write cannot leave a gap past the end
// of a file (REST N then STOR), which would fill it with N zeros, while a
// seek within the file (REST to resume) still works.
func TestFTPQuotaNoGaps(t *testing.T) {
	fs, _ := testTree(1 << 20)
	f, err := fs.OpenFile("/a", os.O_CREATE|os.O_RDWR, 0o644)
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
	if _, err := f.Write([]byte("ab")); err != nil {
		t.Fatal(err)
	}
	if got, _ := afero.ReadFile(fs, "/a"); string(got) != "12ab" {
		t.Errorf("/a holds %q, want 12ab", got)
	}
}

// TestFTPTree checks the tree as ftpserverlib uses it: files across chunk
// boundaries read back whole, listings with sizes, rename (also over a
// file), append, truncate, and handles of removed files.
func TestFTPTree(t *testing.T) {
	fs, q := testTree(16 << 20)
	big := make([]byte, 3*chunkSize+123)
	for i := range big {
		big[i] = byte(i * 7)
	}
	if err := fs.MkdirAll("/d/e", 0o755); err != nil {
		t.Fatal(err)
	}
	f, _ := fs.Create("/d/big")
	for rest := big; len(rest) > 0; rest = rest[min(len(rest), 1000):] {
		if _, err := f.Write(rest[:min(len(rest), 1000)]); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	if got, _ := afero.ReadFile(fs, "/d/big"); !bytes.Equal(got, big) {
		t.Fatalf("/d/big read back %d bytes, not what was written", len(got))
	}
	if extra := q.held() - 3*nodeCost - int64(len(big)); extra < 0 || extra >= chunkSize {
		t.Errorf("the store holds %d bytes for a file of %d and 2 folders", q.held(), len(big))
	}
	_ = afero.WriteFile(fs, "/d/small", []byte("hi"), 0o644)
	a, _ := fs.OpenFile("/d/small", os.O_WRONLY|os.O_APPEND, 0)
	_, _ = a.Write([]byte(" there"))
	a.Close()
	if err := fs.Rename("/d/small", "/d/big"); err != nil {
		t.Fatal(err)
	}
	if held := q.held(); held != 3*nodeCost+minChunk {
		t.Errorf("after a rename over /d/big the store holds %d bytes", held)
	}
	d, _ := fs.Open("/d")
	infos, _ := d.Readdir(-1)
	var got []string
	for _, fi := range infos {
		got = append(got, fmt.Sprintf("%s:%d:%v", fi.Name(), fi.Size(), fi.IsDir()))
	}
	sort.Strings(got)
	if fmt.Sprint(got) != "[big:8:false e:0:true]" {
		t.Errorf("Readdir /d = %v", got)
	}
	h, _ := fs.OpenFile("/d/big", os.O_RDWR, 0)
	if err := h.Truncate(1); err != nil {
		t.Fatal(err)
	}
	if err := fs.RemoveAll("/d"); err != nil || q.held() != 0 {
		t.Errorf("RemoveAll /d: %v; the store holds %d bytes", err, q.held())
	}
	if _, err := h.Write([]byte("x")); err == nil {
		t.Error("a write to a removed file succeeded")
	}
	if _, err := fs.Stat("/d"); !os.IsNotExist(err) {
		t.Errorf("Stat of a removed folder: %v", err)
	}
}

// heapPeak runs f and returns the most heap in use above what was in use
// before, sampled every millisecond, and what is in use after f and a
// collection.
func heapPeak(f func()) (peak, after int64) {
	base := heapInUse()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var s runtime.MemStats
		for {
			runtime.ReadMemStats(&s)
			peak = max(peak, int64(s.HeapInuse)-base)
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	return peak, heapInUse() - base
}

// heapInUse is the heap in use after a collection.
func heapInUse() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse)
}

// TestFTPStoreMemory uploads to the sandbox over FTP until its trees are
// full, and measures the heap: the trees take what the quota counts and
// little more, and deleting the files gives the memory and the quota
// back.
func TestFTPStoreMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 64 MiB")
	}
	const limit = 64 << 20
	s := newSandbox(t, Options{})
	s.ftp.store.q.max = limit
	c := ftpDial(t, s, "ftp", "alice", "secret", false)
	data := bytes.Repeat([]byte("netrun sandbox!\n"), (5<<20)/16)
	var stored []string
	base := heapInUse()
	peak, after := heapPeak(func() {
		for i := 0; i < 20; i++ {
			name := fmt.Sprintf("/f%d", i)
			stored = append(stored, name)
			if err := c.Stor(name, bytes.NewReader(data)); err != nil {
				var te *textproto.Error
				if !errors.As(err, &te) || te.Code != 550 {
					t.Fatalf("STOR %s: %v", name, err)
				}
				break
			}
		}
	})
	t.Logf("%d files of 5 MiB stored; heap peak %.1f MiB (%.2f times the quota), %.1f MiB after",
		len(stored)-1, float64(peak)/(1<<20), float64(peak)/limit, float64(after)/(1<<20))
	if len(stored)-1 != limit/len(data) {
		t.Errorf("%d files of 5 MiB stored under a quota of 64 MiB, want 12", len(stored)-1)
	}
	if max := int64(limit + limit/4 + 8<<20); peak > max || after > max {
		t.Errorf("the trees took %d bytes of heap at the peak, %d after, more than the quota and a quarter and 8 MiB", peak, after)
	}
	// The upload that failed left what it wrote: it goes too.
	for _, name := range stored {
		if err := c.Delete(name); err != nil {
			t.Fatal(err)
		}
	}
	after = heapInUse() - base
	t.Logf("after deleting them: %.1f MiB of heap more than before the uploads, %d bytes counted", float64(after)/(1<<20), s.ftp.store.q.held())
	if after > 8<<20 || s.ftp.store.q.held() > 64<<10 {
		t.Errorf("deleting the files gave back neither the memory (%d bytes still in use) nor the quota (%d held)", after, s.ftp.store.q.held())
	}
	if err := c.Stor("/again", bytes.NewReader(data)); err != nil {
		t.Errorf("an upload after deleting: %v", err)
	}
}

// TestFTPRenameAsVsftpd checks renames as rename(2) does them, which
// vsftpd answers: a folder never replaces a file (550, the file kept), and
// renaming a file to its own name succeeds.
func TestFTPRenameAsVsftpd(t *testing.T) {
	fs, _ := testTree(1 << 20)
	if err := afero.WriteFile(fs, "/f.txt", []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := fs.Mkdir("/d", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := fs.Rename("/d", "/f.txt"); err == nil {
		t.Fatal("a folder replaced a file")
	}
	if b, err := afero.ReadFile(fs, "/f.txt"); err != nil || string(b) != "keep" {
		t.Fatalf("the file after a refused rename: %q, %v", b, err)
	}
	for _, to := range []string{"/f.txt", "f.txt", "/./f.txt"} {
		if err := fs.Rename("/f.txt", to); err != nil {
			t.Fatalf("rename to its own name %q: %v", to, err)
		}
	}
	if err := fs.Rename("/f.txt", "/d"); err == nil {
		t.Fatal("a file replaced a folder")
	}
}
