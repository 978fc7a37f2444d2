package rdb

import (
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

func TestExportSortedAndLoadBack(t *testing.T) {
	tbl := NewTable(tradesSchema(t), Options{ChunkRows: 2048})
	b := batch([]int64{30, 10, 20, 15, 5}, []string{"B", "A", "B", "A", "C"}, []float64{3, 1, 2, 1.5, 0.5}, []int64{3, 1, 2, 15, 5})
	b.Vectors[1].SetNull(4) // the C row's symbol is NULL
	b.Vectors[2].SetNull(2)
	tbl.Append(b)
	if dir, clean := tbl.Partition(0).SealedDir(); dir != "" || clean {
		t.Fatal("a new partition says it is sealed")
	}
	exp, _ := tbl.Export(0, true)
	if len(exp) != 3 || !exp[0].Null || exp[1].Symbol != "A" || exp[2].Symbol != "B" {
		t.Fatalf("series order: %+v", exp)
	}
	if got := exp[2].Rows.Vectors[0].Int64; !reflect.DeepEqual(got, []int64{20, 30}) || !exp[2].Rows.Vectors[2].IsNull(0) {
		t.Fatalf("B sorted by ts: %v, price NULL moved with its row: %v", got, exp[2].Rows.Vectors[2].IsNull(0))
	}
	unsorted, _ := tbl.Export(0, false)
	if got := unsorted[2].Rows.Vectors[0].Int64; !reflect.DeepEqual(got, []int64{30, 20}) {
		t.Fatalf("B in position order: %v", got)
	}

	fresh := NewTable(tradesSchema(t), Options{})
	fresh.LoadPartition(0, exp, "hdb/trades/p0", nil)
	if fresh.Rows() != 5 {
		t.Fatalf("rows %d", fresh.Rows())
	}
	if dir, clean := fresh.Partition(0).SealedDir(); dir != "hdb/trades/p0" || !clean {
		t.Fatalf("sealed dir %q clean %v", dir, clean)
	}
	if again, _ := fresh.Export(0, false); !reflect.DeepEqual(again, exp) {
		t.Fatal("loaded partition exports differently")
	}
	// Replacing a partition in place, and a late row making it dirty.
	fresh.LoadPartition(0, exp[1:2], "hdb/trades/p0-2", nil)
	if fresh.Rows() != 2 {
		t.Fatalf("rows after replace %d", fresh.Rows())
	}
	fresh.Append(batch([]int64{1}, []string{"A"}, []float64{9}, []int64{9}))
	if _, clean := fresh.Partition(0).SealedDir(); clean {
		t.Fatal("a late row left the partition clean")
	}
}

func TestExportWithoutDesignatedSymbol(t *testing.T) {
	s, _ := model.NewSchema("m", []model.Column{{Name: "ts", Type: model.TypeTimestamp}, {Name: "v", Type: model.TypeInt64}}, "", model.PartitionDay)
	tbl := NewTable(s, Options{})
	tbl.Append(&column.Batch{Vectors: []*column.Vector{{Type: model.TypeTimestamp, Int64: []int64{2, 1}}, {Type: model.TypeInt64, Int64: []int64{20, 10}}}})
	exp, _ := tbl.Export(0, true)
	if len(exp) != 1 || exp[0].Null || exp[0].Symbol != "" || !reflect.DeepEqual(exp[0].Rows.Vectors[1].Int64, []int64{10, 20}) {
		t.Fatalf("%+v", exp)
	}
}

// Export (a checkpoint) and readers loading the same sealed partition run
// together; the loader fails every other time, as a flaky disk would.
// Run under -race.
func TestExportWhileReadersLoad(t *testing.T) {
	tbl := NewTable(tradesSchema(t), Options{})
	rows := []ExportedSeries{{Symbol: "A", Rows: batch([]int64{1, 2}, []string{"A", "A"}, []float64{1, 2}, []int64{1, 2})}}
	var calls atomic.Int64
	loader := func() ([]ExportedSeries, error) {
		if calls.Add(1)%2 == 1 {
			return nil, errors.New("transient read error")
		}
		return rows, nil
	}
	tbl.AddColdPartition(0, "trades/p0-1", &ColdSource{Rows: 2, Series: []ColdSeries{{Symbol: "A"}}, ReadAll: loader})
	var wg sync.WaitGroup
	var exported atomic.Int64
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if g == 0 {
					if ex, err := tbl.Export(0, false); err == nil {
						if len(ex) != 1 || ex[0].Rows.Len() != 2 {
							t.Errorf("export: %d series", len(ex))
							return
						}
						exported.Add(1)
					}
					continue
				}
				s := tbl.Snapshot()
				for _, p := range s.Partitions {
					p.AllSeries()
				}
				s.Release()
			}
		}()
	}
	wg.Wait()
	if exported.Load() == 0 {
		t.Fatal("no export succeeded")
	}
}

