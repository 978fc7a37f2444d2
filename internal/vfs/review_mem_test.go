package vfs

import (
	"errors"
	"io/fs"
	"math/rand"
	"os"
	"testing"
)

// TestReviewMemRenameRemoveDurability (passing): renames and removals are
// durable only after SyncDir, exactly like creations; a crash before it
// shows the old names. Data synced through one name survives under the
// name the durable directory has.
func TestReviewMemRenameRemoveDurability(t *testing.T) {
	m := NewMemFS()
	m.MkdirAll("/d", 0o755)
	write(t, m, "/d/a", "A", true)
	write(t, m, "/d/b", "B", true)
	m.SyncDir("/d")

	if err := m.Rename("/d/a", "/d/a2"); err != nil {
		t.Fatal(err)
	}
	if err := m.Remove("/d/b"); err != nil {
		t.Fatal(err)
	}
	write(t, m, "/d/a2", "+more", true) // synced data, entry not yet durable
	c := m.Crash(nil)
	if got, err := ReadFile(c, "/d/a"); err != nil || string(got) != "A+more" {
		t.Fatalf("before SyncDir the old name must hold the (synced) data: %q %v", got, err)
	}
	if _, err := ReadFile(c, "/d/a2"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("rename durable without SyncDir: %v", err)
	}
	if got, err := ReadFile(c, "/d/b"); err != nil || string(got) != "B" {
		t.Fatalf("remove durable without SyncDir: %q %v", got, err)
	}

	m.SyncDir("/d")
	c = m.Crash(rand.New(rand.NewSource(1)))
	names, _ := c.List("/d")
	if len(names) != 1 || names[0] != "a2" {
		t.Fatalf("after SyncDir: %v, want [a2]", names)
	}
	// A crashed FS is itself fully durable: crashing it again changes nothing.
	if got, _ := ReadFile(c.Crash(nil), "/d/a2"); string(got) != "A+more" {
		t.Fatalf("second crash: %q", got)
	}
}

// TestReviewMemReadAtNegativeOffset: os.File.ReadAt returns an error for a
// negative offset; memFile.ReadAt slices data[off:] and panics.
func TestReviewMemReadAtNegativeOffset(t *testing.T) {
	m := NewMemFS()
	m.MkdirAll("/d", 0o755)
	write(t, m, "/d/a", "abc", true)
	f, err := m.OpenFile("/d/a", os.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("ReadAt(-1) panics: %v", p)
		}
	}()
	if _, err := f.ReadAt(make([]byte, 1), -1); err == nil {
		t.Fatal("ReadAt(-1) succeeded")
	}
}
