package exec

import (
	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// The fused ASOF aggregation: an ASOF join on the designated symbols of
// both tables whose rows only feed aggregates (no WHERE on the joined
// rows) is run as a merge per left chunk: a cursor walks the same
// symbol's right chunks in time order (asof_series.go), and the joined
// columns the aggregates read are laid out in reusable dense vectors,
// left ones as views of the chunk where no row drops out. Workers take
// contiguous runs of left chunks, so symbols are spread over them and
// each worker's cursors only move forward. Anything else takes the
// row-by-row path of asof_run.go, which gives the same rows.

// fusedBatchRows bounds one fused batch: small enough that its
// intermediate vectors stay in cache.
const fusedBatchRows = 4096

// asofFusable reports a plan the fused path runs.
func (p *selectPlan) asofFusable() bool {
	a := p.asof
	return a != nil && p.agg != nil && p.where == nil && p.sample == nil && !a.hash && a.window == nil &&
		!a.nearest && (a.op == opGe || a.op == opGt) && a.leftSymKey() && a.rightSymKey()
}

// asofFuser is one worker's state: the right series met so far, by left
// symbol id, and buffers reused from batch to batch.
type asofFuser struct {
	a      *asofPlan
	series map[uint32]*rightSeries
	cursor asofCursor
	hint   int      // the sorted index's search hint (asofPlan.match)
	rows   []int32  // left rows of the current piece
	locs   []uint64 // their right rows
	// unmatched: some of locs is noMatch (ASOF LEFT JOIN).
	unmatched bool
	cols      []*vec
	right     []*vec // reusable right-column buffers, by right column
	// scratch holds the batch's intermediate vectors.
	scratch scratch
}

func newAsofFuser(a *asofPlan) *asofFuser {
	return &asofFuser{a: a, series: map[uint32]*rightSeries{}, cols: make([]*vec, a.scope.width()),
		right: make([]*vec, len(a.scope.right.Schema.Columns)), scratch: scratch{size: fusedBatchRows}}
}

// rightOf returns the right series of a left symbol id, or nil when the
// right table does not have the symbol.
func (f *asofFuser) rightOf(sym uint32) *rightSeries {
	if rs, ok := f.series[sym]; ok {
		return rs
	}
	a, lt, rt := f.a, f.a.scope.left, f.a.scope.right
	var rs *rightSeries
	if sym != rdb.NullSymbol {
		name := lt.Dicts[lt.Schema.SymbolCol].String(sym)
		if id, ok := rt.Dicts[rt.Schema.SymbolCol].Lookup(name); ok {
			if rs = newRightSeries(a.rightSnap, id, rt.Schema.TimestampCol); rs == nil {
				if idx := a.index(a.rightSnap, name); idx != nil {
					rs = &rightSeries{chunks: idx.chunks, idx: idx}
				}
			}
		}
	}
	f.series[sym] = rs
	return rs
}

// consume joins one left unit piece by piece and feeds the aggregator.
func (f *asofFuser) consume(agg *aggregator, u unit, st *scanState) error {
	rs := f.rightOf(u.sym)
	if rs == nil && !f.a.keepAll {
		return nil
	}
	var rows []int32 // nil: every row of [lo, hi)
	lo, hi := u.bounds()
	if f.a.leftWhere != nil {
		var err error
		if rows, err = f.a.leftRows(u, st); err != nil || len(rows) == 0 {
			return err
		}
		lo, hi = 0, len(rows)
	}
	f.cursor, f.hint = asofCursor{strict: f.a.op == opGt}, 0
	for start := lo; start < hi; start += fusedBatchRows {
		end := min(start+fusedBatchRows, hi)
		contiguous := f.match(u, rs, rows, start, end)
		if len(f.rows) == 0 {
			continue
		}
		if err := agg.consume(f.batch(u, rs, contiguous)); err != nil {
			return err
		}
	}
	return nil
}

// match fills f.rows and f.locs with the left rows of positions [start,
// end) (of rows, or of the chunk when rows is nil) that take part, and
// their right rows. contiguous reports that f.rows is exactly the chunk
// rows [start, end).
func (f *asofFuser) match(u unit, rs *rightSeries, rows []int32, start, end int) (contiguous bool) {
	a := f.a
	ts := u.chunk.Cols[a.leftTS].Int64
	f.rows, f.locs, f.unmatched = f.rows[:0], f.locs[:0], false
	contiguous = rows == nil
	for i := start; i < end; i++ {
		r := int32(i)
		if rows != nil {
			r = rows[i]
		}
		t := ts[r]
		loc := noMatch
		switch {
		case rs == nil:
		case rs.idx != nil:
			if m := a.match(rs.idx, t, &f.hint); m >= 0 {
				loc = rs.idx.locs[m] // match applied the tolerance
			}
		default:
			loc = f.cursor.locate(rs, t)
			if loc != noMatch && a.tolerance >= 0 && t-rs.chunks[loc>>32].Cols[a.scope.right.Schema.TimestampCol].Int64[uint32(loc)] > a.tolerance {
				loc = noMatch
			}
		}
		if loc == noMatch {
			if !a.keepAll {
				contiguous = false
				continue
			}
			f.unmatched = true
		}
		f.rows, f.locs = append(f.rows, r), append(f.locs, loc)
	}
	return contiguous
}

// batch lays out the joined columns the query reads for f.rows.
func (f *asofFuser) batch(u unit, rs *rightSeries, contiguous bool) *batch {
	js := f.a.scope
	n := len(f.rows)
	nl := len(js.left.Schema.Columns)
	for i, col := range u.chunk.Cols {
		if !js.used[i] {
			continue
		}
		if i == js.left.Schema.SymbolCol {
			v := constVec(model.TypeSymbol, n, u.sym == rdb.NullSymbol)
			v.sym[0], v.dict = u.sym, js.left.Dicts[i]
			f.cols[i] = v
			continue
		}
		f.cols[i] = leftVec(col, js.left.Dicts[i], f.rows, contiguous)
	}
	for i, col := range js.right.Schema.Columns {
		if js.used[nl+i] {
			f.cols[nl+i] = f.gatherRight(i, col.Type, js.right.Dicts[i], rs, n)
		}
	}
	f.scratch.reset()
	return &batch{cols: f.cols, n: n, symCol: -1, scratch: &f.scratch}
}

// leftVec returns a dense vector of the given rows of a left column: a
// view of the chunk's values when they are one stretch without NULLs.
func leftVec(col *column.Vector, dict *symtab.Dict, rows []int32, contiguous bool) *vec {
	n := len(rows)
	if contiguous && !col.Nulls.Any() {
		switch col.Type {
		case model.TypeInt64, model.TypeTimestamp, model.TypeFloat64, model.TypeBool, model.TypeString, model.TypeSymbol:
			v := fromColumn(col, dict, nil, n)
			v.nulls = nil
			return sliceVec(v, int(rows[0]), int(rows[0])+n)
		}
	}
	out := newVec(execType(col.Type), n)
	out.dict = dict
	switch col.Type {
	case model.TypeInt64, model.TypeTimestamp:
		gatherRows(out.i64, col.Int64, rows)
	case model.TypeFloat64:
		gatherRows(out.f64, col.Float64, rows)
	case model.TypeBool:
		gatherRows(out.b, col.Bool, rows)
	case model.TypeString:
		gatherRows(out.s, col.String, rows)
	case model.TypeSymbol:
		gatherRows(out.sym, col.Symbol, rows)
	case model.TypeInt32:
		for k, r := range rows {
			out.i64[k] = int64(col.Int32[r])
		}
	case model.TypeFloat32:
		for k, r := range rows {
			out.f64[k] = float64(col.Float32[r])
		}
	}
	if col.Nulls.Any() {
		for k, r := range rows {
			if col.Nulls.Get(int(r)) {
				out.setNull(k)
			}
		}
	}
	return out
}

func gatherRows[T any](dst, src []T, rows []int32) {
	for k, r := range rows {
		dst[k] = src[r]
	}
}
