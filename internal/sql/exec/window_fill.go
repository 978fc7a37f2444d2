package exec

import "github.com/zeptodb/zeptodb/internal/model"

// fillPartition writes the call's value for every row of one partition;
// rows are the partition's row numbers in window order, order its ORDER
// BY keys (for peers).
func (w *windowCall) fillPartition(out *vec, args, order []*vec, rows []int) {
	switch w.name {
	case "row_number", "rank", "dense_rank":
		w.fillRanks(out, order, rows)
	case "lag", "lead":
		w.fillShift(out, args, rows)
	case "delta", "ratio":
		w.fillChange(out, args[0], rows)
	case "ema":
		w.fillEMA(out, args[0], rows)
	default:
		w.fillFrames(out, args, order, rows)
	}
}

// peerEnd returns, for each position, the last position with the same
// ORDER BY keys.
func peerEnd(order []*vec, rows []int) []int {
	end := make([]int, len(rows))
	for k := len(rows) - 1; k >= 0; k-- {
		end[k] = k
		if k+1 < len(rows) && sameKeys(order, rows[k], rows[k+1]) {
			end[k] = end[k+1]
		}
	}
	return end
}

func (w *windowCall) fillRanks(out *vec, order []*vec, rows []int) {
	rank, dense := 0, 0
	for k, r := range rows {
		if k == 0 || !sameKeys(order, rows[k-1], r) {
			rank, dense = k+1, dense+1
		}
		switch w.name {
		case "row_number":
			out.i64[r] = int64(k + 1)
		case "rank":
			out.i64[r] = int64(rank)
		default:
			out.i64[r] = int64(dense)
		}
	}
}

func (w *windowCall) fillShift(out *vec, args []*vec, rows []int) {
	for k, r := range rows {
		j := k - w.offset
		if w.name == "lead" {
			j = k + w.offset
		}
		switch {
		case j >= 0 && j < len(rows):
			setValue(out, r, args[0], rows[j])
		case len(args) == 3:
			setValue(out, r, args[2], r)
		default:
			out.setNull(r)
		}
	}
}

// fillChange is delta(x) = x - previous x and ratio(x) = x / previous x,
// NULL on a partition's first row (and, for ratio, after a zero).
func (w *windowCall) fillChange(out, x *vec, rows []int) {
	for k, r := range rows {
		if k == 0 || x.isNull(r) || x.isNull(rows[k-1]) {
			out.setNull(r)
			continue
		}
		prev := rows[k-1]
		switch {
		case w.name == "ratio" && x.float(prev) == 0:
			out.setNull(r)
		case w.name == "ratio":
			out.f64[r] = x.float(r) / x.float(prev)
		case out.typ == model.TypeInt64:
			out.i64[r] = x.i64[r] - x.i64[prev]
		default:
			out.f64[r] = x.float(r) - x.float(prev)
		}
	}
}

// fillEMA is the exponential moving average: the first value, then
// alpha*x + (1-alpha)*previous; a NULL x carries the average on.
func (w *windowCall) fillEMA(out, x *vec, rows []int) {
	ema, has := 0.0, false
	for _, r := range rows {
		if !x.isNull(r) {
			if has {
				ema = w.alpha*x.float(r) + (1-w.alpha)*ema
			} else {
				ema, has = x.float(r), true
			}
		}
		if !has {
			out.setNull(r)
			continue
		}
		out.f64[r] = ema
	}
}

