package sandbox

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// memFile is an open file or folder of a memFS, an afero.File.
type memFile struct {
	st          *memStore
	n           *memNode
	path        string
	read, write bool
	append      bool
	pos         int64
	closed      bool
	// listed is what Readdir still has to give, once it started.
	listed  []os.FileInfo
	started bool
}

// check fails on a closed handle, one the operation is not open for, or
// a file that was removed; the caller holds the lock.
func (f *memFile) check(op string, write bool) error {
	switch {
	case f.closed:
		return &os.PathError{Op: op, Path: f.path, Err: os.ErrClosed}
	case write && !f.write, !write && !f.read:
		return &os.PathError{Op: op, Path: f.path, Err: os.ErrPermission}
	case f.n.removed && write:
		return &os.PathError{Op: op, Path: f.path, Err: errRemoved}
	case f.n.dir && op != "readdir" && op != "stat" && op != "close":
		return &os.PathError{Op: op, Path: f.path, Err: errors.New("is a directory")}
	}
	return nil
}

// Name is the file's path.
func (f *memFile) Name() string { return f.path }

// Close closes the handle.
func (f *memFile) Close() error {
	f.st.mu.Lock()
	defer f.st.mu.Unlock()
	if f.closed {
		return &os.PathError{Op: "close", Path: f.path, Err: os.ErrClosed}
	}
	f.closed = true
	return nil
}

// Read reads from the position.
func (f *memFile) Read(p []byte) (int, error) {
	return f.io("read", false, func() (int, error) {
		k, err := f.st.readAt(f.n, p, f.pos)
		f.pos += int64(k)
		return k, err
	})
}

// ReadAt reads from off.
func (f *memFile) ReadAt(p []byte, off int64) (int, error) {
	return f.io("read", false, func() (int, error) { return f.st.readAt(f.n, p, off) })
}

// io runs a read or write, op, with the store locked, once check allows it.
func (f *memFile) io(op string, write bool, do func() (int, error)) (int, error) {
	f.st.mu.Lock()
	defer f.st.mu.Unlock()
	if err := f.check(op, write); err != nil {
		return 0, err
	}
	return do()
}

// Seek moves within the file, never past its end: REST N then STOR would
// otherwise make a file of N zero bytes.
func (f *memFile) Seek(off int64, whence int) (int64, error) {
	f.st.mu.Lock()
	defer f.st.mu.Unlock()
	if err := f.check("seek", f.write && !f.read); err != nil {
		return 0, err
	}
	switch whence {
	case io.SeekCurrent:
		off += f.pos
	case io.SeekEnd:
		off += f.n.size
	}
	if off < 0 || off > f.n.size {
		return 0, fmt.Errorf("offset %d is outside the file (%d bytes)", off, f.n.size)
	}
	f.pos = off
	return off, nil
}

// Write writes at the position (at the end with O_APPEND).
func (f *memFile) Write(p []byte) (int, error) {
	return f.io("write", true, func() (int, error) {
		if f.append {
			f.pos = f.n.size
		}
		k, err := f.st.writeAt(f.n, p, f.pos)
		f.pos += int64(k)
		return k, err
	})
}

// WriteAt writes at off, which is within the file or at its end.
func (f *memFile) WriteAt(p []byte, off int64) (int, error) {
	return f.io("write", true, func() (int, error) { return f.st.writeAt(f.n, p, off) })
}

// WriteString writes s.
func (f *memFile) WriteString(s string) (int, error) { return f.Write([]byte(s)) }

// Truncate sets the file's size: it gives back what it no longer holds,
// or adds zeros (counted).
func (f *memFile) Truncate(size int64) error {
	f.st.mu.Lock()
	defer f.st.mu.Unlock()
	if err := f.check("truncate", true); err != nil {
		return err
	}
	if size < 0 {
		return &os.PathError{Op: "truncate", Path: f.path, Err: os.ErrInvalid}
	}
	if size <= f.n.size {
		f.st.truncate(f.n, size)
		return nil
	}
	zeros := make([]byte, min(size-f.n.size, chunkSize))
	for f.n.size < size {
		if _, err := f.st.writeAt(f.n, zeros[:min(int64(len(zeros)), size-f.n.size)], f.n.size); err != nil {
			return err
		}
	}
	return nil
}

