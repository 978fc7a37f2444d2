package engine

import (
	"errors"
	"testing"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

func TestWritesWaitForFreeSpace(t *testing.T) {
	mem := vfs.NewMemFS()
	opts := testOptions(mem)
	opts.MinFreeBytes = 1 << 20
	e, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	if _, err := e.Insert("trades", tradeBatch(0, 10)); err != nil {
		t.Fatal(err)
	}
	lsn := e.WALStats().LastLSN
	mem.SetFreeSpace(512 << 10)
	if _, err := e.Insert("trades", tradeBatch(10, 10)); !errors.Is(err, ErrNoSpace) {
		t.Fatalf("insert on a full disk: %v", err)
	}
	if _, err := e.Mutate("trades", planWhere(func(int64) bool { return true }, nil)); !errors.Is(err, ErrNoSpace) {
		t.Fatalf("delete on a full disk: %v", err)
	}
	if err := e.CreateTable(tradesSchema(t, "more"), false); !errors.Is(err, ErrNoSpace) {
		t.Fatalf("create on a full disk: %v", err)
	}
	if e.WALStats().LastLSN != lsn || len(volumes(t, e, "trades")) != 10 || e.Err() != nil {
		t.Fatal("a refused write changed something, or the engine went unhealthy")
	}
	mem.SetFreeSpace(-1) // space freed: writes go on by themselves
	if _, err := e.Insert("trades", tradeBatch(10, 10)); err != nil {
		t.Fatalf("insert after space was freed: %v", err)
	}
	if len(volumes(t, e, "trades")) != 20 {
		t.Fatal("rows after space was freed")
	}
}

func TestDataDirectoryIsLocked(t *testing.T) {
	for name, fs := range map[string]vfs.FS{"memfs": vfs.NewMemFS(), "os": vfs.Default} {
		opts := testOptions(fs)
		if name == "os" {
			opts.Dir = t.TempDir()
		}
		e, err := Open(opts)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Open(opts); !errors.Is(err, vfs.ErrLocked) {
			t.Fatalf("%s: a second engine opened the same directory: %v", name, err)
		}
		must(t, e.Close())
		e, err = Open(opts)
		if err != nil {
			t.Fatalf("%s: reopen after close: %v", name, err)
		}
		e.Close()
	}
}