// fillFrames computes the frame aggregates and first/last_value.
func (w *windowCall) fillFrames(out *vec, args, order []*vec, rows []int) {
	n := len(rows)
	var x *vec
	if len(args) > 0 {
		x = args[0]
	}
	var peers, rangeLo, rangeHi []int
	if w.frame.peers {
		peers = peerEnd(order, rows)
	}
	if w.frame.rangeMode {
		rangeLo, rangeHi = w.frame.rangeLimits(order[0], w.order[0].desc, rows)
	}
	// Prefix sums and counts of non-NULL values, for sum/avg/count.
	sum := make([]float64, n+1)
	isum := make([]int64, n+1)
	cnt := make([]int64, n+1)
	numeric := x != nil && x.typ.IsNumeric()
	for k, r := range rows {
		sum[k+1], isum[k+1], cnt[k+1] = sum[k], isum[k], cnt[k]
		switch {
		case x == nil:
			cnt[k+1]++ // count(*)
		case x.isNull(r):
		case numeric:
			sum[k+1] += x.float(r)
			if x.typ != model.TypeFloat64 {
				isum[k+1] += x.i64[x.phys(r)]
			}
			cnt[k+1]++
		default:
			cnt[k+1]++ // count(x) of text or booleans
		}
	}
	running := -1 // min/max over frames that start at the partition start
	for k, r := range rows {
		lo, hi := max(k+w.frame.start, 0), min(k+w.frame.end, n-1)
		if w.frame.peers {
			hi = peers[k]
		}
		if w.frame.start <= -unbounded {
			lo = 0
		}
		if w.frame.end >= unbounded {
			hi = n - 1
		}
		if rangeLo != nil {
			lo, hi = rangeLo[k], rangeHi[k]
		}
		if lo > hi {
			w.emptyFrame(out, r)
			continue
		}
		switch w.name {
		case "count":
			out.i64[r] = cnt[hi+1] - cnt[lo]
		case "sum":
			if cnt[hi+1] == cnt[lo] {
				out.setNull(r)
			} else if out.typ == model.TypeInt64 {
				out.i64[r] = isum[hi+1] - isum[lo]
			} else {
				out.f64[r] = sum[hi+1] - sum[lo]
			}
		case "avg":
			if c := cnt[hi+1] - cnt[lo]; c == 0 {
				out.setNull(r)
			} else {
				out.f64[r] = (sum[hi+1] - sum[lo]) / float64(c)
			}
		case "first_value":
			setValue(out, r, x, rows[lo])
		case "last_value":
			setValue(out, r, x, rows[hi])
		case "min", "max":
			if lo == 0 {
				running = w.extend(x, rows, running, hi)
				w.writeBest(out, r, x, rows, running)
				continue
			}
			w.writeBest(out, r, x, rows, w.best(x, rows, lo, hi))
		}
	}
}

func (w *windowCall) emptyFrame(out *vec, r int) {
	if w.name == "count" {
		out.i64[r] = 0
		return
	}
	out.setNull(r)
}

// better reports whether row a beats row b for min or max.
func (w *windowCall) better(x *vec, a, b int) bool {
	var c int
	if x.typ == model.TypeSymbol {
		c = compareText(x.text(a), x.text(b))
	} else {
		c = cmpRows(x, a, b)
	}
	return (w.name == "max" && c > 0) || (w.name == "min" && c < 0)
}

// extend moves a running min/max (a position in rows, -1 for none) to
// cover rows[0..hi].
func (w *windowCall) extend(x *vec, rows []int, best, hi int) int {
	start := 0
	if best >= 0 {
		start = w.runningEnd + 1
	}
	for k := start; k <= hi; k++ {
		if !x.isNull(rows[k]) && (best < 0 || w.better(x, rows[k], rows[best])) {
			best = k
		}
	}
	w.runningEnd = max(w.runningEnd, hi)
	return best
}

func (w *windowCall) best(x *vec, rows []int, lo, hi int) int {
	best := -1
	for k := lo; k <= hi; k++ {
		if !x.isNull(rows[k]) && (best < 0 || w.better(x, rows[k], rows[best])) {
			best = k
		}
	}
	return best
}

func (w *windowCall) writeBest(out *vec, r int, x *vec, rows []int, best int) {
	if best < 0 {
		out.setNull(r)
		return
	}
	setValue(out, r, x, rows[best])
}

func compareText(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