// Sync does nothing.
func (f *memFile) Sync() error { return nil }

// Stat describes the file.
func (f *memFile) Stat() (os.FileInfo, error) {
	f.st.mu.Lock()
	defer f.st.mu.Unlock()
	return f.n.info(), nil
}

// Readdir gives the folder's entries, count at a time (all when count <=
// 0), sorted by name.
func (f *memFile) Readdir(count int) ([]os.FileInfo, error) {
	f.st.mu.Lock()
	defer f.st.mu.Unlock()
	if err := f.check("readdir", false); err != nil {
		return nil, err
	}
	if !f.n.dir {
		return nil, &os.PathError{Op: "readdir", Path: f.path, Err: errors.New("not a directory")}
	}
	if !f.started {
		f.listed, f.started = f.n.entries(), true
	}
	if count <= 0 {
		out := f.listed
		f.listed = nil
		return out, nil
	}
	if len(f.listed) == 0 {
		return nil, io.EOF
	}
	k := min(count, len(f.listed))
	out := f.listed[:k]
	f.listed = f.listed[k:]
	return out, nil
}

// Readdirnames gives the names of Readdir.
func (f *memFile) Readdirnames(n int) ([]string, error) {
	infos, err := f.Readdir(n)
	names := make([]string, len(infos))
	for i, fi := range infos {
		names[i] = fi.Name()
	}
	return names, err
}

// readAt copies from n at off into p; the caller holds the lock.
func (st *memStore) readAt(n *memNode, p []byte, off int64) (int, error) {
	if off >= n.size {
		return 0, eof
	}
	k := 0
	for k < len(p) && off < n.size {
		c := n.chunks[off/chunkSize]
		m := copy(p[k:], c[off%chunkSize:])
		k += m
		off += int64(m)
	}
	return k, nil
}

// writeAt writes p into n at off, within n or at its end, overwriting
// what is there and appending the rest; the caller holds the lock. Past
// the quota it writes what it could and fails.
func (st *memStore) writeAt(n *memNode, p []byte, off int64) (int, error) {
	if off < 0 || off > n.size {
		return 0, fmt.Errorf("offset %d is past the end of the file (%d bytes)", off, n.size)
	}
	k := 0
	for k < len(p) && off < n.size {
		c := n.chunks[off/chunkSize]
		m := copy(c[off%chunkSize:], p[k:])
		k += m
		off += int64(m)
	}
	for k < len(p) {
		last := len(n.chunks) - 1
		if last < 0 || len(n.chunks[last]) == chunkSize {
			// The first chunk grows from what the file needs, so that a
			// small file holds little; the others are whole at once, so
			// that a large one is never copied.
			c := chunkSize
			if last < 0 {
				c = min(chunkSize, max(minChunk, len(p)-k))
			}
			if err := st.q.take(c); err != nil {
				return k, err
			}
			n.chunks = append(n.chunks, make([]byte, 0, c))
			last++
		}
		c := n.chunks[last]
		if len(c) == cap(c) {
			grown := min(chunkSize, max(2*cap(c), len(c)+len(p)-k))
			if err := st.q.take(grown - cap(c)); err != nil {
				return k, err
			}
			c = append(make([]byte, 0, grown), c...)
		}
		m := min(cap(c)-len(c), len(p)-k)
		n.chunks[last] = append(c, p[k:k+m]...)
		k += m
		n.size += int64(m)
	}
	return k, nil
}

// truncate shortens n to size, giving back the chunks it no longer needs;
// the caller holds the lock.
func (st *memStore) truncate(n *memNode, size int64) {
	if size >= n.size {
		return
	}
	keep := int((size + chunkSize - 1) / chunkSize)
	for i := keep; i < len(n.chunks); i++ {
		st.q.give(cap(n.chunks[i]))
		n.chunks[i] = nil
	}
	n.chunks = n.chunks[:keep]
	if keep == 0 {
		n.chunks = nil
	} else {
		n.chunks[keep-1] = n.chunks[keep-1][:size-int64(keep-1)*chunkSize]
	}
	n.size = size
}
