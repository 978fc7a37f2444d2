package exec

import (
	"container/heap"
	"context"
	"sort"
	"strings"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
)

// finish evaluates the select list over an intermediate batch (the
// aggregate result, or the single row of a query without FROM), after
// HAVING.
func (p *selectPlan) finish(b *batch) (*Result, error) {
	if p.having != nil {
		sel, err := p.having.filter(b)
		if err != nil {
			return nil, err
		}
		b.narrow(sel)
	}
	c := newCollector(p)
	if b.n > 0 {
		if err := c.add(b); err != nil {
			return nil, mapRuntimeError(err)
		}
	}
	return p.finishCollected(c)
}

// finishCollected orders, offsets and limits collected rows.
func (p *selectPlan) finishCollected(c *collector) (*Result, error) {
	perm := make([]int, c.n)
	for i := range perm {
		perm[i] = i
	}
	if len(p.order) > 0 {
		keys := c.cols[len(p.proj):]
		sort.SliceStable(perm, func(a, b int) bool { return p.less(keys, perm[a], perm[b]) })
	}
	if p.limitBy != nil {
		perm = p.limitBy.apply(c, perm)
	}
	lo := min(int(p.offset), len(perm))
	perm = perm[lo:]
	if p.limit >= 0 && int64(len(perm)) > p.limit {
		perm = perm[:p.limit]
	}
	res := &Result{Rows: len(perm)}
	for i, name := range p.names {
		res.Columns = append(res.Columns, ResultColumn{Name: name, Type: p.proj[i].typ(), Data: toColumn(c.cols[i], perm, p.proj[i].typ())})
	}
	return res, nil
}

// less orders rows a and b by the ORDER BY keys. NULLs sort last unless
// NULLS FIRST is given, as in DuckDB.
func (p *selectPlan) less(keys []*vec, a, b int) bool {
	for k, o := range p.order {
		v := keys[k]
		an, bn := v.isNull(a), v.isNull(b)
		if an || bn {
			if an == bn {
				continue
			}
			return an == o.nullsFirst
		}
		c := cmpRows(v, a, b)
		if c == 0 {
			continue
		}
		return (c < 0) != o.desc
	}
	return false
}

func cmpRows(v *vec, a, b int) int {
	switch v.typ {
	case model.TypeInt64, model.TypeTimestamp:
		return compare3(v.i64[a], v.i64[b])
	case model.TypeFloat64:
		return compare3(v.f64[a], v.f64[b])
	case model.TypeBool:
		return compare3(b2i(v.b[a]), b2i(v.b[b]))
	case model.TypeSymbol:
		return compare3(v.sym[a], v.sym[b]) // ids: an order, not the text order
	}
	return strings.Compare(v.s[a], v.s[b])
}

// toColumn materializes rows perm of a dense vector.
func toColumn(v *vec, perm []int, t model.ColumnType) *column.Vector {
	out := &column.Vector{Type: t}
	for k, i := range perm {
		if v.isNull(i) {
			out.SetNull(k)
		}
	}
	switch v.typ {
	case model.TypeInt64, model.TypeTimestamp:
		out.Int64 = make([]int64, len(perm))
		for k, i := range perm {
			out.Int64[k] = v.i64[i]
		}
	case model.TypeFloat64:
		out.Float64 = make([]float64, len(perm))
		for k, i := range perm {
			out.Float64[k] = v.f64[i]
		}
	case model.TypeBool:
		out.Bool = make([]bool, len(perm))
		for k, i := range perm {
			out.Bool[k] = v.b[i]
		}
	default:
		out.String = make([]string, len(perm))
		for k, i := range perm {
			out.String[k] = v.s[i]
		}
	}
	return out
}

// topKeyed reports whether the query is "ORDER BY <designated timestamp>
// LIMIT k" with a small k, which runTopK answers without collecting every
// row.
func (p *selectPlan) topKeyed() (orderKey, bool) {
	if p.limit < 0 || len(p.order) != 1 || p.limit > 100000 || p.offset > 100000 || p.asof != nil || p.limitBy != nil {
		return orderKey{}, false
	}
	c, ok := p.order[0].e.(*colRef)
	if !ok || c.idx != p.table.Schema.TimestampCol {
		return orderKey{}, false
	}
	return p.order[0], true
}

// topEntry is a candidate row: its timestamp and its place in scan order.
type topEntry struct {
	ts   int64
	unit int
	row  int32
}

// topHeap keeps the k best rows with the worst on top.
type topHeap struct {
	desc    bool
	entries []topEntry
}

// worse reports whether a ranks after b: by timestamp, then scan order.
func (h *topHeap) worse(a, b topEntry) bool {
	if a.ts != b.ts {
		return (a.ts < b.ts) == h.desc
	}
	if a.unit != b.unit {
		return a.unit > b.unit
	}
	return a.row > b.row
}

func (h *topHeap) Len() int           { return len(h.entries) }
func (h *topHeap) Less(i, j int) bool { return h.worse(h.entries[i], h.entries[j]) }
func (h *topHeap) Swap(i, j int)      { h.entries[i], h.entries[j] = h.entries[j], h.entries[i] }
func (h *topHeap) Push(x any)         { h.entries = append(h.entries, x.(topEntry)) }
func (h *topHeap) Pop() any {
	e := h.entries[len(h.entries)-1]
	h.entries = h.entries[:len(h.entries)-1]
	return e
}

