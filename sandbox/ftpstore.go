package sandbox

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/afero"
)

// An FTP tree (memFS) keeps each file as a list of chunks of chunkSize
// bytes, the last of which grows by doubling from minChunk: a file never
// holds more than chunkSize bytes it does not use, and a write never
// copies what came before. What the chunks take, and nodeCost for each
// file and folder, is counted against the quota of all trees, and given
// back when a file shrinks or is removed.
const (
	chunkSize = 64 << 10
	minChunk  = 512
	nodeCost  = 256
)

// memStore is what the users' FTP trees share: one lock and the quota.
type memStore struct {
	mu sync.Mutex
	q  *quota
}

// memNode is a file or a folder.
type memNode struct {
	name     string
	dir      bool
	mode     os.FileMode
	mod      time.Time
	children map[string]*memNode
	chunks   [][]byte
	size     int64
	// removed is set when the node left the tree: its handles fail.
	removed bool
}

// memFS is one user's FTP tree, an afero.Fs.
type memFS struct {
	st   *memStore
	root *memNode
}

// newMemFS makes an empty tree on st.
func newMemFS(st *memStore) *memFS {
	return &memFS{st: st, root: &memNode{name: "/", dir: true, mode: os.ModeDir | 0o755, mod: time.Now(), children: map[string]*memNode{}}}
}

// clean makes name an absolute, clean path.
func clean(name string) string { return path.Clean("/" + strings.ReplaceAll(name, "\\", "/")) }

// find returns the node at name, or nil.
func (m *memFS) find(name string) *memNode {
	n := m.root
	for _, part := range strings.Split(strings.TrimPrefix(clean(name), "/"), "/") {
		if part == "" {
			continue
		}
		if !n.dir {
			return nil
		}
		if n = n.children[part]; n == nil {
			return nil
		}
	}
	return n
}

