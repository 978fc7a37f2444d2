package vfs

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestMap(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 KiB
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	mem := NewMemFS()
	if err := mem.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, _ := mem.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o644)
	f.Write(data)
	f.Close()
	for name, fsys := range map[string]FS{"os": Default, "mem": mem} {
		m, err := fsys.(Mapper).Map(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(m.Data, data) {
			t.Fatalf("%s: mapped bytes differ", name)
		}
		if err := m.Close(); err != nil || m.Data != nil {
			t.Fatalf("%s: close: %v", name, err)
		}
		if _, err := fsys.(Mapper).Map(path + ".missing"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("%s: map of a missing file: %v", name, err)
		}
	}
}

// TestGuardTurnsFaultIntoError: a file truncated under its mapping makes
// reads of the lost pages fault (SIGBUS); Guard returns an error instead
// of the process dying.
func TestGuardTurnsFaultIntoError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, make([]byte, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := Default.(Mapper).Map(path)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	var sum byte
	err = Guard(func() error {
		for _, b := range m.Data[512<<10:] {
			sum += b
		}
		return nil
	})
	if !errors.Is(err, ErrFault) {
		t.Fatalf("Guard = %v, want ErrFault", err)
	}
	if err := Guard(func() error { return os.ErrClosed }); err != os.ErrClosed {
		t.Fatalf("Guard passes errors through: %v", err)
	}
}