// A pinned partition stays in memory however far over budget the cache
// is; released, it is evicted on the next trim.
func TestPinnedPartitionIsNotEvicted(t *testing.T) {
	cache := NewColdCache(1)
	tbl := NewTable(tradesSchema(t), Options{Cold: cache})
	rows := []ExportedSeries{{Symbol: "A", Rows: batch([]int64{1, 2}, []string{"A", "A"}, []float64{1, 2}, []int64{1, 2})}}
	tbl.AddColdPartition(0, "trades/p0-1", &ColdSource{Rows: 2, Series: []ColdSeries{{Symbol: "A"}}, ReadAll: func() ([]ExportedSeries, error) { return rows, nil }})
	release, err := tbl.Pin([]int64{0})
	if err != nil {
		t.Fatal(err)
	}
	cache.Trim()
	if st := cache.Stats(); st.Partitions != 1 || st.Evictions != 0 {
		t.Fatalf("pinned: %+v", st)
	}
	release()
	cache.Trim()
	if st := cache.Stats(); st.Partitions != 0 || st.Evictions != 1 || st.Bytes != 0 {
		t.Fatalf("released: %+v", st)
	}
	failing := NewTable(tradesSchema(t), Options{Cold: cache})
	failing.AddColdPartition(0, "trades/p0-1", &ColdSource{Rows: 2, Series: []ColdSeries{{Symbol: "A"}}, ReadAll: func() ([]ExportedSeries, error) { return nil, errors.New("eio") }})
	if _, err := failing.Pin([]int64{0}); err == nil {
		t.Fatal("pin of an unreadable partition succeeded")
	}
}

// A query that names its symbols reads only their series of a partition
// on disk; a read of everything reads the rest once; a damaged series
// fails the snapshots that read it and no other.
func TestColdPartitionReadsSeriesOnDemand(t *testing.T) {
	src := batch([]int64{1, 2, 3, 4, 5}, []string{"A", "B", "A", "C", "B"}, []float64{1, 2, 3, 4, 5}, []int64{1, 2, 3, 4, 5})
	src.Vectors[1].SetNull(3) // the C row's symbol is NULL
	loaded := NewTable(tradesSchema(t), Options{})
	loaded.Append(src)
	exp, _ := loaded.Export(0, true) // NULL, A, B
	var all, one atomic.Int64
	damaged := "B"
	cold := &ColdSource{Rows: 5, Series: []ColdSeries{{Null: true}, {Symbol: "A"}, {Symbol: "B"}},
		ReadAll: func() ([]ExportedSeries, error) { all.Add(1); return exp, nil },
		ReadSeries: func(i int) (ExportedSeries, error) {
			one.Add(1)
			if exp[i].Symbol == damaged {
				return ExportedSeries{}, errors.New("checksum mismatch in B")
			}
			return exp[i], nil
		},
	}
	cache := NewColdCache(0)
	tbl := NewTable(tradesSchema(t), Options{Cold: cache})
	tbl.AddColdPartition(0, "trades/p0-1", cold)
	a, b := tbl.Dicts[1].Intern("A"), tbl.Dicts[1].Intern("B")
	z := tbl.Dicts[1].Intern("Z") // a symbol the partition does not hold

	snap := tbl.Snapshot()
	p := snap.Partitions[0]
	if s := p.Series(a); s == nil || s.Rows() != 2 {
		t.Fatalf("series A: %+v", s)
	}
	if p.Series(z) != nil || p.Series(a) == nil || one.Load() != 1 || all.Load() != 0 {
		t.Fatalf("reads: %d series, %d whole; want 1, 0", one.Load(), all.Load())
	}
	if err := snap.Err(); err != nil {
		t.Fatal(err)
	}
	if st := cache.Stats(); st.Partitions != 1 || st.Bytes <= 0 {
		t.Fatalf("cache after one series: %+v", st)
	}
	partial := cache.Stats().Bytes
	if p.Series(b) != nil || snap.Err() == nil {
		t.Fatal("a damaged series read without an error")
	}
	snap.Release()
	snap = tbl.Snapshot()
	if snap.Err() != nil {
		t.Fatal("a new snapshot reports an old failure")
	}
	damaged = ""
	if got := len(snap.Partitions[0].AllSeries()); got != 3 || all.Load() != 1 {
		t.Fatalf("%d series after reading all, %d whole reads", got, all.Load())
	}
	if st := cache.Stats(); st.Bytes <= partial {
		t.Fatalf("cache bytes %d after reading all, %d after one series", st.Bytes, partial)
	}
	snap.Release()
	if rows := tbl.Rows(); rows != 5 {
		t.Fatalf("rows %d", rows)
	}
}

