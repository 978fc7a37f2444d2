package exec

import "github.com/zeptodb/zeptodb/internal/model"

// orderFast orders the rows of a window call's input without comparing
// rows one by one, in the common case: at most one partition key, a
// SYMBOL or integer without NULLs, and one ascending integer order key
// (a timestamp) without NULLs. Gathered rows come series by series, so a
// partition is a few stretches of rows, and each stretch is a few runs
// in time order (one per chunk, or one per batch when writers
// interleave): the runs are merged block by block (mergeRuns), which
// keeps rows of equal keys in their gathered order, as the stable sort
// of the general path does. It returns the row order and the start of
// each partition in it, then n; ok is false outside that case.
func (w *windowCall) orderFast(part, ord *vec, n int) (perm, bounds []int, ok bool) {
	if len(w.order) != 1 || w.order[0].desc || len(w.partition) > 1 || ord.hasNulls() ||
		(ord.typ != model.TypeInt64 && ord.typ != model.TypeTimestamp) {
		return nil, nil, false
	}
	if part != nil && (part.hasNulls() || part.typ != model.TypeSymbol && part.typ != model.TypeInt64) {
		return nil, nil, false
	}
	groups := map[int64]int{}
	var runs [][]asofSeg // per partition, in order of first appearance
	ts := ord.i64[:n]
	for lo := 0; lo < n; {
		hi, key := keyRun(part, lo, n)
		g, seen := groups[key]
		if !seen {
			g = len(runs)
			groups[key] = g
			runs = append(runs, nil)
		}
		runs[g] = appendRuns(runs[g], ts, lo, hi)
		lo = hi
	}
	perm, bounds = make([]int, 0, n), make([]int, 0, len(runs)+1)
	for _, rs := range runs {
		bounds = append(bounds, len(perm))
		if !runsOrdered(rs) {
			if rs, ok = mergeRuns(rs); !ok {
				return nil, nil, false // far out of order: the general sort
			}
		}
		for _, s := range rs {
			for i := range s.ts {
				perm = append(perm, int(s.lo)+i)
			}
		}
	}
	return perm, append(bounds, n), true
}

// keyRun returns the end of the stretch of rows from lo with the same
// partition key, and the key (0 without a partition).
func keyRun(part *vec, lo, n int) (int, int64) {
	hi := lo + 1
	switch {
	case part == nil:
		return n, 0
	case part.constant:
		return n, 0 // one partition
	case part.typ == model.TypeSymbol:
		k := part.sym[lo]
		for hi < n && part.sym[hi] == k {
			hi++
		}
		return hi, int64(k)
	}
	k := part.i64[lo]
	for hi < n && part.i64[hi] == k {
		hi++
	}
	return hi, k
}

// appendRuns cuts rows [lo, hi) into runs of non-decreasing ts.
func appendRuns(runs []asofSeg, ts []int64, lo, hi int) []asofSeg {
	for a := lo; a < hi; {
		b := a + 1
		for b < hi && ts[b] >= ts[b-1] {
			b++
		}
		runs = append(runs, asofSeg{ts: ts[a:b], lo: int32(a), order: int32(len(runs))})
		a = b
	}
	return runs
}
