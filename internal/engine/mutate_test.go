package engine

import (
	"errors"
	"math/rand"
	"reflect"
	"sync"
	"testing"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/vfs"
	"github.com/zeptodb/zeptodb/internal/wal"
)

// planWhere returns a plan naming every row whose volume (column 3)
// passes keep, as the SQL layer would for WHERE; with set, the plan is an
// UPDATE giving price (column 2) the value set(volume).
func planWhere(keep func(int64) bool, set func(int64) float64) func(*rdb.Table) (*Mutation, error) {
	return func(t *rdb.Table) (*Mutation, error) {
		snap := t.Snapshot()
		defer snap.Release()
		m := &Mutation{}
		var prices []float64
		for _, p := range snap.Partitions {
			for _, s := range p.AllSeries() {
				rows := rdb.SeriesRows{Part: p.Start, Symbol: s.Symbol}
				pos := 0
				for _, c := range s.Chunks {
					for r, v := range c.Cols[3].Int64[:c.Len()] {
						if !keep(v) {
							continue
						}
						if k := len(rows.Ranges); k > 0 && rows.Ranges[k-1].End == pos+r {
							rows.Ranges[k-1].End++
						} else {
							rows.Ranges = append(rows.Ranges, rdb.RowRange{Start: pos + r, End: pos + r + 1})
						}
						if set != nil {
							prices = append(prices, set(v))
						}
					}
					pos += c.Len()
				}
				if len(rows.Ranges) > 0 {
					m.Rows = append(m.Rows, rows)
				}
			}
		}
		if set != nil {
			m.Cols = []int{2}
			m.Values = &column.Batch{Vectors: []*column.Vector{{Type: model.TypeFloat64, Float64: prices}}}
		}
		return m, nil
	}
}

func reopenState(t *testing.T, fs vfs.FS, opts Options) map[string]rvTable {
	t.Helper()
	opts.FS = fs
	e, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	return rvState(t, e)
}

func TestMutationsAndAlterSurviveRestart(t *testing.T) {
	mem := vfs.NewMemFS()
	opts := testOptions(mem)
	opts.ChunkRows = 2048
	e, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	if _, err := e.Insert("trades", tradeBatch(0, 10000)); err != nil {
		t.Fatal(err)
	}
	gone := func(v int64) bool { return v%3 == 0 || (v > 2000 && v < 2500) }
	wantDeleted, wantUpdated := 0, 0
	for v := int64(0); v < 10000; v++ {
		switch {
		case gone(v):
			wantDeleted++
		case v%5 == 0:
			wantUpdated++
		}
	}
	n, err := e.Mutate("trades", planWhere(gone, nil))
	if err != nil || n != wantDeleted {
		t.Fatalf("deleted %d, want %d, %v", n, wantDeleted, err)
	}
	n, err = e.Mutate("trades", planWhere(func(v int64) bool { return v%5 == 0 }, func(v int64) float64 { return -float64(v) }))
	if err != nil || n != wantUpdated {
		t.Fatalf("updated %d, want %d, %v", n, wantUpdated, err)
	}
	if n, err := e.Mutate("trades", planWhere(func(int64) bool { return false }, nil)); n != 0 || err != nil {
		t.Fatalf("empty delete: %d, %v", n, err)
	}
	// Add a column, write through the new schema, drop and rename.
	wide, _ := model.NewSchema("trades", []model.Column{
		{Name: "ts", Type: model.TypeTimestamp}, {Name: "symbol", Type: model.TypeSymbol},
		{Name: "price", Type: model.TypeFloat64}, {Name: "volume", Type: model.TypeInt64}, {Name: "venue", Type: model.TypeString},
	}, "", model.PartitionDay)
	must(t, e.AlterTable("trades", wide, []int{0, 1, 2, 3, -1}))
	b := tradeBatch(20000, 50)
	b.Vectors = append(b.Vectors, &column.Vector{Type: model.TypeString, String: make([]string, 50)})
	if _, err := e.Insert("trades", b); err != nil {
		t.Fatal(err)
	}
	renamed, _ := model.NewSchema("trades", []model.Column{
		{Name: "ts", Type: model.TypeTimestamp}, {Name: "symbol", Type: model.TypeSymbol},
		{Name: "px", Type: model.TypeFloat64}, {Name: "volume", Type: model.TypeInt64},
	}, "", model.PartitionDay)
	must(t, e.AlterTable("trades", renamed, []int{0, 1, 2, 3}))
	live := rvState(t, e)
	if live["trades"].Rows != int64(10000-wantDeleted+50) {
		t.Fatalf("rows %d", live["trades"].Rows)
	}
	must(t, e.Close())
	for name, fs := range map[string]vfs.FS{"reopen": mem, "power loss": mem.Crash(nil)} {
		if got := reopenState(t, fs, opts); !reflect.DeepEqual(got, live) {
			t.Fatalf("%s: state differs after replay", name)
		}
	}
}