// TestDeltaOfColdPartition: rows written to a partition on disk wait in
// delta series without reading it; a read puts the sealed rows first, by
// series or whole, so positions are those of a partition loaded before
// the write.
func TestDeltaOfColdPartition(t *testing.T) {
	src := NewTable(tradesSchema(t), Options{})
	src.Append(batch([]int64{1, 2, 3, 4}, []string{"A", "B", "A", "B"}, []float64{1, 2, 3, 4}, []int64{1, 2, 3, 4}))
	exp, _ := src.Export(0, true) // A, B
	var reads atomic.Int64
	cold := func() *ColdSource {
		return &ColdSource{Rows: 4, Series: []ColdSeries{{Symbol: "A"}, {Symbol: "B"}},
			ReadAll:    func() ([]ExportedSeries, error) { reads.Add(1); return exp, nil },
			ReadSeries: func(i int) (ExportedSeries, error) { reads.Add(1); return exp[i], nil },
		}
	}
	late := batch([]int64{9, 8}, []string{"A", "C"}, []float64{9, 8}, []int64{9, 8})
	volumesOf := func(s *Series) []int64 {
		var out []int64
		for _, c := range s.Chunks {
			out = append(out, c.Cols[3].Int64...)
		}
		return out
	}
	for _, whole := range []bool{false, true} {
		tbl := NewTable(tradesSchema(t), Options{})
		tbl.AddColdPartition(0, "trades/p0-1", cold())
		reads.Store(0)
		tbl.Append(late)
		if reads.Load() != 0 || tbl.Rows() != 6 {
			t.Fatalf("a write read %d times; %d rows", reads.Load(), tbl.Rows())
		}
		snap := tbl.Snapshot()
		p := snap.Partitions[0]
		if whole {
			p.AllSeries()
		}
		a, c := tbl.Dicts[1].Intern("A"), tbl.Dicts[1].Intern("C")
		if got := volumesOf(p.Series(a)); !reflect.DeepEqual(got, []int64{1, 3, 9}) {
			t.Fatalf("whole=%v: A = %v, want sealed rows then the late one", whole, got)
		}
		if got := volumesOf(p.Series(c)); !reflect.DeepEqual(got, []int64{8}) {
			t.Fatalf("whole=%v: C = %v", whole, got)
		}
		if got := len(p.AllSeries()); got != 3 {
			t.Fatalf("whole=%v: %d series", whole, got)
		}
		snap.Release()
		ex, err := tbl.Export(0, false)
		if err != nil || len(ex) != 3 || tbl.Rows() != 6 {
			t.Fatalf("whole=%v: export %d series, %v; %d rows", whole, len(ex), err, tbl.Rows())
		}
		if _, clean := tbl.Partition(0).SealedDir(); clean {
			t.Fatal("a partition with late rows says it is clean")
		}
	}
}