// parent returns the folder that holds name, and name's base.
func (m *memFS) parent(op, name string) (*memNode, string, error) {
	p := clean(name)
	if p == "/" {
		return nil, "", &os.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	d := m.find(path.Dir(p))
	if d == nil || !d.dir {
		return nil, "", &os.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	return d, path.Base(p), nil
}

// Name names the file system.
func (m *memFS) Name() string { return "netrun sandbox FTP tree" }

// Create creates or truncates name.
func (m *memFS) Create(name string) (afero.File, error) {
	return m.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
}

// Mkdir makes the folder name.
func (m *memFS) Mkdir(name string, perm os.FileMode) error {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	return m.mkdir(name, perm)
}

func (m *memFS) mkdir(name string, perm os.FileMode) error {
	d, base, err := m.parent("mkdir", name)
	if err != nil {
		return err
	}
	if d.children[base] != nil {
		return &os.PathError{Op: "mkdir", Path: name, Err: fs.ErrExist}
	}
	if err := m.st.q.take(nodeCost); err != nil {
		return err
	}
	d.children[base] = &memNode{name: base, dir: true, mode: os.ModeDir | perm.Perm(), mod: time.Now(), children: map[string]*memNode{}}
	d.mod = time.Now()
	return nil
}

// MkdirAll makes the folder p and those above it.
func (m *memFS) MkdirAll(p string, perm os.FileMode) error {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	cur := ""
	for _, part := range strings.Split(strings.TrimPrefix(clean(p), "/"), "/") {
		if part == "" {
			continue
		}
		cur += "/" + part
		n := m.find(cur)
		if n == nil {
			if err := m.mkdir(cur, perm); err != nil {
				return err
			}
		} else if !n.dir {
			return &os.PathError{Op: "mkdir", Path: cur, Err: errors.New("not a directory")}
		}
	}
	return nil
}

// Open opens name for reading.
func (m *memFS) Open(name string) (afero.File, error) { return m.OpenFile(name, os.O_RDONLY, 0) }

// OpenFile opens name as flag says.
func (m *memFS) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	n := m.find(name)
	write := flag&(os.O_WRONLY|os.O_RDWR) != 0
	switch {
	case n == nil && flag&os.O_CREATE == 0:
		return nil, &os.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	case n == nil:
		d, base, err := m.parent("open", name)
		if err != nil {
			return nil, err
		}
		if err := m.st.q.take(nodeCost); err != nil {
			return nil, err
		}
		n = &memNode{name: base, mode: perm.Perm(), mod: time.Now()}
		d.children[base] = n
		d.mod = n.mod
	case flag&os.O_CREATE != 0 && flag&os.O_EXCL != 0:
		return nil, &os.PathError{Op: "open", Path: name, Err: fs.ErrExist}
	case n.dir && write:
		return nil, &os.PathError{Op: "open", Path: name, Err: errors.New("is a directory")}
	}
	if write && flag&os.O_TRUNC != 0 {
		m.st.truncate(n, 0)
	}
	f := &memFile{st: m.st, n: n, path: clean(name), read: flag&os.O_WRONLY == 0, write: write}
	if flag&os.O_APPEND != 0 {
		f.pos, f.append = n.size, true
	}
	return f, nil
}

// Remove removes a file and gives back what it held. A folder is refused,
// as vsftpd refuses DELE of one: RemoveDir (RMD) removes folders.
func (m *memFS) Remove(name string) error { return m.remove("remove", name, false) }

// RemoveDir removes an empty folder; ftpserverlib calls it for RMD.
func (m *memFS) RemoveDir(name string) error { return m.remove("rmdir", name, true) }

// remove removes a file (dir false) or an empty folder (dir true).
func (m *memFS) remove(op, name string, dir bool) error {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	d, base, err := m.parent(op, name)
	if err != nil {
		return err
	}
	n := d.children[base]
	switch {
	case n == nil:
		return &os.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	case n.dir && !dir:
		return &os.PathError{Op: op, Path: name, Err: errors.New("is a directory")}
	case !n.dir && dir:
		return &os.PathError{Op: op, Path: name, Err: errors.New("not a directory")}
	case n.dir && len(n.children) > 0:
		return &os.PathError{Op: op, Path: name, Err: errors.New("directory not empty")}
	}
	delete(d.children, base)
	d.mod = time.Now()
	m.st.release(n)
	return nil
}

// RemoveAll removes p and all it holds.
func (m *memFS) RemoveAll(p string) error {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	d, base, err := m.parent("removeall", p)
	if err != nil || d.children[base] == nil {
		return nil
	}
	m.st.release(d.children[base])
	delete(d.children, base)
	return nil
}

// Rename moves oldname to newname, replacing a file there.
func (m *memFS) Rename(oldname, newname string) error {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	od, obase, err := m.parent("rename", oldname)
	if err != nil {
		return err
	}
	n := od.children[obase]
	if n == nil {
		return &os.PathError{Op: "rename", Path: oldname, Err: fs.ErrNotExist}
	}
	nd, nbase, err := m.parent("rename", newname)
	if err != nil {
		return err
	}
	if clean(newname) == clean(oldname) {
		return nil // as rename(2) and vsftpd: nothing to do
	}
	if strings.HasPrefix(clean(newname)+"/", clean(oldname)+"/") {
		return &os.PathError{Op: "rename", Path: newname, Err: fs.ErrInvalid}
	}
	if old := nd.children[nbase]; old != nil && old != n {
		// As rename(2), which vsftpd answers with 550: a folder never
		// replaces a file, nor a file a folder.
		switch {
		case old.dir:
			return &os.PathError{Op: "rename", Path: newname, Err: fs.ErrExist}
		case n.dir:
			return &os.PathError{Op: "rename", Path: newname, Err: syscall.ENOTDIR}
		}
		m.st.release(old)
	}
	delete(od.children, obase)
	n.name = nbase
	nd.children[nbase] = n
	od.mod, nd.mod = time.Now(), time.Now()
	return nil
}

// Stat describes name.
func (m *memFS) Stat(name string) (os.FileInfo, error) {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	n := m.find(name)
	if n == nil {
		return nil, &os.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return n.info(), nil
}

// Chmod sets the permission bits of name.
func (m *memFS) Chmod(name string, mode os.FileMode) error {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	n := m.find(name)
	if n == nil {
		return &os.PathError{Op: "chmod", Path: name, Err: fs.ErrNotExist}
	}
	n.mode = n.mode&os.ModeDir | mode.Perm()
	return nil
}

// Chown does nothing: the trees have no owners.
func (m *memFS) Chown(string, int, int) error { return nil }

// Chtimes sets the time of the last change of name.
func (m *memFS) Chtimes(name string, _ time.Time, mtime time.Time) error {
	m.st.mu.Lock()
	defer m.st.mu.Unlock()
	n := m.find(name)
	if n == nil {
		return &os.PathError{Op: "chtimes", Path: name, Err: fs.ErrNotExist}
	}
	n.mod = mtime
	return nil
}

// release gives back what n and all under it hold, and marks them
// removed.
func (st *memStore) release(n *memNode) {
	for _, c := range n.children {
		st.release(c)
	}
	st.truncate(n, 0)
	n.removed, n.children = true, nil
	st.q.give(nodeCost)
}

// memInfo is what Stat and Readdir give.
type memInfo struct {
	name string
	size int64
	mode os.FileMode
	mod  time.Time
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() os.FileMode  { return i.mode }
func (i memInfo) ModTime() time.Time { return i.mod }
func (i memInfo) IsDir() bool        { return i.mode.IsDir() }
func (i memInfo) Sys() any           { return nil }

// info describes n; the caller holds the lock.
func (n *memNode) info() memInfo {
	return memInfo{name: n.name, size: n.size, mode: n.mode, mod: n.mod}
}

// entries describes a folder's children, sorted by name.
func (n *memNode) entries() []os.FileInfo {
	out := make([]os.FileInfo, 0, len(n.children))
	for _, c := range n.children {
		out = append(out, c.info())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

var _ afero.Fs = (*memFS)(nil)

// errRemoved is the error of a handle on a file that was removed.
var errRemoved = errors.New("the file was removed")

// eof is io.EOF, named for the reader of Read.
var eof = io.EOF