// TestMutationsInterleavedWithInserts checks that a mutation sees exactly
// the writes logged before it: the live state after concurrent inserts and
// deletes equals the replayed one, and no acknowledged row outside the
// deleted ranges is missing.
func TestMutationsInterleavedWithInserts(t *testing.T) {
	mem := vfs.NewMemFS()
	opts := testOptions(mem)
	e, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				if _, err := e.Insert("trades", tradeBatch((w*100+i)*10, 10)); err != nil {
					t.Error(err)
				}
			}
		}(w)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		rng := rand.New(rand.NewSource(1))
		for i := 0; i < 20; i++ {
			mod := int64(2 + rng.Intn(5))
			if _, err := e.Mutate("trades", planWhere(func(v int64) bool { return v%mod == 1 }, nil)); err != nil {
				t.Error(err)
			}
		}
	}()
	wg.Wait()
	live := rvState(t, e)
	must(t, e.Close())
	if got := reopenState(t, mem, opts); !reflect.DeepEqual(got, live) {
		t.Fatal("state differs after replay")
	}
}

func TestMutateRefusesBeforeLogging(t *testing.T) {
	mem := vfs.NewMemFS()
	e, err := Open(testOptions(mem))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	if _, err := e.Insert("trades", tradeBatch(0, 10)); err != nil {
		t.Fatal(err)
	}
	before := e.WALStats().LastLSN
	bad := func(*rdb.Table) (*Mutation, error) {
		return &Mutation{Rows: []rdb.SeriesRows{{Part: 0, Symbol: 0, Ranges: []rdb.RowRange{{Start: 0, End: 99}}}}}, nil
	}
	if _, err := e.Mutate("trades", bad); err == nil {
		t.Fatal("a delete past the end was accepted")
	}
	planErr := errors.New("plan failed")
	if _, err := e.Mutate("trades", func(*rdb.Table) (*Mutation, error) { return nil, planErr }); !errors.Is(err, planErr) {
		t.Fatalf("plan error lost: %v", err)
	}
	if _, err := e.Mutate("nope", bad); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("unknown table: %v", err)
	}
	narrow, _ := model.NewSchema("trades", []model.Column{{Name: "symbol", Type: model.TypeSymbol}}, "", model.PartitionDay)
	if err := e.AlterTable("trades", narrow, []int{1}); err == nil {
		t.Fatal("dropping the designated timestamp was accepted")
	}
	if after := e.WALStats().LastLSN; after != before {
		t.Fatalf("refused statements were logged: LSN %d → %d", before, after)
	}
}

// TestReplayRefusesDamagedMutations: a mutation record naming rows that do
// not exist fails recovery instead of deleting something else.
func TestReplayRefusesDamagedMutations(t *testing.T) {
	e := &Engine{tables: map[string]*rdb.Table{}}
	s := tradesSchema(t, "trades")
	must(t, e.replay(wal.Record{LSN: 1, Type: recCreateTable, Payload: encodeSchema(s)}))
	must(t, e.replay(wal.Record{LSN: 2, Type: recInsert, Payload: encodeInsert(nil, "trades", tradeBatch(0, 7))}))
	tbl := e.tables["trades"]
	good := encodeMutation(tbl, &Mutation{Rows: []rdb.SeriesRows{{Part: 0, Symbol: 0, Ranges: []rdb.RowRange{{Start: 0, End: 1}}}}})
	for i := range good {
		cut := good[:i]
		if err := e.replay(wal.Record{LSN: 3, Type: recDelete, Payload: cut}); err == nil {
			t.Fatalf("a record cut at %d of %d bytes replayed", i, len(good))
		}
	}
	if tbl.Rows() != 7 {
		t.Fatalf("damaged records changed the table: %d rows", tbl.Rows())
	}
	must(t, e.replay(wal.Record{LSN: 3, Type: recDelete, Payload: good}))
	if tbl.Rows() != 6 {
		t.Fatalf("rows %d after the good record", tbl.Rows())
	}
}
