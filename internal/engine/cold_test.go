package engine

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/zeptodb/zeptodb/internal/hdb"
	"github.com/zeptodb/zeptodb/internal/vfs"
)

// TestSealedPartitionsLoadOnDemandWithinBudget: after a restart sealed
// partitions stay on disk until read, reads bring them back exactly, and
// between queries the loaded ones stay within the cold-cache budget.
func TestSealedPartitionsLoadOnDemandWithinBudget(t *testing.T) {
	mem := vfs.NewMemFS()
	opts := checkpointOptions(mem)
	e, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	if _, err := e.Insert("trades", spreadBatch(0, 20000, 10)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	want := volumes(t, e, "trades")
	must(t, e.Close())

	opts.ColdCacheBytes = 200 << 10 // about three of the eight sealed days
	e, err = Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	tbl, _ := e.Table("trades")
	if st := e.ColdStats(); st.Loads != 0 || tbl.Rows() != 20000 {
		t.Fatalf("after start: %+v, %d rows", st, tbl.Rows())
	}
	for range 3 { // every scan reads all days; between scans the budget holds
		if got := volumes(t, e, "trades"); !reflect.DeepEqual(got, want) {
			t.Fatal("rows read back differ")
		}
		if st := e.ColdStats(); st.Bytes > st.Budget {
			t.Fatalf("after a scan %d bytes loaded, budget %d", st.Bytes, st.Budget)
		}
	}
	st := e.ColdStats()
	if st.Loads < 10 || st.Evictions == 0 {
		t.Fatalf("the budget evicted nothing: %+v", st)
	}
}

// TestDamagedSealedPartitionFailsQueries: a flipped byte in a sealed
// column file makes the reads that need it fail, naming the file.
func TestDamagedSealedPartitionFailsQueries(t *testing.T) {
	dir := t.TempDir()
	opts := checkpointOptions(vfs.Default)
	opts.Dir = dir
	e, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	if _, err := e.Insert("trades", spreadBatch(0, 3000, 4)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	must(t, e.Close())
	cols, _ := filepath.Glob(filepath.Join(dir, "hdb", "trades", "p0-*", "c0002.col"))
	if len(cols) != 1 {
		t.Fatalf("column files %v", cols)
	}
	data, _ := os.ReadFile(cols[0])
	data[len(data)-3] ^= 1
	must(t, os.WriteFile(cols[0], data, 0o644))

	e, err = Open(opts)
	if err != nil {
		t.Fatalf("start with a damaged sealed partition: %v", err)
	}
	defer e.Close()
	tbl, _ := e.Table("trades")
	snap := tbl.Snapshot()
	for _, p := range snap.Partitions {
		p.AllSeries()
	}
	err = snap.Err()
	snap.Release()
	if !errors.Is(err, hdb.ErrCorrupt) || !containsPath(err, cols[0]) {
		t.Fatalf("reading the damaged day: %v", err)
	}
	if st := e.ColdStats(); st.LoadFailures != 1 {
		t.Fatalf("failures %+v", st)
	}
	if err := tbl.Load(int64(day)); err != nil {
		t.Fatalf("an intact day: %v", err)
	}
}

// containsPath reports whether err names the partition directory of path.
func containsPath(err error, path string) bool {
	return err != nil && strings.Contains(err.Error(), filepath.Base(filepath.Dir(path)))
}

// TestColdCacheUnderConcurrency scans sealed partitions from several
// goroutines with a tiny budget (constant loading and eviction) while
// rows are inserted and checkpoints run (go test -race).
func TestColdCacheUnderConcurrency(t *testing.T) {
	mem := vfs.NewMemFS()
	opts := checkpointOptions(mem)
	opts.ColdCacheBytes = 32 << 10
	e, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	if _, err := e.Insert("trades", spreadBatch(0, 8000, 8)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 4)
	for g := range 3 {
		go func() {
			for range 20 {
				tbl, _ := e.Table("trades")
				snap := tbl.Snapshot()
				rows := 0
				for _, p := range snap.Partitions {
					for _, s := range p.AllSeries() {
						rows += s.Rows()
					}
				}
				err := snap.Err()
				snap.Release()
				if err != nil || rows < 8000 {
					done <- errors.Join(err, errors.New("scan "+string(rune('0'+g))+" saw too few rows"))
					return
				}
			}
			done <- nil
		}()
	}
	go func() {
		for i := range 10 {
			if _, err := e.Insert("trades", onDay(spreadBatch(10000+i*10, 10, 1), 7)); err != nil {
				done <- err
				return
			}
			if _, err := e.Checkpoint(); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// TestHotMemoryBudgetSealsEarlier: past HotMemoryBytes a checkpoint seals
// every partition but the newest, though HotPartitions would keep more.
func TestHotMemoryBudgetSealsEarlier(t *testing.T) {
	opts := checkpointOptions(vfs.NewMemFS())
	opts.HotPartitions = 10
	opts.HotMemoryBytes = 64 << 10
	e, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	if _, err := e.Insert("trades", spreadBatch(0, 12000, 6)); err != nil {
		t.Fatal(err)
	}
	before := e.HotBytes()
	st, err := e.Checkpoint()
	if err != nil || !st.OverBudget || st.Sealed != 5 {
		t.Fatalf("%+v %v (hot bytes %d)", st, err, before)
	}
	if after := e.HotBytes(); after*4 > before {
		t.Fatalf("hot bytes %d → %d", before, after)
	}
	if got := volumes(t, e, "trades"); len(got) != 12000 {
		t.Fatalf("%d rows after sealing", len(got))
	}
}

// TestLateRowsForSealedPartitions: rows written to a sealed partition
// on disk go to a delta without reading it, even while it cannot be read
// (a file moved away, EIO): acknowledged, they are never lost. Reads of
// the partition fail meanwhile rather than answer without its rows; once
// it reads again the delta follows its rows, and a checkpoint merges both
// into a new sealed partition that survives a restart.
func TestLateRowsForSealedPartitions(t *testing.T) {
	dir := t.TempDir()
	opts := checkpointOptions(nil)
	opts.FS, opts.Dir = nil, dir
	e, err := Open(opts)
	must(t, err)
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	_, err = e.Insert("trades", spreadBatch(0, 4000, 4))
	must(t, err)
	_, err = e.Checkpoint()
	must(t, err)
	must(t, e.Close())
	e, err = Open(opts)
	must(t, err)
	tbl, _ := e.Table("trades")
	parts, _ := filepath.Glob(filepath.Join(dir, "hdb", "trades", "p0-*"))
	if len(parts) != 1 {
		t.Fatalf("sealed partitions of day 0: %v", parts)
	}
	hot := e.HotBytes()
	_, err = e.Insert("trades", onDay(spreadBatch(999998, 1, 1), 0))
	must(t, err)
	if st := e.ColdStats(); st.Loads != 0 || tbl.Rows() != 4001 {
		t.Fatalf("a late row read %d partitions; table rows %d", st.Loads, tbl.Rows())
	}
	if grew := e.HotBytes() - hot; grew <= 0 || grew > 64<<10 {
		t.Fatalf("hot memory grew by %d bytes for one late row", grew)
	}

	must(t, os.Rename(parts[0], parts[0]+".away"))
	_, err = e.Insert("trades", onDay(spreadBatch(999999, 1, 1), 0))
	must(t, err) // acknowledged: it needs nothing from disk
	snap := tbl.Snapshot()
	for _, p := range snap.Partitions {
		p.AllSeries()
	}
	if snap.Err() == nil {
		t.Fatal("a read of the unreadable partition reported no error")
	}
	snap.Release()
	if _, err := e.Checkpoint(); err == nil {
		t.Fatal("a checkpoint merged a partition it could not read")
	}
	must(t, os.Rename(parts[0]+".away", parts[0]))

	got := volumes(t, e, "trades")
	if got[999998] != 1 || got[999999] != 1 || len(got) != 4002 {
		t.Fatalf("late rows %d, %d; %d rows (want 1, 1, 4002)", got[999998], got[999999], len(got))
	}
	_, err = e.Checkpoint()
	must(t, err)
	_, err = e.Insert("trades", onDay(spreadBatch(5000, 1, 1), 3))
	must(t, err)
	_, err = e.Checkpoint() // drops the WAL of the late rows
	must(t, err)
	must(t, e.Close())
	e, err = Open(opts)
	must(t, err)
	defer e.Close()
	got = volumes(t, e, "trades")
	if got[999998] != 1 || got[999999] != 1 || len(got) != 4003 {
		t.Fatalf("after checkpoints and restart: late rows %d, %d; %d rows (want 1, 1, 4003)", got[999998], got[999999], len(got))
	}
}

// TestSymbolsOfSealedPartitionsKnownAtStart: a restart reads no sealed
// partition, yet every SYMBOL value they hold is in the dictionaries
// (queries resolve constants before reading). A manifest written before
// the symbols record existed still works: its partitions are read at
// start-up.
func TestSymbolsOfSealedPartitionsKnownAtStart(t *testing.T) {
	mem := vfs.NewMemFS()
	opts := checkpointOptions(mem)
	opts.HotPartitions = 1
	e, err := Open(opts)
	must(t, err)
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	old := onDay(tradeBatch(0, 3), 0)
	old.Vectors[1].String = []string{"ONLYOLD", "ONLYOLD", "ONLYOLD"}
	_, err = e.Insert("trades", old)
	must(t, err)
	_, err = e.Insert("trades", onDay(tradeBatch(10, 3), 5))
	must(t, err)
	st, err := e.Checkpoint()
	must(t, err)
	if st.Sealed != 1 {
		t.Fatalf("%d partitions sealed, want 1", st.Sealed)
	}
	must(t, e.Close())

	known := func() (bool, int64) {
		e, err := Open(opts)
		must(t, err)
		defer e.Close()
		tbl, _ := e.Table("trades")
		_, ok := tbl.Dicts[1].Lookup("ONLYOLD")
		return ok, e.ColdStats().Loads
	}
	if ok, loads := known(); !ok || loads != 0 {
		t.Fatalf("with the symbols record: known %v, %d partitions read at start-up (want true, 0)", ok, loads)
	}
	// The same manifest without its symbols record, as older binaries wrote it.
	records, err := hdb.ReadManifest(mem, filepath.Join(opts.Dir, "hdb"), st.LSN)
	must(t, err)
	var legacy []hdb.Record
	for _, r := range records {
		if r.Type != recSymbols {
			legacy = append(legacy, r)
		}
	}
	if len(legacy) == len(records) {
		t.Fatal("the manifest holds no symbols record")
	}
	must(t, hdb.RemoveManifest(mem, filepath.Join(opts.Dir, "hdb"), st.LSN))
	must(t, hdb.WriteManifest(mem, filepath.Join(opts.Dir, "hdb"), st.LSN, legacy))
	if ok, loads := known(); !ok || loads != 1 {
		t.Fatalf("without it: known %v, %d partitions read at start-up (want true, 1)", ok, loads)
	}
}

// TestSealedReadsWithoutMmap: with NoMmap sealed partitions read the same
// through pread.
func TestSealedReadsWithoutMmap(t *testing.T) {
	for _, noMmap := range []bool{false, true} {
		opts := checkpointOptions(nil)
		opts.FS, opts.Dir, opts.HotPartitions, opts.NoMmap = nil, t.TempDir(), 1, noMmap
		e, err := Open(opts)
		must(t, err)
		must(t, e.CreateTable(tradesSchema(t, "trades"), false))
		_, err = e.Insert("trades", spreadBatch(0, 4000, 4))
		must(t, err)
		_, err = e.Checkpoint()
		must(t, err)
		must(t, e.Close())
		e, err = Open(opts)
		must(t, err)
		if got := volumes(t, e, "trades"); len(got) != 4000 || e.ColdStats().Loads != 3 {
			t.Fatalf("NoMmap=%v: %d rows, %d partitions read", noMmap, len(got), e.ColdStats().Loads)
		}
		must(t, e.Close())
	}
}
