package vfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// MemFS is an in-memory file system that remembers what was made durable.
// File data is durable up to the last Sync of the file; a directory entry
// (creation, rename, removal) is durable after SyncDir of its directory.
// Crash returns the state a machine would find after losing power.
type MemFS struct {
	mu      sync.Mutex
	free    int64 // reported by FreeSpace; negative: plenty
	locks   map[string]bool
	dirs    map[string]bool
	live    map[string]*memNode // path → node, as processes see it
	durable map[string]*memNode // path → node, as a crash would leave it
}

type memNode struct {
	data   []byte
	synced []byte // content as of the last Sync
}

// NewMemFS returns an empty in-memory file system.
func NewMemFS() *MemFS { return newMemFS() }

// SetFreeSpace sets what FreeSpace reports (negative: plenty). It does
// not limit writes: it lets tests drive the engine's disk-space guard.
func (m *MemFS) SetFreeSpace(n int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.free = n
}

// Lock implements Locker within the process.
func (m *MemFS) Lock(path string) (io.Closer, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := clean(path)
	if m.locks == nil {
		m.locks = map[string]bool{}
	}
	if m.locks[p] {
		return nil, fmt.Errorf("%s: %w", p, ErrLocked)
	}
	m.locks[p] = true
	return memLock{m, p}, nil
}

type memLock struct {
	m *MemFS
	p string
}

func (l memLock) Close() error {
	l.m.mu.Lock()
	defer l.m.mu.Unlock()
	delete(l.m.locks, l.p)
	return nil
}

// FreeSpace implements SpaceReporter.
func (m *MemFS) FreeSpace(string) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.free < 0 {
		return 1 << 50, nil
	}
	return uint64(m.free), nil
}

func newMemFS() *MemFS {
	return &MemFS{free: -1, dirs: map[string]bool{"/": true, ".": true}, live: map[string]*memNode{}, durable: map[string]*memNode{}}
}

func clean(p string) string { return filepath.Clean(p) }

// OpenFile implements FS.
func (m *MemFS) OpenFile(name string, flag int, _ os.FileMode) (File, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	name = clean(name)
	n, ok := m.live[name]
	switch {
	case ok && flag&os.O_CREATE != 0 && flag&os.O_EXCL != 0:
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrExist}
	case !ok && flag&os.O_CREATE == 0:
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	case !ok:
		if !m.dirs[filepath.Dir(name)] {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
		n = &memNode{}
		m.live[name] = n
	}
	if flag&os.O_TRUNC != 0 {
		n.data = n.data[:0:0]
	}
	f := &memFile{fs: m, node: n, name: name, appendMode: flag&os.O_APPEND != 0}
	f.writable = flag&(os.O_WRONLY|os.O_RDWR) != 0
	return f, nil
}

// Remove implements FS.
func (m *MemFS) Remove(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	name = clean(name)
	if _, ok := m.live[name]; !ok {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	}
	delete(m.live, name)
	return nil
}

// Rename implements FS.
func (m *MemFS) Rename(oldpath, newpath string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	oldpath, newpath = clean(oldpath), clean(newpath)
	n, ok := m.live[oldpath]
	if !ok {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: fs.ErrNotExist}
	}
	delete(m.live, oldpath)
	m.live[newpath] = n
	return nil
}

// MkdirAll implements FS. Directories are durable at once.
func (m *MemFS) MkdirAll(dir string, _ os.FileMode) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for d := clean(dir); !m.dirs[d]; d = filepath.Dir(d) {
		m.dirs[d] = true
	}
	return nil
}

// List implements FS.
func (m *MemFS) List(dir string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	dir = clean(dir)
	if !m.dirs[dir] {
		return nil, &fs.PathError{Op: "readdir", Path: dir, Err: fs.ErrNotExist}
	}
	var names []string
	for p := range m.live {
		if filepath.Dir(p) == dir {
			names = append(names, filepath.Base(p))
		}
	}
	for d := range m.dirs {
		if d != dir && filepath.Dir(d) == dir {
			names = append(names, filepath.Base(d))
		}
	}
	sort.Strings(names)
	return names, nil
}

// SyncDir implements FS: the entries of dir become durable as they are now.
func (m *MemFS) SyncDir(dir string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	dir = clean(dir)
	for p := range m.durable {
		if filepath.Dir(p) == dir {
			delete(m.durable, p)
		}
	}
	for p, n := range m.live {
		if filepath.Dir(p) == dir {
			m.durable[p] = n
		}
	}
	return nil
}

// Crash returns a new MemFS holding what survives a power loss now: the
// durable directory entries, each with its synced content, plus, chosen
// by rng, a prefix of the bytes appended since (a torn write). rng may be
// nil to drop all unsynced bytes.
func (m *MemFS) Crash(rng *rand.Rand) *MemFS {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := NewMemFS()
	for d := range m.dirs {
		c.dirs[d] = true
	}
	for p, n := range m.durable {
		data := append([]byte(nil), n.synced...)
		if rng != nil && len(n.data) > len(n.synced) && strings.HasPrefix(string(n.data), string(n.synced)) {
			extra := n.data[len(n.synced):]
			data = append(data, extra[:rng.Intn(len(extra)+1)]...)
		}
		node := &memNode{data: data, synced: append([]byte(nil), data...)}
		c.live[p], c.durable[p] = node, node
	}
	return c
}

type memFile struct {
	fs         *MemFS
	node       *memNode
	name       string
	off        int64
	writable   bool
	appendMode bool
	closed     bool
}

var errClosed = errors.New("file already closed")

func (f *memFile) Read(p []byte) (int, error) {
	n, err := f.ReadAt(p, f.off)
	f.off += int64(n)
	return n, err
}

func (f *memFile) ReadAt(p []byte, off int64) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return 0, errClosed
	}
	if off < 0 {
		return 0, &fs.PathError{Op: "readat", Path: f.name, Err: errors.New("negative offset")}
	}
	if off >= int64(len(f.node.data)) {
		return 0, io.EOF
	}
	n := copy(p, f.node.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (f *memFile) Write(p []byte) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return 0, errClosed
	}
	if !f.writable {
		return 0, &fs.PathError{Op: "write", Path: f.name, Err: fs.ErrPermission}
	}
	if f.appendMode {
		f.off = int64(len(f.node.data))
	}
	for int64(len(f.node.data)) < f.off {
		f.node.data = append(f.node.data, 0)
	}
	end := f.off + int64(len(p))
	if end > int64(len(f.node.data)) {
		f.node.data = append(f.node.data[:f.off], p...)
	} else {
		copy(f.node.data[f.off:], p)
	}
	f.off = end
	return len(p), nil
}

func (f *memFile) Sync() error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return errClosed
	}
	f.node.synced = append(f.node.synced[:0:0], f.node.data...)
	return nil
}

func (f *memFile) Truncate(size int64) error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if size < int64(len(f.node.data)) {
		f.node.data = f.node.data[:size:size]
	}
	for int64(len(f.node.data)) < size {
		f.node.data = append(f.node.data, 0)
	}
	return nil
}

func (f *memFile) Size() (int64, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	return int64(len(f.node.data)), nil
}

func (f *memFile) Close() error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return errClosed
	}
	f.closed = true
	return nil
}
