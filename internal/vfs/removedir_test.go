package vfs

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
)

func TestRemoveAll(t *testing.T) {
	for name, fsys := range map[string]FS{"mem": NewMemFS(), "os": Default, "faulty": &Faulty{FS: NewMemFS()}} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "p")
			if err := fsys.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, fsys, filepath.Join(dir, "a"), "A", true)
			write(t, fsys, filepath.Join(dir, "sub", "b"), "B", true)
			write(t, fsys, filepath.Join(root, "keep"), "K", true)
			if err := fsys.(DirRemover).RemoveDir(dir); !errors.Is(err, ErrNotEmpty) && name != "os" {
				t.Fatalf("RemoveDir of a non-empty directory: %v", err)
			}
			if err := RemoveAll(fsys, dir); err != nil {
				t.Fatal(err)
			}
			names, err := fsys.List(root)
			if err != nil || len(names) != 1 || names[0] != "keep" {
				t.Fatalf("after RemoveAll: %v, %v", names, err)
			}
			if err := RemoveAll(fsys, dir); err != nil {
				t.Fatalf("RemoveAll of a missing directory: %v", err)
			}
			if err := fsys.(DirRemover).RemoveDir(filepath.Join(root, "keep")); err == nil {
				t.Fatal("RemoveDir of a file succeeded")
			}
		})
	}
}

// TestMemRemoveDirSurvivesCrash: a removed directory stays removed after a
// crash, together with files whose removal was not yet made durable.
func TestMemRemoveDirSurvivesCrash(t *testing.T) {
	m := NewMemFS()
	m.MkdirAll("/r/p", 0o755)
	write(t, m, "/r/p/a", "A", true)
	m.SyncDir("/r/p")
	if err := RemoveAll(m, "/r/p"); err != nil {
		t.Fatal(err)
	}
	c := m.Crash(nil)
	if _, err := c.List("/r/p"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("directory back after crash: %v", err)
	}
	if _, err := ReadFile(c, "/r/p/a"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("file of a removed directory back after crash: %v", err)
	}
	if err := c.MkdirAll("/r/p", 0o755); err != nil {
		t.Fatal(err)
	}
	if names, _ := c.List("/r/p"); len(names) != 0 {
		t.Fatalf("re-created directory not empty: %v", names)
	}
}

func TestFaultyRemoveDirInjects(t *testing.T) {
	boom := errors.New("boom")
	f := &Faulty{FS: NewMemFS(), Hook: func(op Op, _ string) error {
		if op == OpRemoveDir {
			return boom
		}
		return nil
	}}
	f.MkdirAll("/d", 0o755)
	if err := RemoveAll(f, "/d"); !errors.Is(err, boom) {
		t.Fatalf("RemoveAll = %v, want boom", err)
	}
}
