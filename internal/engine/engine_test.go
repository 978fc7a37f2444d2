package engine

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand"
	"sync"
	"testing"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/vfs"
)

func testOptions(fs vfs.FS) Options {
	return Options{Dir: "/data", FS: fs, Logger: slog.New(slog.DiscardHandler), WALSegmentSize: 16 << 10}
}

func tradesSchema(t *testing.T, name string) *model.Schema {
	t.Helper()
	s, err := model.NewSchema(name, []model.Column{
		{Name: "ts", Type: model.TypeTimestamp}, {Name: "symbol", Type: model.TypeSymbol},
		{Name: "price", Type: model.TypeFloat64}, {Name: "volume", Type: model.TypeInt64},
	}, "", model.PartitionDay)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func tradeBatch(first, n int) *column.Batch {
	b := &column.Batch{Vectors: []*column.Vector{
		{Type: model.TypeTimestamp}, {Type: model.TypeSymbol}, {Type: model.TypeFloat64}, {Type: model.TypeInt64},
	}}
	for i := first; i < first+n; i++ {
		b.Vectors[0].Int64 = append(b.Vectors[0].Int64, int64(i))
		b.Vectors[1].String = append(b.Vectors[1].String, fmt.Sprintf("S%d", i%7))
		b.Vectors[2].Float64 = append(b.Vectors[2].Float64, float64(i)/2)
		b.Vectors[3].Int64 = append(b.Vectors[3].Int64, int64(i))
	}
	return b
}

// volumes returns every volume value of the table (volume = row id).
func volumes(t *testing.T, e *Engine, table string) map[int64]int {
	t.Helper()
	tbl, err := e.Table(table)
	if err != nil {
		t.Fatal(err)
	}
	snap := tbl.Snapshot()
	defer snap.Release()
	seen := map[int64]int{}
	for _, p := range snap.Partitions {
		for _, s := range p.AllSeries() {
			for _, c := range s.Chunks {
				for _, v := range c.Cols[3].Int64 {
					seen[v]++
				}
			}
		}
	}
	return seen
}

func TestReopenRestoresTablesAndSymbols(t *testing.T) {
	mem := vfs.NewMemFS()
	e, err := Open(testOptions(mem))
	if err != nil {
		t.Fatal(err)
	}
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	must(t, e.CreateTable(tradesSchema(t, "gone"), false))
	if _, err := e.Insert("trades", tradeBatch(0, 1000)); err != nil {
		t.Fatal(err)
	}
	must(t, e.DropTable("gone", false))
	must(t, e.CreateTable(tradesSchema(t, "gone"), false))
	must(t, e.Close())

	e, err = Open(testOptions(mem))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if got := e.TableNames(); len(got) != 2 {
		t.Fatalf("tables %v", got)
	}
	if n := len(volumes(t, e, "trades")); n != 1000 {
		t.Fatalf("%d rows after reopen", n)
	}
	if n := len(volumes(t, e, "gone")); n != 0 {
		t.Fatalf("dropped table data came back: %d rows", n)
	}
	tbl, _ := e.Table("TRADES")
	if id, ok := tbl.Dicts[1].Lookup("S3"); !ok || id != 3 {
		t.Fatalf("symbol S3 id %d %v", id, ok)
	}
}

func TestInsertRejectsBadBatchWhole(t *testing.T) {
	e, err := Open(testOptions(vfs.NewMemFS()))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	cases := map[string]func(b *column.Batch){
		"null timestamp": func(b *column.Batch) { b.Vectors[0].SetNull(5) },
		"wrong type": func(b *column.Batch) {
			b.Vectors[3] = &column.Vector{Type: model.TypeFloat64, Float64: make([]float64, 10)}
		},
		"ragged":         func(b *column.Batch) { b.Vectors[2].Float64 = b.Vectors[2].Float64[:3] },
		"missing column": func(b *column.Batch) { b.Vectors = b.Vectors[:3] },
	}
	for name, damage := range cases {
		b := tradeBatch(0, 10)
		damage(b)
		if _, err := e.Insert("trades", b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if n := len(volumes(t, e, "trades")); n != 0 {
		t.Fatalf("rejected batches left %d rows", n)
	}
	if _, err := e.Insert("trades", tradeBatch(0, 7)); err != nil {
		t.Fatal(err)
	}
	if st := e.Stats(); st.RowsRejected != 40 || st.RowsIngested != 7 {
		t.Fatalf("counted %d rows ingested and %d refused, want 7 and 40", st.RowsIngested, st.RowsRejected)
	}
	if _, err := e.Insert("nope", tradeBatch(0, 1)); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("unknown table: %v", err)
	}
	if err := e.CreateTable(tradesSchema(t, "trades"), false); !errors.Is(err, ErrTableExists) {
		t.Fatalf("duplicate create: %v", err)
	}
}

// TestCrashDuringConcurrentInserts loses power while writers insert and
// checks that every acknowledged batch is there exactly once.
func TestCrashDuringConcurrentInserts(t *testing.T) {
	for seed := int64(1); seed <= 10; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(seed))
			mem := vfs.NewMemFS()
			e, err := Open(testOptions(mem))
			if err != nil {
				t.Fatal(err)
			}
			must(t, e.CreateTable(tradesSchema(t, "trades"), false))
			var mu sync.Mutex
			var acked []int
			var wg sync.WaitGroup
			crashAt := 20 + rng.Intn(40)
			var crashed *vfs.MemFS
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := 0; i < 30; i++ {
						first := (w*1000 + i) * 10
						if _, err := e.Insert("trades", tradeBatch(first, 10)); err != nil {
							return
						}
						mu.Lock()
						acked = append(acked, first)
						if len(acked) == crashAt {
							crashed = mem.Crash(rng)
						}
						mu.Unlock()
					}
				}(w)
			}
			wg.Wait()
			e.Close()
			mu.Lock()
			ackedAtCrash := acked[:crashAt]
			mu.Unlock()

			e2, err := Open(testOptions(crashed))
			if err != nil {
				t.Fatalf("reopen: %v", err)
			}
			defer e2.Close()
			seen := volumes(t, e2, "trades")
			for v, n := range seen {
				if n != 1 {
					t.Fatalf("row %d present %d times", v, n)
				}
			}
			for _, first := range ackedAtCrash {
				for v := first; v < first+10; v++ {
					if seen[int64(v)] != 1 {
						t.Fatalf("acknowledged row %d lost", v)
					}
				}
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestTruncateSurvivesRestart(t *testing.T) {
	mem := vfs.NewMemFS()
	e, err := Open(testOptions(mem))
	if err != nil {
		t.Fatal(err)
	}
	must(t, e.CreateTable(tradesSchema(t, "trades"), false))
	if _, err := e.Insert("trades", tradeBatch(0, 100)); err != nil {
		t.Fatal(err)
	}
	must(t, e.TruncateTable("trades"))
	if _, err := e.Insert("trades", tradeBatch(1000, 5)); err != nil {
		t.Fatal(err)
	}
	must(t, e.Close())
	e, err = Open(testOptions(mem))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	got := volumes(t, e, "trades")
	if len(got) != 5 || got[1000] != 1 {
		t.Fatalf("after truncate and restart: %d rows", len(got))
	}
	if err := e.TruncateTable("nope"); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("truncate of unknown table: %v", err)
	}
}
