package exec

import (
	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// gatherRight lays out right column i of the rows f.locs points at in a
// dense vector reused from batch to batch (aggregates copy what they
// keep), NULL where a left row has no match.
func (f *asofFuser) gatherRight(i int, t model.ColumnType, dict *symtab.Dict, rs *rightSeries, n int) *vec {
	out := f.right[i]
	if out == nil || out.n < n {
		out = newVec(execType(t), max(n, fusedBatchRows))
		f.right[i] = out
	}
	v := *out // a copy: the buffer keeps its full length
	v.n, v.nulls, v.dict = n, nil, dict
	if rs == nil {
		for k := range n {
			v.setNull(k)
		}
		return &v
	}
	switch t {
	case model.TypeInt64, model.TypeTimestamp:
		v.i64 = v.i64[:n]
		gatherLocs(v.i64, f.locs, rs, func(c *column.Vector) []int64 { return c.Int64 }, i)
	case model.TypeFloat64:
		v.f64 = v.f64[:n]
		gatherLocs(v.f64, f.locs, rs, func(c *column.Vector) []float64 { return c.Float64 }, i)
	case model.TypeBool:
		v.b = v.b[:n]
		gatherLocs(v.b, f.locs, rs, func(c *column.Vector) []bool { return c.Bool }, i)
	case model.TypeString:
		v.s = v.s[:n]
		gatherLocs(v.s, f.locs, rs, func(c *column.Vector) []string { return c.String }, i)
	case model.TypeSymbol:
		v.sym = v.sym[:n]
		gatherLocs(v.sym, f.locs, rs, func(c *column.Vector) []uint32 { return c.Symbol }, i)
	case model.TypeInt32:
		v.i64 = v.i64[:n]
		for k, l := range f.locs {
			if l != noMatch {
				v.i64[k] = int64(rs.chunks[l>>32].Cols[i].Int32[uint32(l)])
			}
		}
	case model.TypeFloat32:
		v.f64 = v.f64[:n]
		for k, l := range f.locs {
			if l != noMatch {
				v.f64[k] = float64(rs.chunks[l>>32].Cols[i].Float32[uint32(l)])
			}
		}
	}
	f.rightNulls(&v, i, rs)
	return &v
}

// gatherLocs copies the values at locs into dst. Matches of rows in time
// order come in runs from one chunk, so the chunk's slice is looked up
// once per run.
func gatherLocs[T any](dst []T, locs []uint64, rs *rightSeries, data func(*column.Vector) []T, i int) {
	var zero T
	for k := 0; k < len(locs); {
		l := locs[k]
		if l == noMatch {
			dst[k] = zero
			k++
			continue
		}
		c := l >> 32
		src := data(rs.chunks[c].Cols[i])
		for ; k < len(locs) && locs[k]>>32 == c; k++ {
			dst[k] = src[uint32(locs[k])]
		}
	}
}

// rightNulls marks the rows without a match, and those whose right value
// is NULL.
func (f *asofFuser) rightNulls(v *vec, i int, rs *rightSeries) {
	nulls := f.unmatched
	for _, c := range rs.chunks {
		nulls = nulls || c.Cols[i].Nulls.Any()
	}
	if !nulls {
		return
	}
	for k, l := range f.locs {
		if l == noMatch || rs.chunks[l>>32].Cols[i].Nulls.Any() && rs.chunks[l>>32].Cols[i].IsNull(int(uint32(l))) {
			v.setNull(k)
		}
	}
}
