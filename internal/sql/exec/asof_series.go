package exec

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"github.com/zeptodb/zeptodb/internal/rdb"
)

// rightSeries is the right side of a symbol-keyed ASOF join for one
// symbol, as the fused aggregation (asof_fused.go) reads it: its rows in
// time order (equal times in storage order) as segments, stretches of
// rows of one chunk, read in place. Rows stored in time order make one
// segment per chunk; concurrent writers, each sending batches of a
// time-ordered feed, make a few hundred-row stretches that only need
// putting in order. Rows far out of order are read through idx, the
// sorted per-key index of the row-by-row path, instead. A match is a
// location chunk<<32 | row (chunks is idx.chunks then).
type rightSeries struct {
	chunks []*rdb.Chunk
	segs   []asofSeg
	idx    *asofIndex
}

// asofSeg is a time-ordered run of rows [lo, lo+len(ts)) of one chunk.
type asofSeg struct {
	ts    []int64
	chunk int32 // into rightSeries.chunks
	lo    int32
	order int32 // storage order of the run
}

// maxActiveRuns bounds how many runs mergeRuns keeps open at once. Runs
// of writers' interleaved batches overlap a few at a time; rows in no
// particular order make many short runs that all overlap, which a sort
// handles better.
const maxActiveRuns = 64

// noMatch marks a left row without a right row (ASOF LEFT JOIN).
const noMatch = ^uint64(0)

// newRightSeries orders the right rows of right symbol id; nil when they
// are too far out of order (the caller then uses the sorted index).
func newRightSeries(snap *rdb.Snapshot, id uint32, tsCol int) *rightSeries {
	rs := &rightSeries{}
	var runs []asofSeg
	for _, part := range snap.Partitions {
		if s := part.Series(id); s != nil {
			for _, c := range s.Chunks {
				if c.Len() > 0 {
					runs = rs.addRuns(runs, c, c.Cols[tsCol].Int64[:c.Len()])
				}
			}
		}
	}
	if runsOrdered(runs) {
		rs.segs = runs
		return rs
	}
	var ok bool
	if rs.segs, ok = mergeRuns(runs); !ok {
		return nil
	}
	return rs
}

// runsOrdered reports that each run ends before the next begins (at the
// same time only when stored before it).
func runsOrdered(runs []asofSeg) bool {
	for i := 1; i < len(runs); i++ {
		prev, cur := runs[i-1], runs[i]
		last := prev.ts[len(prev.ts)-1]
		if last > cur.ts[0] || last == cur.ts[0] && prev.order > cur.order {
			return false
		}
	}
	return true
}

// mergeRuns merges time-ordered runs block by block: the run with the
// earliest head gives the rows up to the next head (up to and including
// it when stored before that run, so equal times keep storage order).
// Runs are taken in order of their first row into a small active set:
// with interleaved writers only the runs of batches in flight together
// overlap. Work is per block, not per row. ok is false when more than
// maxActiveRuns overlap.
func mergeRuns(runs []asofSeg) (merged []asofSeg, ok bool) {
	slices.SortFunc(runs, func(a, b asofSeg) int {
		return cmp.Or(cmp.Compare(a.ts[0], b.ts[0]), cmp.Compare(a.order, b.order))
	})
	out := make([]asofSeg, 0, 2*len(runs))
	var active []asofSeg // sorted by head
	for p := 0; p < len(runs) || len(active) > 0; {
		for p < len(runs) && (len(active) == 0 || !headLess(active[0], runs[p])) {
			active = insertRun(active, runs[p])
			p++
		}
		if len(active) > maxActiveRuns {
			return nil, false
		}
		x := active[0]
		active = append(active[:0], active[1:]...)
		var next *asofSeg // the earliest other head
		if len(active) > 0 {
			next = &active[0]
		}
		if p < len(runs) && (next == nil || headLess(runs[p], *next)) {
			next = &runs[p]
		}
		cut := len(x.ts)
		if next != nil {
			cut = cutBefore(x, *next)
		}
		out = append(out, asofSeg{ts: x.ts[:cut], chunk: x.chunk, lo: x.lo, order: x.order})
		if cut < len(x.ts) {
			x.ts, x.lo = x.ts[cut:], x.lo+int32(cut)
			active = insertRun(active, x)
		}
	}
	return out, true
}

// headLess orders runs by their first row: time, then storage order.
func headLess(a, b asofSeg) bool {
	return a.ts[0] < b.ts[0] || a.ts[0] == b.ts[0] && a.order < b.order
}

// insertRun adds r to active, keeping it sorted by head.
func insertRun(active []asofSeg, r asofSeg) []asofSeg {
	i := len(active)
	active = append(active, r)
	for ; i > 0 && headLess(r, active[i-1]); i-- {
		active[i] = active[i-1]
	}
	active[i] = r
	return active
}

