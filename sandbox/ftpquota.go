package sandbox

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/spf13/afero"
)

// ftpQuota is how many bytes the users of one sandbox may upload to its
// FTP trees in all, over its lifetime: the trees live in memory, and a
// program under test that uploads without end must not exhaust netrun's.
const ftpQuota = 256 << 20

// errQuota is what an upload gets past the quota.
var errQuota = errors.New("the sandbox's FTP upload quota (256 MiB) is used up")

// quota counts the bytes written to the FTP trees.
type quota struct {
	mu   sync.Mutex
	used int64
	max  int64
}

// take counts n more bytes, or refuses them past the quota.
func (q *quota) take(n int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.used+int64(n) > q.max {
		return errQuota
	}
	q.used += int64(n)
	return nil
}

// quotaFs is an afero.Fs whose files opened for writing count what is
// written against a quota.
type quotaFs struct {
	afero.Fs
	q *quota
}

// Create creates name, counting its writes.
func (fs quotaFs) Create(name string) (afero.File, error) {
	f, err := fs.Fs.Create(name)
	if err != nil {
		return nil, err
	}
	return quotaFile{File: f, q: fs.q}, nil
}

// OpenFile opens name, counting its writes when it is opened for writing.
func (fs quotaFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	f, err := fs.Fs.OpenFile(name, flag, perm)
	if err != nil || flag&(os.O_WRONLY|os.O_RDWR) == 0 {
		return f, err
	}
	return quotaFile{File: f, q: fs.q}, nil
}

// quotaFile is a file whose writes count against a quota.
type quotaFile struct {
	afero.File
	q *quota
}

// Write writes p when the quota allows it.
func (f quotaFile) Write(p []byte) (int, error) {
	if err := f.q.take(len(p)); err != nil {
		return 0, err
	}
	return f.File.Write(p)
}

// WriteAt writes p at off when the quota allows it, and off is within the
// file: a gap would be filled with zeros the quota never counted.
func (f quotaFile) WriteAt(p []byte, off int64) (int, error) {
	if err := f.within(off); err != nil {
		return 0, err
	}
	if err := f.q.take(len(p)); err != nil {
		return 0, err
	}
	return f.File.WriteAt(p, off)
}

// Seek moves within the file, never past its end: REST N then STOR would
// otherwise make the in-memory file N zero bytes long, uncounted.
func (f quotaFile) Seek(off int64, whence int) (int64, error) {
	target := off
	switch whence {
	case io.SeekCurrent:
		cur, err := f.File.Seek(0, io.SeekCurrent)
		if err != nil {
			return 0, err
		}
		target += cur
	case io.SeekEnd:
		st, err := f.File.Stat()
		if err != nil {
			return 0, err
		}
		target += st.Size()
	}
	if err := f.within(target); err != nil {
		return 0, err
	}
	return f.File.Seek(off, whence)
}

// within fails when off is past the end of the file.
func (f quotaFile) within(off int64) error {
	st, err := f.File.Stat()
	if err != nil {
		return err
	}
	if off > st.Size() {
		return fmt.Errorf("offset %d is past the end of the file (%d bytes)", off, st.Size())
	}
	return nil
}

// WriteString writes s when the quota allows it.
func (f quotaFile) WriteString(s string) (int, error) {
	if err := f.q.take(len(s)); err != nil {
		return 0, err
	}
	return f.File.WriteString(s)
}
