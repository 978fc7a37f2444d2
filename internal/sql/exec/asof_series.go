package exec

import (
	"math"
	"sort"

	"github.com/zeptodb/zeptodb/internal/rdb"
)

// rightSeries is the right side of a symbol-keyed ASOF join for one
// symbol, as the fused aggregation (asof_fused.go) reads it. When the
// symbol's chunks are time-ordered end to end (each sorted, none
// overlapping the next: the usual case for feeds in time order) they are
// read in place through a moving cursor, and no per-row index is built.
// Otherwise idx, the sorted per-key index of the row-by-row path, is
// used. Either way a match is a location chunk<<32 | row, chunk counting
// in chunks (idx.chunks for the fallback).
type rightSeries struct {
	chunks []*rdb.Chunk
	ts     [][]int64  // designated timestamps of chunks, when ordered
	idx    *asofIndex // nil when ordered
}

// noMatch marks a left row without a right row (ASOF LEFT JOIN).
const noMatch = ^uint64(0)

// orderedRight collects the right chunks of right symbol id in storage
// order; ok is false unless their timestamps never decrease.
func orderedRight(snap *rdb.Snapshot, id uint32, tsCol int) (rs *rightSeries, ok bool) {
	rs = &rightSeries{}
	last := int64(0)
	for _, part := range snap.Partitions {
		s := part.Series(id)
		if s == nil {
			continue
		}
		for _, c := range s.Chunks {
			if c.Len() == 0 {
				continue
			}
			if !c.Sorted || (len(rs.chunks) > 0 && c.MinTS < last) {
				return nil, false
			}
			rs.chunks = append(rs.chunks, c)
			rs.ts = append(rs.ts, c.Cols[tsCol].Int64[:c.Len()])
			last = c.MaxTS
		}
	}
	return rs, true
}

// asofCursor walks an ordered rightSeries: (c, r) is the first right row
// after the last left timestamp sought (ts > t, or ts >= t for a strict
// inequality), so the match is the row just before it.
type asofCursor struct {
	c, r   int
	last   int64
	strict bool // left.ts > right.ts
	seeded bool
}

// seek moves the cursor to left timestamp t and returns the location of
// the latest right row at or before t (before t when strict), or noMatch.
// Left rows in time order move it forward only, a few rows at a time;
// a step back restarts it from the beginning.
func (cur *asofCursor) seek(rs *rightSeries, t int64) uint64 {
	if cur.strict {
		if t == math.MinInt64 {
			return noMatch
		}
		t-- // timestamps are integers: ts < t is ts <= t-1
	}
	if !cur.seeded || t < cur.last {
		cur.c, cur.r, cur.seeded = 0, 0, true
	}
	cur.last = t
	for cur.c < len(rs.ts) {
		ts := rs.ts[cur.c]
		cur.r = firstAfter(ts, cur.r, t)
		if cur.r < len(ts) {
			break
		}
		cur.c, cur.r = cur.c+1, 0 // the rest of the chunk is at or before t
	}
	switch {
	case cur.r > 0:
		return uint64(cur.c)<<32 | uint64(cur.r-1)
	case cur.c > 0:
		return uint64(cur.c-1)<<32 | uint64(len(rs.ts[cur.c-1])-1)
	}
	return noMatch
}

// firstAfter returns the first row from r on with ts > t, or len(ts). A
// few linear steps cover the usual handful of quotes between trades;
// farther jumps binary-search.
func firstAfter(ts []int64, r int, t int64) int {
	for end := min(r+8, len(ts)); r < end; r++ {
		if ts[r] > t {
			return r
		}
	}
	return r + sort.Search(len(ts)-r, func(i int) bool { return ts[r+i] > t })
}