// cutBefore returns how many rows of x come before y's first row (x's
// head comes first, so at least one).
func cutBefore(x, y asofSeg) int {
	after := func(v int64) bool { return v > y.ts[0] || v == y.ts[0] && x.order > y.order }
	if !after(x.ts[len(x.ts)-1]) {
		return len(x.ts)
	}
	return sort.Search(len(x.ts), func(i int) bool { return after(x.ts[i]) })
}

// addRuns appends chunk c, whose timestamps are ts, to the chunks and
// its time-ordered runs to runs.
func (rs *rightSeries) addRuns(runs []asofSeg, c *rdb.Chunk, ts []int64) []asofSeg {
	ci := int32(len(rs.chunks))
	rs.chunks = append(rs.chunks, c)
	add := func(lo, hi int) {
		runs = append(runs, asofSeg{ts: ts[lo:hi], chunk: ci, lo: int32(lo), order: int32(len(runs))})
	}
	if c.Sorted {
		add(0, len(ts))
		return runs
	}
	lo := 0
	for i := 1; i < len(ts); i++ {
		if ts[i] < ts[i-1] {
			add(lo, i)
			lo = i
		}
	}
	add(lo, len(ts))
	return runs
}

// asofCursor walks an ordered rightSeries: (c, r) is the first right row
// after the last left timestamp sought (ts > t, or ts >= t for a strict
// inequality), so the match is the row just before it.
type asofCursor struct {
	c, r   int
	last   int64
	strict bool // left.ts > right.ts
	seeded bool
	// seg and base are run c's timestamps and its first row's location.
	seg  []int64
	base uint64
}

// locate is seek for the common case first: t at or after the last one
// sought, and the match within the next eight rows of the current run.
func (cur *asofCursor) locate(rs *rightSeries, t int64) uint64 {
	if r := cur.r; t >= cur.last && !cur.strict && r > 0 && r+8 <= len(cur.seg) {
		w := cur.seg[r : r+8 : r+8]
		n := int(b2i(w[0] <= t) + b2i(w[1] <= t) + b2i(w[2] <= t) + b2i(w[3] <= t) +
			b2i(w[4] <= t) + b2i(w[5] <= t) + b2i(w[6] <= t) + b2i(w[7] <= t))
		if n < 8 {
			cur.r, cur.last = r+n, t
			return cur.base + uint64(r+n-1)
		}
	}
	return cur.seek(rs, t)
}

// seek moves the cursor to left timestamp t and returns the location of
// the latest right row at or before t (before t when strict), or noMatch.
// Left rows in time order move it forward only, a few rows at a time; a
// step back (the left chunk is not sorted) binary-searches the runs.
func (cur *asofCursor) seek(rs *rightSeries, t int64) uint64 {
	if cur.strict {
		if t == math.MinInt64 {
			return noMatch
		}
		t-- // timestamps are integers: ts < t is ts <= t-1
	}
	if !cur.seeded || t < cur.last {
		cur.c = sort.Search(len(rs.segs), func(i int) bool { s := rs.segs[i].ts; return s[len(s)-1] > t })
		cur.r, cur.seeded = 0, true
	}
	cur.last = t
	for cur.c < len(rs.segs) {
		ts := rs.segs[cur.c].ts
		cur.r = firstAfter(ts, cur.r, t)
		if cur.r < len(ts) {
			break
		}
		cur.c, cur.r = cur.c+1, 0 // the rest of the run is at or before t
	}
	var s asofSeg
	switch {
	case cur.r > 0:
		s = rs.segs[cur.c]
		cur.seg, cur.base = s.ts, uint64(s.chunk)<<32|uint64(s.lo)
		return cur.base + uint64(cur.r-1)
	case cur.c > 0:
		s = rs.segs[cur.c-1]
		return uint64(s.chunk)<<32 | uint64(int(s.lo)+len(s.ts)-1)
	}
	return noMatch
}

// firstAfter returns the first row from r on with ts > t, or len(ts).
// Between trades there are usually a handful of quotes: eight rows are
// counted without branches (ts is sorted, so the count is the step),
// and jumps past 64 rows binary-search.
func firstAfter(ts []int64, r int, t int64) int {
	for r+8 <= len(ts) {
		w := ts[r : r+8 : r+8]
		n := b2i(w[0] <= t) + b2i(w[1] <= t) + b2i(w[2] <= t) + b2i(w[3] <= t) +
			b2i(w[4] <= t) + b2i(w[5] <= t) + b2i(w[6] <= t) + b2i(w[7] <= t)
		if n < 8 {
			return r + int(n)
		}
		r += 8
		if r+64 < len(ts) && ts[r+64] <= t {
			r += 65
			return r + sort.Search(len(ts)-r, func(i int) bool { return ts[r+i] > t })
		}
	}
	for ; r < len(ts); r++ {
		if ts[r] > t {
			return r
		}
	}
	return r
}
