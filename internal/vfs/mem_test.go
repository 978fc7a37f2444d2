package vfs

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
)

func write(t *testing.T, fs FS, name, data string, sync bool) {
	t.Helper()
	f, err := fs.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	if sync {
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
}

func TestMemFSCrashKeepsOnlyDurableState(t *testing.T) {
	m := NewMemFS()
	m.MkdirAll("/d", 0o755)
	write(t, m, "/d/a", "synced", true)
	m.SyncDir("/d")
	write(t, m, "/d/a", "+lost", false)
	write(t, m, "/d/b", "never-dir-synced", true)

	c := m.Crash(nil)
	got, err := ReadFile(c, "/d/a")
	if err != nil || string(got) != "synced" {
		t.Fatalf("a after crash = %q, %v", got, err)
	}
	if _, err := ReadFile(c, "/d/b"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("b survived without SyncDir: %v", err)
	}
}

func TestMemFSCrashTornWriteIsPrefix(t *testing.T) {
	m := NewMemFS()
	m.MkdirAll("/d", 0o755)
	write(t, m, "/d/a", "base", true)
	m.SyncDir("/d")
	write(t, m, "/d/a", "0123456789", false)
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 50; i++ {
		got, _ := ReadFile(m.Crash(rng), "/d/a")
		if !bytes.HasPrefix([]byte("base0123456789"), got) || len(got) < 4 {
			t.Fatalf("crash content %q is not a prefix", got)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	for _, fs := range []FS{NewMemFS(), Default} {
		dir := t.TempDir()
		fs.MkdirAll(dir, 0o755)
		name := filepath.Join(dir, "f")
		if err := WriteFileAtomic(fs, name, []byte("one")); err != nil {
			t.Fatal(err)
		}
		if err := WriteFileAtomic(fs, name, []byte("two")); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(fs, name)
		if err != nil || string(got) != "two" {
			t.Fatalf("got %q, %v", got, err)
		}
		names, _ := fs.List(dir)
		if len(names) != 1 {
			t.Fatalf("leftover files: %v", names)
		}
	}
}

func TestFaultyInjects(t *testing.T) {
	boom := errors.New("boom")
	f := &Faulty{FS: NewMemFS(), Hook: func(op Op, _ string) error {
		if op == OpSync {
			return boom
		}
		return nil
	}}
	f.MkdirAll("/d", 0o755)
	file, err := f.OpenFile("/d/x", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := file.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := file.Sync(); !errors.Is(err, boom) {
		t.Fatalf("Sync = %v, want boom", err)
	}
}
