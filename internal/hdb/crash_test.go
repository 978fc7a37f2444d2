package hdb

import (
	"errors"
	"fmt"
	"math/rand"
	"testing"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

// crashPoints runs op against a fresh MemFS once per hooked file-system
// operation it performs (and once after it returns), takes the state a
// power loss would leave just before that operation, and hands it to
// check. Each point is tried with several seeds, so torn writes of
// different lengths are seen.
func crashPoints(t *testing.T, setup func(*vfs.MemFS), op func(vfs.FS) error, check func(t *testing.T, crashed *vfs.MemFS, opDone bool)) {
	t.Helper()
	count := func() int {
		mem := vfs.NewMemFS()
		setup(mem)
		n := 0
		if err := op(&vfs.Faulty{FS: mem, Hook: func(vfs.Op, string) error { n++; return nil }}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	total := count()
	if total < 5 {
		t.Fatalf("only %d operations", total)
	}
	for point := 1; point <= total+1; point++ {
		for seed := int64(1); seed <= 3; seed++ {
			rng := rand.New(rand.NewSource(seed*1000 + int64(point)))
			mem := vfs.NewMemFS()
			setup(mem)
			var crashed *vfs.MemFS
			n := 0
			err := op(&vfs.Faulty{FS: mem, Hook: func(vfs.Op, string) error {
				if n++; n == point {
					crashed = mem.Crash(rng)
				}
				return nil
			}})
			if err != nil {
				t.Fatal(err)
			}
			if crashed == nil {
				crashed = mem.Crash(rng) // after op returned
			}
			t.Run(fmt.Sprintf("op%d/seed%d", point, seed), func(t *testing.T) { check(t, crashed, point > total) })
		}
	}
}

// TestWriteCrash: after a power loss at any point of Write, the directory
// is absent or rejected by Read and Verify, or it reads back exactly what
// was written; once Write returned, it always reads back. A rejected
// directory can be removed and written again.
func TestWriteCrash(t *testing.T) {
	for _, c := range compressions {
		t.Run(c.String(), func(t *testing.T) {
			setBlockRows(t, 16)
			p := smallPartition(t)
			accepted, rejected := 0, 0
			crashPoints(t, func(*vfs.MemFS) {}, func(fsys vfs.FS) error {
				_, err := Write(fsys, "/hdb/t/p", p, c)
				return err
			}, func(t *testing.T, crashed *vfs.MemFS, done bool) {
				got, err := Read(crashed, "/hdb/t/p")
				_, verr := Verify(crashed, "/hdb/t/p")
				if (err == nil) != (verr == nil) {
					t.Fatalf("Read %v but Verify %v", err, verr)
				}
				if err != nil {
					if done {
						t.Fatalf("Write returned but the partition is lost: %v", err)
					}
					if !errors.Is(err, ErrCorrupt) {
						t.Fatalf("rejected without ErrCorrupt: %v", err)
					}
					rejected++
					if err := RemoveDir(crashed, "/hdb/t/p"); err != nil {
						t.Fatal(err)
					}
					if _, err := Write(crashed, "/hdb/t/p", p, c); err != nil {
						t.Fatalf("Write after cleanup: %v", err)
					}
					return
				}
				if err := equalPartitions(p, got); err != nil {
					t.Fatalf("accepted different data: %v", err)
				}
				accepted++
			})
			if accepted == 0 || rejected == 0 {
				t.Fatalf("accepted %d, rejected %d: the crash points miss a side", accepted, rejected)
			}
		})
	}
}

// TestWriteFaults fails each operation of Write once: Write reports the
// error and leaves nothing Read accepts; a retry then succeeds.
func TestWriteFaults(t *testing.T) {
	setBlockRows(t, 16)
	p := smallPartition(t)
	boom := errors.New("boom")
	for point := 1; ; point++ {
		mem := vfs.NewMemFS()
		n := 0
		fsys := &vfs.Faulty{FS: mem, Hook: func(op vfs.Op, path string) error {
			if n++; n == point {
				return fmt.Errorf("%w: %s %s", boom, op, path)
			}
			return nil
		}}
		_, err := Write(fsys, "/p", p, CompressLZ4)
		if err == nil {
			if point < 5 {
				t.Fatalf("only %d operations", point)
			}
			return
		}
		if !errors.Is(err, boom) {
			t.Fatalf("point %d: %v", point, err)
		}
		for name, state := range map[string]vfs.FS{"live": mem, "crashed": mem.Crash(nil)} {
			if _, err := Read(state, "/p"); err == nil {
				t.Fatalf("point %d (%s): a failed Write left a readable partition", point, name)
			}
		}
		if err := RemoveDir(mem, "/p"); err != nil {
			t.Fatal(err)
		}
		if _, err := Write(mem, "/p", p, CompressLZ4); err != nil {
			t.Fatalf("point %d: retry: %v", point, err)
		}
	}
}
