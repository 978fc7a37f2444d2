package rdb

import (
	"testing"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// seriesVolumes reads the volume column of one series in position order,
// -1 for NULL.
func seriesVolumes(tbl *Table, sym string) []int64 {
	snap := tbl.Snapshot()
	defer snap.Release()
	id, ok := tbl.Dicts[1].Lookup(sym)
	if !ok || len(snap.Partitions) == 0 {
		return nil
	}
	s := snap.Partitions[0].Series(id)
	if s == nil {
		return nil
	}
	var out []int64
	for _, c := range s.Chunks {
		for r := 0; r < c.Len(); r++ {
			v := c.Cols[3].Int64[r]
			if c.Cols[3].IsNull(r) {
				v = -1
			}
			out = append(out, v)
		}
	}
	return out
}

// threeChunkTable holds 5000 rows of A (chunks of 1024, 2048, 1928) with
// volume = position, and one row of B.
func threeChunkTable(t *testing.T) *Table {
	tbl := NewTable(tradesSchema(t), Options{ChunkRows: 2048})
	const n = 5000
	ts, syms, vol := make([]int64, n+1), make([]string, n+1), make([]int64, n+1)
	for i := range n {
		ts[i], syms[i], vol[i] = int64(i), "A", int64(i)
	}
	ts[n], syms[n], vol[n] = 7, "B", 99
	tbl.Append(batch(ts, syms, make([]float64, n+1), vol))
	return tbl
}

func symID(tbl *Table, s string) uint32 {
	id, _ := tbl.Dicts[1].Lookup(s)
	return id
}

func TestDeleteRowsAcrossChunks(t *testing.T) {
	tbl := threeChunkTable(t)
	v0 := tbl.Version()
	n, err := tbl.DeleteRows([]SeriesRows{{Part: 0, Symbol: symID(tbl, "A"),
		Ranges: []RowRange{{0, 2}, {1020, 1030}, {4990, 5000}}}})
	if err != nil || n != 22 {
		t.Fatalf("deleted %d, %v", n, err)
	}
	got := seriesVolumes(tbl, "A")
	if len(got) != 4978 || got[0] != 2 || got[1017] != 1019 || got[1018] != 1030 || got[len(got)-1] != 4989 {
		t.Fatalf("after delete: len %d first %d around %v last %d", len(got), got[0], got[1017:1019], got[len(got)-1])
	}
	if tbl.Rows() != 4979 || tbl.Version() == v0 {
		t.Fatalf("rows %d version %d→%d", tbl.Rows(), v0, tbl.Version())
	}
	snap := tbl.Snapshot()
	defer snap.Release()
	c := snap.Partitions[0].Series(symID(tbl, "A")).Chunks[0]
	if c.MinTS != 2 || !c.Sorted {
		t.Fatalf("zone map not rebuilt: min %d sorted %v", c.MinTS, c.Sorted)
	}
}

func TestDeleteLastRowsDropsSeriesAndPartition(t *testing.T) {
	tbl := threeChunkTable(t)
	if _, err := tbl.DeleteRows([]SeriesRows{{Part: 0, Symbol: symID(tbl, "B"), Ranges: []RowRange{{0, 1}}}}); err != nil {
		t.Fatal(err)
	}
	if tbl.SeriesAt(0, symID(tbl, "B")) != nil {
		t.Fatal("empty series B still listed")
	}
	if _, err := tbl.DeleteRows([]SeriesRows{{Part: 0, Symbol: symID(tbl, "A"), Ranges: []RowRange{{0, 5000}}}}); err != nil {
		t.Fatal(err)
	}
	snap := tbl.Snapshot()
	defer snap.Release()
	if len(snap.Partitions) != 0 || snap.Rows != 0 {
		t.Fatalf("partitions %d rows %d", len(snap.Partitions), snap.Rows)
	}
}

func TestMutationsRefuseBadRanges(t *testing.T) {
	tests := []struct {
		name string
		set  SeriesRows
	}{
		{"past the end", SeriesRows{Ranges: []RowRange{{4999, 5001}}}},
		{"empty range", SeriesRows{Ranges: []RowRange{{3, 3}}}},
		{"overlap", SeriesRows{Ranges: []RowRange{{0, 5}, {4, 6}}}},
		{"unknown series", SeriesRows{Symbol: 77, Ranges: []RowRange{{0, 1}}}},
		{"unknown partition", SeriesRows{Part: 1, Ranges: []RowRange{{0, 1}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl := threeChunkTable(t)
			set := tt.set
			if set.Symbol == 0 {
				set.Symbol = symID(tbl, "A")
			}
			if _, err := tbl.DeleteRows([]SeriesRows{set}); err == nil {
				t.Fatal("delete accepted")
			}
			vals := &column.Batch{Vectors: []*column.Vector{{Type: model.TypeInt64, Int64: make([]int64, set.Count())}}}
			if _, err := tbl.UpdateRows([]SeriesRows{set}, []int{3}, vals); err == nil {
				t.Fatal("update accepted")
			}
			if tbl.Rows() != 5001 || len(seriesVolumes(tbl, "A")) != 5000 {
				t.Fatal("a refused mutation changed the table")
			}
		})
	}
}

func TestUpdateRowsSetsValuesAndNulls(t *testing.T) {
	tbl := threeChunkTable(t)
	vals := &column.Batch{Vectors: []*column.Vector{{Type: model.TypeInt64, Int64: []int64{-5, 0, -7, -8}}}}
	vals.Vectors[0].SetNull(1)
	n, err := tbl.UpdateRows([]SeriesRows{{Part: 0, Symbol: symID(tbl, "A"), Ranges: []RowRange{{1023, 1026}, {4999, 5000}}}}, []int{3}, vals)
	if err != nil || n != 4 {
		t.Fatalf("updated %d, %v", n, err)
	}
	got := seriesVolumes(tbl, "A")
	if got[1022] != 1022 || got[1023] != -5 || got[1024] != -1 || got[1025] != -7 || got[1026] != 1026 || got[4999] != -8 {
		t.Fatalf("after update: %v … %d", got[1022:1027], got[4999])
	}
	// Setting a NULL row back to a value clears its NULL mark.
	vals = &column.Batch{Vectors: []*column.Vector{{Type: model.TypeInt64, Int64: []int64{42}}}}
	if _, err := tbl.UpdateRows([]SeriesRows{{Part: 0, Symbol: symID(tbl, "A"), Ranges: []RowRange{{1024, 1025}}}}, []int{3}, vals); err != nil {
		t.Fatal(err)
	}
	if got := seriesVolumes(tbl, "A")[1024]; got != 42 {
		t.Fatalf("row 1024 = %d, want 42", got)
	}
}

func TestUpdateRefusesPlacementColumns(t *testing.T) {
	tbl := threeChunkTable(t)
	set := []SeriesRows{{Part: 0, Symbol: symID(tbl, "A"), Ranges: []RowRange{{0, 1}}}}
	for _, col := range []int{0, 1} {
		typ := tbl.Schema.Columns[col].Type
		v := &column.Vector{Type: typ}
		v.AppendNull()
		if _, err := tbl.UpdateRows(set, []int{col}, &column.Batch{Vectors: []*column.Vector{v}}); err == nil {
			t.Fatalf("update of column %d accepted", col)
		}
	}
}

func TestAlteredAddsDropsAndKeepsOldTable(t *testing.T) {
	tbl := threeChunkTable(t)
	s, err := model.NewSchema("trades", []model.Column{
		{Name: "ts", Type: model.TypeTimestamp}, {Name: "symbol", Type: model.TypeSymbol},
		{Name: "volume", Type: model.TypeInt64}, {Name: "venue", Type: model.TypeSymbol},
	}, "", model.PartitionDay)
	if err != nil {
		t.Fatal(err)
	}
	n, err := tbl.Altered(s, []int{0, 1, 3, -1})
	if err != nil {
		t.Fatal(err)
	}
	n.Append(&column.Batch{Vectors: []*column.Vector{
		{Type: model.TypeTimestamp, Int64: []int64{9000}}, {Type: model.TypeSymbol, String: []string{"A"}},
		{Type: model.TypeInt64, Int64: []int64{1}}, {Type: model.TypeSymbol, String: []string{"X"}},
	}})
	if n.Rows() != 5002 || tbl.Rows() != 5001 {
		t.Fatalf("rows new %d old %d", n.Rows(), tbl.Rows())
	}
	snap := n.Snapshot()
	defer snap.Release()
	chunks := snap.Partitions[0].Series(symID(n, "A")).Chunks
	first, last := chunks[0], chunks[len(chunks)-1]
	if first.Cols[2].Int64[7] != 7 || !first.Cols[3].IsNull(7) || last.Cols[3].IsNull(last.Len()-1) {
		t.Fatal("altered columns wrong")
	}
	if len(seriesVolumes(tbl, "A")) != 5000 {
		t.Fatal("old table changed")
	}
}

func TestAlteredRefusesPlacementChanges(t *testing.T) {
	tbl := threeChunkTable(t)
	noTS, _ := model.NewSchema("trades", []model.Column{{Name: "symbol", Type: model.TypeSymbol}, {Name: "price", Type: model.TypeFloat64}}, "", model.PartitionDay)
	if _, err := tbl.Altered(noTS, []int{1, 2}); err == nil {
		t.Fatal("dropping the designated timestamp accepted")
	}
	noSym, _ := model.NewSchema("trades", []model.Column{{Name: "ts", Type: model.TypeTimestamp}, {Name: "price", Type: model.TypeFloat64}}, "", model.PartitionDay)
	if _, err := tbl.Altered(noSym, []int{0, 2}); err == nil {
		t.Fatal("dropping the designated symbol accepted")
	}
}
