package engine

import (
	"errors"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

// TestDiskFullLosesNothingAcknowledged fills the "disk" after some
// inserts: the failing insert and every later write get a clear error,
// nothing unacknowledged becomes visible, reads keep working, and a
// restart (after space is freed) brings back exactly the acknowledged
// rows.
func TestDiskFullLosesNothingAcknowledged(t *testing.T) {
	mem := vfs.NewMemFS()
	var full atomic.Bool
	fs := &vfs.Faulty{FS: mem, Hook: func(op vfs.Op, path string) error {
		if full.Load() && op == vfs.OpWrite && strings.Contains(path, "/wal/") {
			return syscall.ENOSPC
		}
		return nil
	}}
	e, err := Open(testOptions(fs))
	if err != nil {
		t.Fatal(err)
	}
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	for i := 0; i < 5; i++ {
		if _, err := e.Insert("trades", tradeBatch(i*10, 10)); err != nil {
			t.Fatal(err)
		}
	}
	full.Store(true)
	_, err = e.Insert("trades", tradeBatch(50, 10))
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "no space left on device") {
		t.Fatalf("insert on a full disk: %v", err)
	}
	if e.Err() == nil {
		t.Fatal("engine reports healthy after a failed WAL write")
	}
	if _, err := e.Insert("trades", tradeBatch(60, 10)); err == nil {
		t.Fatal("insert accepted after the WAL failed")
	}
	if n := len(volumes(t, e, "trades")); n != 50 {
		t.Fatalf("%d rows visible, want the 50 acknowledged", n)
	}
	e.Close()

	full.Store(false)
	e, err = Open(testOptions(mem.Crash(nil)))
	if err != nil {
		t.Fatalf("restart after the disk was freed: %v", err)
	}
	defer e.Close()
	if n := len(volumes(t, e, "trades")); n != 50 {
		t.Fatalf("%d rows after restart, want 50", n)
	}
	if _, err := e.Insert("trades", tradeBatch(70, 10)); err != nil {
		t.Fatalf("insert after restart: %v", err)
	}
}

// TestFsyncFailureIsNotAcknowledged fails the fsync of a group commit:
// the insert must report the error and must not become visible.
func TestFsyncFailureIsNotAcknowledged(t *testing.T) {
	var fail atomic.Bool
	fs := &vfs.Faulty{FS: vfs.NewMemFS(), Hook: func(op vfs.Op, path string) error {
		if fail.Load() && op == vfs.OpSync {
			return syscall.EIO
		}
		return nil
	}}
	e, err := Open(testOptions(fs))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	fail.Store(true)
	if _, err := e.Insert("trades", tradeBatch(0, 10)); !errors.Is(err, syscall.EIO) {
		t.Fatalf("insert with a failing fsync: %v", err)
	}
	if n := len(volumes(t, e, "trades")); n != 0 {
		t.Fatalf("%d unacknowledged rows visible", n)
	}
}
