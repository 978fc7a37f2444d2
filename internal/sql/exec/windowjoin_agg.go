package exec

import (
	"math"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
)

// wjColumn is one wj_ aggregate's argument over the rows of one key
// index, in index order, with what answers a window in O(1) or O(log m).
type wjColumn struct {
	vals  *vec    // dense, in index order
	count []int32 // count[i]: non-NULL values among the first i
	next  []int32 // next[i]: first non-NULL position at or after i, or len
	prev  []int32 // prev[i]: last non-NULL position at or before i, or -1
	f     segTree[float64]
	i     segTree[int64]
}

// columns returns the wj columns of one key index, built on first use.
func (w *windowJoin) columns(a *asofPlan, idx *asofIndex) ([]*wjColumn, error) {
	w.mu.Lock() // scans run in parallel; columns are built once, then only read
	defer w.mu.Unlock()
	if cols, ok := w.data[idx]; ok {
		return cols, nil
	}
	cols := make([]*wjColumn, len(w.specs))
	for s, spec := range w.specs {
		vals, err := w.gather(a, idx, s, spec)
		if err != nil {
			return nil, err
		}
		cols[s] = newWJColumn(spec, vals)
	}
	w.data[idx] = cols
	return cols, nil
}

// gather evaluates spec's argument over every right chunk the index
// touches (once per chunk) and lays the values out in index order.
func (w *windowJoin) gather(a *asofPlan, idx *asofIndex, s int, spec *wjSpec) (*vec, error) {
	n := len(idx.locs)
	if spec.star {
		return newVec(model.TypeInt64, n), nil
	}
	out := newVec(spec.arg.typ(), n)
	if out.typ == model.TypeSymbol {
		out = newVec(model.TypeString, n)
	}
	for i, l := range idx.locs {
		src, err := w.chunkValue(a, idx.chunks[l>>32], s)
		if err != nil {
			return nil, err
		}
		setValue(out, i, src, int(uint32(l)))
	}
	return out, nil
}

// chunkValue returns spec s's argument over the whole right chunk c.
func (w *windowJoin) chunkValue(a *asofPlan, c *rdb.Chunk, s int) (*vec, error) {
	if vs, ok := w.chunkVals[c]; ok && vs[s] != nil {
		return vs[s], nil
	}
	rt := a.scope.right
	b := &batch{chunk: c, dicts: rt.Dicts, n: c.Len(), symCol: -1}
	v, err := w.specs[s].arg.eval(b)
	if err != nil {
		return nil, err
	}
	if w.chunkVals[c] == nil {
		w.chunkVals[c] = make([]*vec, len(w.specs))
	}
	w.chunkVals[c][s] = v
	return v, nil
}

func newWJColumn(spec *wjSpec, vals *vec) *wjColumn {
	n := vals.n
	c := &wjColumn{vals: vals, count: make([]int32, n+1), next: make([]int32, n+1), prev: make([]int32, n)}
	last := int32(-1)
	for i := 0; i < n; i++ {
		c.count[i+1] = c.count[i]
		if spec.star || !vals.isNull(i) {
			c.count[i+1]++
			last = int32(i)
		}
		c.prev[i] = last
	}
	c.next[n] = int32(n)
	for i := n - 1; i >= 0; i-- {
		c.next[i] = c.next[i+1]
		if spec.star || !vals.isNull(i) {
			c.next[i] = int32(i)
		}
	}
	c.buildTree(spec)
	return c
}

// buildTree builds the segment tree sum, avg, min and max read; NULLs
// are the operation's identity.
func (c *wjColumn) buildTree(spec *wjSpec) {
	v := c.vals
	switch {
	case spec.fn != "sum" && spec.fn != "avg" && spec.fn != "min" && spec.fn != "max":
	case v.typ == model.TypeFloat64 || spec.fn == "avg":
		op, id := wjFloatOp(spec.fn)
		leaves := make([]float64, v.n)
		for i := range leaves {
			leaves[i] = id
			if !v.isNull(i) {
				leaves[i] = v.float(i)
			}
		}
		c.f = newSegTree(leaves, op, id)
	default:
		op, id := wjIntOp(spec.fn)
		leaves := make([]int64, v.n)
		for i := range leaves {
			leaves[i] = id
			if !v.isNull(i) {
				leaves[i] = v.i64[i]
			}
		}
		c.i = newSegTree(leaves, op, id)
	}
}

func wjFloatOp(fn string) (func(a, b float64) float64, float64) {
	switch fn {
	case "min":
		return math.Min, math.Inf(1)
	case "max":
		return math.Max, math.Inf(-1)
	}
	return func(a, b float64) float64 { return a + b }, 0
}

func wjIntOp(fn string) (func(a, b int64) int64, int64) {
	switch fn {
	case "min":
		return func(a, b int64) int64 { return min(a, b) }, math.MaxInt64
	case "max":
		return func(a, b int64) int64 { return max(a, b) }, math.MinInt64
	}
	return func(a, b int64) int64 { return a + b }, 0
}

// fill writes the aggregate of window [lo, hi) into row k of out; cols
// is nil for an empty window.
func (spec *wjSpec) fill(out *vec, k int, cols []*wjColumn, s, lo, hi int) {
	var c *wjColumn
	n := int32(0)
	if cols != nil {
		c = cols[s]
		n = c.count[hi] - c.count[lo]
	}
	switch {
	case spec.fn == "count":
		out.i64[k] = int64(n)
	case n == 0:
		out.setNull(k)
	case spec.fn == "first":
		setValue(out, k, c.vals, int(c.next[lo]))
	case spec.fn == "last":
		setValue(out, k, c.vals, int(c.prev[hi-1]))
	case spec.fn == "avg":
		out.f64[k] = c.f.query(lo, hi) / float64(n)
	case out.typ == model.TypeFloat64:
		out.f64[k] = c.f.query(lo, hi)
	default:
		out.i64[k] = c.i.query(lo, hi)
	}
}

// segTree answers an associative operation over any range in O(log n):
// leaves at t[n+i], node p combines 2p and 2p+1.
type segTree[T int64 | float64] struct {
	t  []T
	op func(a, b T) T
	id T
}

func newSegTree[T int64 | float64](leaves []T, op func(a, b T) T, id T) segTree[T] {
	n := len(leaves)
	s := segTree[T]{t: make([]T, 2*n), op: op, id: id}
	copy(s.t[n:], leaves)
	for p := n - 1; p > 0; p-- {
		s.t[p] = op(s.t[2*p], s.t[2*p+1])
	}
	return s
}

// query combines the leaves [l, r).
func (s *segTree[T]) query(l, r int) T {
	n := len(s.t) / 2
	left, right := s.id, s.id // kept apart so the order of the leaves is kept
	for l, r = l+n, r+n; l < r; l, r = l>>1, r>>1 {
		if l&1 == 1 {
			left = s.op(left, s.t[l])
			l++
		}
		if r&1 == 1 {
			r--
			right = s.op(s.t[r], right)
		}
	}
	return s.op(left, right)
}