// runTopK visits chunks best-first by their zone maps and stops as soon
// as no remaining chunk can beat the k-th row found.
func (x *Executor) runTopK(ctx context.Context, p *selectPlan, units []unit, key orderKey) (*Result, error) {
	k := int(p.offset + p.limit)
	order := make([]int, len(units))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ca, cb := units[order[a]].chunk, units[order[b]].chunk
		if key.desc {
			return ca.MaxTS > cb.MaxTS
		}
		return ca.MinTS < cb.MinTS
	})
	h := &topHeap{desc: key.desc}
	var st scanState
	tsCol := p.table.Schema.TimestampCol
	for _, ui := range order {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		u := units[ui]
		if k == 0 || (h.Len() == k && !h.couldImprove(u, h.entries[0])) {
			break
		}
		b, err := p.filtered(u, &st)
		if err != nil {
			return nil, mapRuntimeError(err)
		}
		if b == nil {
			continue
		}
		h.offerChunk(b, u, ui, tsCol, k)
	}
	best := h.entries
	sort.Slice(best, func(a, b int) bool { return h.worse(best[b], best[a]) })
	best = best[min(int(p.offset), len(best)):]
	cols, err := p.gatherRows(units, best, p.proj)
	if err != nil {
		return nil, mapRuntimeError(err)
	}
	rest := *p
	rest.order, rest.offset, rest.limit = nil, 0, -1
	return rest.finishCollected(&collector{p: &rest, cols: cols, n: len(best)})
}

// gatherRows evaluates exprs for the chosen rows, one batch per chunk
// they come from, and returns the columns in the order of rows.
func (p *selectPlan) gatherRows(units []unit, rows []topEntry, exprs []expr) ([]*vec, error) {
	byUnit := map[int][]int{} // unit → positions in rows, in unit row order
	var order []int
	for i, e := range rows {
		if _, ok := byUnit[e.unit]; !ok {
			order = append(order, e.unit)
		}
		byUnit[e.unit] = append(byUnit[e.unit], i)
	}
	type rowRef struct {
		vals []*vec // the projected values of the row's chunk
		k    int    // the row's logical index in them
	}
	refs := make([]rowRef, len(rows))
	for _, ui := range order {
		pos := byUnit[ui]
		sort.Slice(pos, func(a, b int) bool { return rows[pos[a]].row < rows[pos[b]].row })
		b := p.newBatch(units[ui])
		b.sel = make([]int32, len(pos))
		for k, i := range pos {
			b.sel[k] = rows[i].row
		}
		b.n = len(pos)
		vals := make([]*vec, len(exprs))
		for j, e := range exprs {
			v, err := e.eval(b)
			if err != nil {
				return nil, err
			}
			vals[j] = v
		}
		for k, i := range pos {
			refs[i] = rowRef{vals, k}
		}
	}
	cols := make([]*vec, len(exprs))
	for j, e := range exprs {
		cols[j] = newVec(outType(e.typ()), 0)
		for _, r := range refs {
			appendValue(cols[j], r.vals[j], r.k)
		}
	}
	return cols, nil
}

// offerChunk offers the selected rows of one chunk to the heap, block by
// block, best blocks' rows first, skipping blocks whose zone map shows
// they cannot beat the k-th row held.
func (h *topHeap) offerChunk(b *batch, u unit, ui, tsCol, k int) {
	c := u.chunk
	ts := c.Cols[tsCol].Int64
	nb := c.Blocks()
	for step := 0; step < nb; step++ {
		blk := step
		if h.desc {
			blk = nb - 1 - step // rows arrive mostly in time order: best first
		}
		lo, hi := blockRange(b, blk)
		if lo == hi {
			continue
		}
		if bmin, bmax := c.BlockBounds(blk); h.Len() == k {
			worst := h.entries[0].ts
			if (h.desc && bmax < worst) || (!h.desc && bmin > worst) {
				continue
			}
		}
		for i := lo; i < hi; i++ {
			j := i
			if h.desc {
				j = lo + hi - 1 - i
			}
			p := physRow(b, j)
			e := topEntry{ts: ts[p], unit: ui, row: int32(p)}
			switch {
			case h.Len() < k:
				heap.Push(h, e)
			case h.worse(h.entries[0], e):
				h.entries[0] = e
				heap.Fix(h, 0)
			case c.Sorted && e.ts != h.entries[0].ts:
				// In a sorted chunk visited best-first, every later row
				// is at least this far behind: none can enter any more.
				return
			}
		}
	}
}

// blockRange returns the logical rows [lo, hi) of batch b that lie in
// zone-map block blk.
func blockRange(b *batch, blk int) (int, int) {
	first, last := blk*rdb.BlockRows, (blk+1)*rdb.BlockRows
	if b.sel == nil {
		return min(first, b.n), min(last, b.n)
	}
	lo := sort.Search(len(b.sel), func(i int) bool { return int(b.sel[i]) >= first })
	hi := sort.Search(len(b.sel), func(i int) bool { return int(b.sel[i]) >= last })
	return lo, hi
}

// couldImprove reports whether chunk u may hold a row better than worst.
func (h *topHeap) couldImprove(u unit, worst topEntry) bool {
	if h.desc {
		return u.chunk.MaxTS >= worst.ts
	}
	return u.chunk.MinTS <= worst.ts
}
