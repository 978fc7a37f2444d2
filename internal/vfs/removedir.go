package vfs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// DirRemover is implemented by file systems that can remove an empty
// directory. It is separate from FS so that existing implementations keep
// compiling; all three implementations here provide it.
type DirRemover interface {
	// RemoveDir removes the empty directory dir. It fails when dir does
	// not exist, is not a directory, or is not empty.
	RemoveDir(dir string) error
}

// OpRemoveDir is the operation a Faulty hook sees for RemoveDir.
const OpRemoveDir Op = "removedir"

// ErrNotEmpty is wrapped by RemoveDir of a directory that has entries.
var ErrNotEmpty = errors.New("directory not empty")

// RemoveDir implements DirRemover.
func (osFS) RemoveDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return &fs.PathError{Op: "rmdir", Path: dir, Err: errors.New("not a directory")}
	}
	return os.Remove(dir)
}

// RemoveDir implements DirRemover. Like MkdirAll, the removal is durable
// at once; durable entries of files that were removed from dir but whose
// removal was not yet made durable by SyncDir go with it, since a crash
// cannot bring back a file inside a directory that no longer exists.
func (m *MemFS) RemoveDir(dir string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	dir = clean(dir)
	if !m.dirs[dir] {
		if _, ok := m.live[dir]; ok {
			return &fs.PathError{Op: "rmdir", Path: dir, Err: errors.New("not a directory")}
		}
		return &fs.PathError{Op: "rmdir", Path: dir, Err: fs.ErrNotExist}
	}
	for p := range m.live {
		if filepath.Dir(p) == dir {
			return &fs.PathError{Op: "rmdir", Path: dir, Err: ErrNotEmpty}
		}
	}
	for d := range m.dirs {
		if d != dir && filepath.Dir(d) == dir {
			return &fs.PathError{Op: "rmdir", Path: dir, Err: ErrNotEmpty}
		}
	}
	delete(m.dirs, dir)
	for p := range m.durable {
		if filepath.Dir(p) == dir {
			delete(m.durable, p)
		}
	}
	return nil
}

// RemoveDir implements DirRemover when the wrapped FS does.
func (f *Faulty) RemoveDir(dir string) error {
	if err := f.check(OpRemoveDir, dir); err != nil {
		return err
	}
	r, ok := f.FS.(DirRemover)
	if !ok {
		return fmt.Errorf("remove directory %s: %T cannot remove directories", dir, f.FS)
	}
	return r.RemoveDir(dir)
}

// RemoveAll removes dir and everything below it, then fsyncs the parent of
// dir so the removal is durable. A dir that does not exist is not an error.
// fsys must implement DirRemover. A crash part way leaves dir with some of
// its entries gone: callers that must never see a half-removed directory
// as valid remove the file that makes it valid first.
func RemoveAll(fsys FS, dir string) error {
	r, ok := fsys.(DirRemover)
	if !ok {
		return fmt.Errorf("remove directory %s: %T cannot remove directories", dir, fsys)
	}
	names, err := fsys.List(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := removeEntries(fsys, dir, names); err != nil {
		return err
	}
	if err := r.RemoveDir(dir); err != nil {
		return err
	}
	return fsys.SyncDir(filepath.Dir(filepath.Clean(dir)))
}

// removeEntries removes the named entries of dir, recursing into the ones
// that list as directories.
func removeEntries(fsys FS, dir string, names []string) error {
	for _, name := range names {
		p := filepath.Join(dir, name)
		if _, err := fsys.List(p); err == nil {
			if err := RemoveAll(fsys, p); err != nil {
				return err
			}
			continue
		}
		if err := fsys.Remove(p); err != nil {
			return err
		}
	}
	return nil
}
