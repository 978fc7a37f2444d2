package rdb

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// TestReviewZoneMapsMatchData (passing): many appends of random size with
// out-of-order timestamps (some batches sorted, some not), several symbols
// including NULL, across hour partitions, into chunks whose capacity is not
// a multiple of BlockRows. Every chunk's MinTS/MaxTS, Sorted flag and
// per-block bounds must equal what its rows say; capacities must hold;
// rows must land in the right partition and series, in arrival order.
func TestReviewZoneMapsMatchData(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(seed))
			s, err := model.NewSchema("q", []model.Column{
				{Name: "sym", Type: model.TypeSymbol}, {Name: "id", Type: model.TypeInt64},
				{Name: "ts", Type: model.TypeTimestamp},
			}, "ts", model.PartitionHour)
			if err != nil {
				t.Fatal(err)
			}
			tbl := NewTable(s, Options{ChunkRows: 1500})
			type row struct {
				id, ts int64
				sym    string
				null   bool
			}
			want := map[string][]row{} // series key -> rows in arrival order
			id := int64(0)
			now := int64(0)
			for b := 0; b < 60; b++ {
				n := 1 + rng.Intn(900)
				bt := &column.Batch{Vectors: []*column.Vector{{Type: model.TypeSymbol}, {Type: model.TypeInt64}, {Type: model.TypeTimestamp}}}
				sorted := rng.Intn(2) == 0
				for i := 0; i < n; i++ {
					var ts int64
					if sorted {
						now += int64(rng.Intn(int(time.Second)))
						ts = now
					} else {
						ts = now - int64(rng.Intn(int(30*time.Minute))) + int64(rng.Intn(int(time.Minute)))
					}
					sym := fmt.Sprintf("S%d", rng.Intn(3))
					null := rng.Intn(25) == 0
					bt.Vectors[0].String = append(bt.Vectors[0].String, sym)
					if null {
						bt.Vectors[0].SetNull(i)
					}
					bt.Vectors[1].Int64 = append(bt.Vectors[1].Int64, id)
					bt.Vectors[2].Int64 = append(bt.Vectors[2].Int64, ts)
					key := fmt.Sprintf("%d/%s", model.PartitionHour.PartitionStart(ts), sym)
					if null {
						key = fmt.Sprintf("%d/NULL", model.PartitionHour.PartitionStart(ts))
					}
					want[key] = append(want[key], row{id: id, ts: ts, sym: sym, null: null})
					id++
				}
				tbl.Append(bt)
			}
			snap := tbl.Snapshot()
			defer snap.Release()
			if snap.Rows != id {
				t.Fatalf("rows %d, want %d", snap.Rows, id)
			}
			series := 0
			for pi, p := range snap.Partitions {
				if pi > 0 && snap.Partitions[pi-1].Start >= p.Start {
					t.Fatal("partitions out of order")
				}
				for _, se := range p.AllSeries() {
					series++
					key := fmt.Sprintf("%d/NULL", p.Start)
					if se.Symbol != NullSymbol {
						key = fmt.Sprintf("%d/%s", p.Start, tbl.Dicts[0].String(se.Symbol))
					}
					exp := want[key]
					if se.Rows() != len(exp) {
						t.Fatalf("series %s: %d rows, want %d", key, se.Rows(), len(exp))
					}
					k := 0
					for ci, c := range se.Chunks {
						if c.Len() > c.cap || cap(c.Cols[0].Symbol) != c.cap {
							t.Fatalf("series %s chunk %d: len %d cap %d", key, ci, c.Len(), c.cap)
						}
						if ci < len(se.Chunks)-1 && c.free() != 0 {
							t.Fatalf("series %s chunk %d not full before the next", key, ci)
						}
						ts := c.Cols[2].Int64
						mn, mx, sorted := ts[0], ts[0], true
						for r, v := range ts {
							mn, mx = min(mn, v), max(mx, v)
							if r > 0 && v < ts[r-1] {
								sorted = false
							}
							w := exp[k]
							k++
							if c.Cols[1].Int64[r] != w.id || v != w.ts || c.Cols[0].IsNull(r) != w.null ||
								tbl.Dicts[0].String(c.Cols[0].Symbol[r]) != w.sym {
								t.Fatalf("series %s chunk %d row %d: got id %d, want %+v", key, ci, r, c.Cols[1].Int64[r], w)
							}
						}
						if c.MinTS != mn || c.MaxTS != mx || c.Sorted != sorted {
							t.Fatalf("series %s chunk %d: zone [%d,%d] sorted %v, data [%d,%d] sorted %v",
								key, ci, c.MinTS, c.MaxTS, c.Sorted, mn, mx, sorted)
						}
						if nb := (c.Len() + BlockRows - 1) / BlockRows; c.Blocks() != nb {
							t.Fatalf("series %s chunk %d: %d blocks, want %d", key, ci, c.Blocks(), nb)
						}
						for b := 0; b < c.Blocks(); b++ {
							part := ts[b*BlockRows : min((b+1)*BlockRows, len(ts))]
							bmn, bmx := part[0], part[0]
							for _, v := range part {
								bmn, bmx = min(bmn, v), max(bmx, v)
							}
							if lo, hi := c.BlockBounds(b); lo != bmn || hi != bmx {
								t.Fatalf("series %s chunk %d block %d: [%d,%d], data [%d,%d]", key, ci, b, lo, hi, bmn, bmx)
							}
						}
					}
				}
			}
			if series != len(want) {
				t.Fatalf("%d series, want %d", series, len(want))
			}
		})
	}
}
