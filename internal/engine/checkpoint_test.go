package engine

import (
	"errors"
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/vfs"
)

const day = int64(24 * time.Hour)

// spreadBatch holds n rows (volume = first+i) spread over days 0..days-1,
// out of order within each day, over seven symbols.
func spreadBatch(first, n, days int) *column.Batch {
	b := tradeBatch(first, n)
	rng := rand.New(rand.NewSource(int64(first)))
	for i := range n {
		b.Vectors[0].Int64[i] = int64(i%days)*day + rng.Int63n(day)
	}
	return b
}

// onDay moves a one-day batch's rows to day d.
func onDay(b *column.Batch, d int64) *column.Batch {
	for i := range b.Vectors[0].Int64 {
		b.Vectors[0].Int64[i] += d * day
	}
	return b
}

func checkpointOptions(fs vfs.FS) Options {
	opts := testOptions(fs)
	opts.HotPartitions = 2
	return opts
}

func TestCheckpointSealsAndRecovers(t *testing.T) {
	mem := vfs.NewMemFS()
	opts := checkpointOptions(mem)
	e, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	for i := range 10 {
		if _, err := e.Insert("trades", spreadBatch(i*500, 500, 10)); err != nil {
			t.Fatal(err)
		}
	}
	st, err := e.Checkpoint()
	if err != nil || st.Sealed != 8 || st.SegmentsRemoved != 0 || st.HotRows != 1000 {
		t.Fatalf("checkpoint %+v, %v (the WAL stays until the next checkpoint)", st, err)
	}
	if again, err := e.Checkpoint(); err != nil || again.Sealed != 0 {
		t.Fatalf("a checkpoint with nothing new: %+v %v", again, err)
	}
	// Later writes, one of them to a sealed partition, and a delete in one.
	if _, err := e.Insert("trades", spreadBatch(5000, 300, 12)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Mutate("trades", planWhere(func(v int64) bool { return v%10 == 3 && v < 100 }, nil)); err != nil {
		t.Fatal(err)
	}
	live := rvState(t, e)
	must(t, e.Close())
	for name, fs := range map[string]vfs.FS{"reopen": mem, "power loss": mem.Crash(nil)} {
		o := opts
		o.FS = fs
		e2, err := Open(o)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := rvState(t, e2); !reflect.DeepEqual(got, live) {
			t.Fatalf("%s: state differs after recovery", name)
		}
		e2.Close()
	}

	// The next checkpoint rewrites the changed partitions and removes the
	// directories they replace.
	e, err = Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	st, err = e.Checkpoint()
	if err != nil || st.Sealed < 2 || st.SegmentsRemoved == 0 {
		t.Fatalf("second checkpoint %+v %v", st, err)
	}
	// The first manifest's directories stay until the next checkpoint.
	if _, err := e.Insert("trades", onDay(spreadBatch(9000, 10, 1), 11)); err != nil { // a hot day
		t.Fatal(err)
	}
	if _, err := e.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	dirs, _ := mem.List(filepath.Join(opts.Dir, "hdb", "trades"))
	if len(dirs) != 10 { // days 0..9 sealed now (10 and 11 are hot)
		t.Fatalf("%d partition directories: %v", len(dirs), dirs)
	}
	live = rvState(t, e)
	must(t, e.Close())
	e, err = Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if got := rvState(t, e); !reflect.DeepEqual(got, live) {
		t.Fatal("state differs after the second checkpoint")
	}
}

// TestCheckpointCrashAtEveryStep crashes (power loss) at every file-system
// operation of a checkpoint; recovery must succeed with every row exactly
// once, whichever side of the manifest the crash fell on.
func TestCheckpointCrashAtEveryStep(t *testing.T) {
	errCrash := errors.New("crashed")
	for step := 1; ; step++ {
		mem := vfs.NewMemFS()
		ops, crashAt := 0, -1
		var crashed *vfs.MemFS
		faulty := &vfs.Faulty{FS: mem}
		opts := checkpointOptions(faulty)
		e, err := Open(opts)
		if err != nil {
			t.Fatal(err)
		}
		must(t, e.CreateTable(tradesSchema(t, "trades"), false))
		if _, err := e.Insert("trades", spreadBatch(0, 2000, 6)); err != nil {
			t.Fatal(err)
		}
		want := volumes(t, e, "trades")
		faulty.Hook = func(op vfs.Op, path string) error {
			if crashed != nil {
				return errCrash
			}
			ops++
			if ops == step {
				crashAt, crashed = ops, mem.Crash(rand.New(rand.NewSource(int64(step))))
				return errCrash
			}
			return nil
		}
		_, cpErr := e.Checkpoint()
		e.Close()
		if crashed == nil { // the checkpoint needed fewer operations: all covered
			if cpErr != nil {
				t.Fatal(cpErr)
			}
			t.Logf("crashed at each of %d steps", step-1)
			return
		}
		o := checkpointOptions(crashed)
		e2, err := Open(o)
		if err != nil {
			t.Fatalf("crash at operation %d: recovery failed: %v", crashAt, err)
		}
		if got := volumes(t, e2, "trades"); !reflect.DeepEqual(got, want) {
			t.Fatalf("crash at operation %d: %d distinct rows, want %d", crashAt, len(got), len(want))
		}
		e2.Close()
	}
}

func TestCheckpointDropsExpiredAndDroppedTables(t *testing.T) {
	mem := vfs.NewMemFS()
	opts := checkpointOptions(mem)
	e, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, name := range []string{"trades", "gone"} {
		must(t, e.CreateTable(tradesSchema(t, name), false))
		if _, err := e.Insert(name, spreadBatch(0, 600, 6)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	must(t, e.DropTable("gone", false))
	now := time.Unix(0, 4*day).UTC()
	if _, err := e.SetTTL("trades", TTL{N: 2, Unit: "DAY"}, now); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second one drops what only the first still named
		if _, err := e.Checkpoint(); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Insert("trades", onDay(spreadBatch(7000, 1, 1), 5)); err != nil { // a hot day
			t.Fatal(err)
		}
	}
	hdbDir := filepath.Join(opts.Dir, "hdb")
	if dirs, _ := mem.List(filepath.Join(hdbDir, "gone")); len(dirs) != 0 {
		t.Fatalf("a dropped table's partitions stayed: %v", dirs)
	}
	dirs, _ := mem.List(filepath.Join(hdbDir, "trades"))
	for _, d := range dirs {
		if strings.HasPrefix(d, "p0-") || strings.HasPrefix(d, fmt.Sprintf("p%d-", day)) {
			t.Fatalf("expired partition %s stayed on disk: %v", d, dirs)
		}
	}
	if len(dirs) != 2 { // days 2 and 3 sealed, 4 and 5 hot
		t.Fatalf("partition directories %v", dirs)
	}
}

// A checkpoint that failed after writing a partition (here the manifest
// hits ENOSPC) is retried at the same LSN once space is back: the retry
// replaces its own leftover directory instead of failing on it.
func TestCheckpointRetriesAfterFailure(t *testing.T) {
	var full atomic.Bool
	fs := &vfs.Faulty{FS: vfs.NewMemFS(), Hook: func(op vfs.Op, path string) error {
		if full.Load() && strings.Contains(path, "manifest") {
			return syscall.ENOSPC
		}
		return nil
	}}
	e, err := Open(checkpointOptions(fs))
	must(t, err)
	defer e.Close()
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	_, err = e.Insert("trades", spreadBatch(0, 4000, 4))
	must(t, err)
	full.Store(true)
	if _, err := e.Checkpoint(); err == nil {
		t.Fatal("checkpoint on a full disk succeeded")
	}
	full.Store(false)
	if _, err := e.Checkpoint(); err != nil {
		t.Fatalf("checkpoint after space is freed: %v", err)
	}
	if got := volumes(t, e, "trades"); len(got) != 4000 {
		t.Fatalf("%d rows after the retried checkpoint, want 4000", len(got))
	}
}
