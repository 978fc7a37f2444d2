package rdb

import (
	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// Chunk is a fixed-capacity block of rows of one series. Cols are in
// schema order; SYMBOL columns hold dictionary ids.
type Chunk struct {
	Cols []*column.Vector
	// MinTS and MaxTS bound the designated timestamp (a zone map); both
	// are 0 for a table without one.
	MinTS, MaxTS int64
	// Sorted reports that the designated timestamp never decreases.
	Sorted bool
	rows   int
	cap    int
	// blockMin and blockMax bound the timestamps of each BlockRows rows,
	// finer zone maps for chunks that are not sorted (concurrent feeds
	// interleave their batches).
	blockMin, blockMax []int64
}

// BlockRows is the granularity of the per-block zone maps.
const BlockRows = 1024

// Blocks returns the number of zone-map blocks.
func (c *Chunk) Blocks() int { return len(c.blockMin) }

// BlockBounds returns the smallest and largest timestamp of block i,
// rows [i*BlockRows, (i+1)*BlockRows).
func (c *Chunk) BlockBounds(i int) (minTS, maxTS int64) { return c.blockMin[i], c.blockMax[i] }

func newChunk(s *model.Schema, capacity int) *Chunk {
	c := &Chunk{Cols: make([]*column.Vector, len(s.Columns)), Sorted: true, cap: capacity}
	for i, col := range s.Columns {
		c.Cols[i] = column.NewVector(col.Type, capacity)
	}
	return c
}

// Len returns the number of rows.
func (c *Chunk) Len() int { return c.rows }

func (c *Chunk) free() int { return c.cap - c.rows }

// appendRows copies rows of b (ingest form, symbols already interned into
// symIDs) into the chunk. len(rows) must not exceed c.free().
func (c *Chunk) appendRows(s *model.Schema, b *column.Batch, symIDs [][]uint32, rows []int32) {
	base := c.rows
	for ci, dst := range c.Cols {
		src := b.Vectors[ci]
		gather(dst, src, symIDs[ci], rows)
		if src.Nulls.Any() {
			for k, r := range rows {
				if src.IsNull(int(r)) {
					dst.SetNull(base + k)
				}
			}
		}
	}
	c.rows += len(rows)
	if s.TimestampCol >= 0 {
		c.updateZone(c.Cols[s.TimestampCol].Int64, base)
	}
}

// updateZone folds rows [base, len(all)) of the timestamp column into the
// zone maps.
func (c *Chunk) updateZone(all []int64, base int) {
	if base >= len(all) {
		return
	}
	if base == 0 {
		c.MinTS, c.MaxTS = all[0], all[0]
	}
	prev := all[max(base-1, 0)]
	for r := base; r < len(all); r++ {
		t := all[r]
		if t < prev {
			c.Sorted = false
		}
		prev = t
		c.MinTS, c.MaxTS = min(c.MinTS, t), max(c.MaxTS, t)
		if b := r / BlockRows; b == len(c.blockMin) {
			c.blockMin, c.blockMax = append(c.blockMin, t), append(c.blockMax, t)
		} else {
			c.blockMin[b], c.blockMax[b] = min(c.blockMin[b], t), max(c.blockMax[b], t)
		}
	}
}

// gather appends src[rows] to dst. SYMBOL columns take their ids from ids.
func gather(dst, src *column.Vector, ids []uint32, rows []int32) {
	switch dst.Type {
	case model.TypeInt64, model.TypeTimestamp:
		for _, r := range rows {
			dst.Int64 = append(dst.Int64, src.Int64[r])
		}
	case model.TypeFloat64:
		for _, r := range rows {
			dst.Float64 = append(dst.Float64, src.Float64[r])
		}
	case model.TypeInt32:
		for _, r := range rows {
			dst.Int32 = append(dst.Int32, src.Int32[r])
		}
	case model.TypeFloat32:
		for _, r := range rows {
			dst.Float32 = append(dst.Float32, src.Float32[r])
		}
	case model.TypeSymbol:
		for _, r := range rows {
			dst.Symbol = append(dst.Symbol, ids[r])
		}
	case model.TypeString:
		for _, r := range rows {
			dst.String = append(dst.String, src.String[r])
		}
	case model.TypeBool:
		for _, r := range rows {
			dst.Bool = append(dst.Bool, src.Bool[r])
		}
	}
}
