package rdb

import (
	"testing"
	"time"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

func tradesSchema(t *testing.T) *model.Schema {
	s, err := model.NewSchema("trades", []model.Column{
		{Name: "ts", Type: model.TypeTimestamp}, {Name: "symbol", Type: model.TypeSymbol},
		{Name: "price", Type: model.TypeFloat64}, {Name: "volume", Type: model.TypeInt64},
	}, "", model.PartitionDay)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func batch(ts []int64, syms []string, px []float64, vol []int64) *column.Batch {
	return &column.Batch{Vectors: []*column.Vector{
		{Type: model.TypeTimestamp, Int64: ts}, {Type: model.TypeSymbol, String: syms},
		{Type: model.TypeFloat64, Float64: px}, {Type: model.TypeInt64, Int64: vol},
	}}
}

func TestAppendRoutesBySymbolAndDay(t *testing.T) {
	tbl := NewTable(tradesSchema(t), Options{ChunkRows: 4096})
	day := int64(24 * time.Hour)
	b := batch(
		[]int64{10, 20, day + 5, 30, 15},
		[]string{"A", "B", "A", "A", "B"},
		[]float64{1, 2, 3, 4, 5},
		[]int64{10, 20, 30, 40, 50},
	)
	b.Vectors[2].SetNull(4)
	tbl.Append(b)
	snap := tbl.Snapshot()
	defer snap.Release()
	if snap.Rows != 5 || len(snap.Partitions) != 2 {
		t.Fatalf("rows %d partitions %d", snap.Rows, len(snap.Partitions))
	}
	a, _ := tbl.Dicts[1].Lookup("A")
	sa := snap.Partitions[0].Series(a)
	if sa == nil || sa.Rows() != 2 {
		t.Fatalf("series A day 0: %+v", sa)
	}
	c := sa.Chunks[0]
	if got := c.Cols[2].Float64; got[0] != 1 || got[1] != 4 || c.MinTS != 10 || c.MaxTS != 30 || !c.Sorted {
		t.Fatalf("chunk A: %v min %d max %d sorted %v", got, c.MinTS, c.MaxTS, c.Sorted)
	}
	bID, _ := tbl.Dicts[1].Lookup("B")
	cb := snap.Partitions[0].Series(bID).Chunks[0]
	if cb.Sorted || !cb.Cols[2].IsNull(1) || cb.Cols[2].IsNull(0) {
		t.Fatalf("chunk B: sorted %v nulls wrong", cb.Sorted)
	}
}

func TestChunksGrowAndNeverExceedCapacity(t *testing.T) {
	tbl := NewTable(tradesSchema(t), Options{ChunkRows: 4096})
	const n = 20000
	ts := make([]int64, n)
	syms := make([]string, n)
	for i := range ts {
		ts[i], syms[i] = int64(i), "A"
	}
	tbl.Append(batch(ts, syms, make([]float64, n), make([]int64, n)))
	snap := tbl.Snapshot()
	defer snap.Release()
	s := snap.Partitions[0].AllSeries()[0]
	total, want := 0, []int{1024, 2048, 4096, 4096, 4096, 4096, 640}
	for i, c := range s.Chunks {
		if c.cap != want[i] && i < len(want)-1 {
			t.Fatalf("chunk %d capacity %d, want %d", i, c.cap, want[i])
		}
		if cap(c.Cols[0].Int64) != c.cap {
			t.Fatalf("chunk %d reallocated: cap %d", i, cap(c.Cols[0].Int64))
		}
		total += c.Len()
	}
	if total != n {
		t.Fatalf("total %d", total)
	}
}
