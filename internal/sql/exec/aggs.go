package exec

import (
	"math"

	"github.com/zeptodb/zeptodb/internal/model"
)

// aggInput is one batch for an aggregate: the group of each logical row
// (or one group for all rows), the argument values, and the designated
// timestamp (for first/last; nil when the table has none).
type aggInput struct {
	gids []int32
	one  int32
	args []*vec
	ts   *vec
	n    int
	// sorted: the designated timestamp never decreases over the rows.
	sorted bool
}

// group returns the group of logical row i.
func (in *aggInput) group(i int) int32 {
	if in.gids == nil {
		return in.one
	}
	return in.gids[i]
}

// aggState accumulates one aggregate for every group.
type aggState interface {
	// grow makes room for n groups.
	grow(n int)
	update(in *aggInput) error
	// merge folds o into the receiver; o's group i is group mapping[i].
	merge(o aggState, mapping []int32) error
	result(n int) *vec
}

func growTo[T any](s []T, n int) []T {
	if len(s) >= n {
		return s
	}
	return append(s, make([]T, n-len(s))...)
}

// countAgg is count(*) (star) or count(x).
type countAgg struct {
	star   bool
	counts []int64
}

func (a *countAgg) grow(n int) { a.counts = growTo(a.counts, n) }

func (a *countAgg) update(in *aggInput) error {
	if a.star || !in.args[0].hasNulls() {
		if in.gids == nil {
			a.counts[in.one] += int64(in.n)
			return nil
		}
		for _, g := range in.gids[:in.n] {
			a.counts[g]++
		}
		return nil
	}
	x := in.args[0]
	for i := 0; i < in.n; i++ {
		if !x.isNull(i) {
			a.counts[in.group(i)]++
		}
	}
	return nil
}

func (a *countAgg) merge(o aggState, m []int32) error {
	for i, c := range o.(*countAgg).counts[:len(m)] {
		a.counts[m[i]] += c
	}
	return nil
}

func (a *countAgg) result(n int) *vec {
	return &vec{typ: model.TypeInt64, i64: a.counts[:n], n: n}
}

// sumFloatAgg is sum(x) of floats.
type sumFloatAgg struct {
	sums []float64
	has  []bool
}

func (a *sumFloatAgg) grow(n int) { a.sums, a.has = growTo(a.sums, n), growTo(a.has, n) }

func (a *sumFloatAgg) update(in *aggInput) error {
	x := in.args[0]
	if !x.hasNulls() && x.typ == model.TypeFloat64 && !x.constant {
		if in.gids == nil {
			a.sums[in.one] += sumSel(x.f64, x.sel, in.n)
			a.has[in.one] = a.has[in.one] || in.n > 0
			return nil
		}
		for i, g := range in.gids[:in.n] {
			a.sums[g] += x.f64[x.phys(i)]
			a.has[g] = true
		}
		return nil
	}
	for i := 0; i < in.n; i++ {
		if !x.isNull(i) {
			g := in.group(i)
			a.sums[g] += x.float(i)
			a.has[g] = true
		}
	}
	return nil
}

func sumSel[T int64 | float64](data []T, sel []int32, n int) T {
	var s T
	if sel == nil {
		for _, v := range data[:n] {
			s += v
		}
		return s
	}
	for _, p := range sel[:n] {
		s += data[p]
	}
	return s
}

func (a *sumFloatAgg) merge(o aggState, m []int32) error {
	b := o.(*sumFloatAgg)
	for i := range m {
		a.sums[m[i]] += b.sums[i]
		a.has[m[i]] = a.has[m[i]] || b.has[i]
	}
	return nil
}

func (a *sumFloatAgg) result(n int) *vec {
	return withNulls(&vec{typ: model.TypeFloat64, f64: a.sums[:n], n: n}, a.has)
}

// withNulls marks the groups that saw no value NULL.
func withNulls(v *vec, has []bool) *vec {
	for i := 0; i < v.n; i++ {
		if !has[i] {
			v.setNull(i)
		}
	}
	return v
}

// sumIntAgg is sum(x) of integers, failing on overflow rather than
// wrapping.
type sumIntAgg struct {
	sums []int64
	has  []bool
}

func (a *sumIntAgg) grow(n int) { a.sums, a.has = growTo(a.sums, n), growTo(a.has, n) }

func (a *sumIntAgg) add(g int32, v int64) error {
	s := a.sums[g] + v
	if (s > a.sums[g]) != (v > 0) {
		return ErrOverflow
	}
	a.sums[g], a.has[g] = s, true
	return nil
}

func (a *sumIntAgg) update(in *aggInput) error {
	x := in.args[0]
	if in.gids == nil && !x.hasNulls() && !x.constant && in.n > 0 {
		// Sum in 64 bits, then check with a float sum whether it wrapped.
		s := sumSel(x.i64, x.sel, in.n)
		var f float64
		if x.sel == nil {
			for _, v := range x.i64[:in.n] {
				f += float64(v)
			}
		} else {
			for _, p := range x.sel[:in.n] {
				f += float64(x.i64[p])
			}
		}
		if math.Abs(f-float64(s)) > 1e15 {
			return ErrOverflow
		}
		return a.add(in.one, s)
	}
	for i := 0; i < in.n; i++ {
		if !x.isNull(i) {
			if err := a.add(in.group(i), x.i64[x.phys(i)]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *sumIntAgg) merge(o aggState, m []int32) error {
	b := o.(*sumIntAgg)
	for i := range m {
		if b.has[i] {
			if err := a.add(m[i], b.sums[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *sumIntAgg) result(n int) *vec {
	return withNulls(&vec{typ: model.TypeInt64, i64: a.sums[:n], n: n}, a.has)
}

// avgAgg is avg(x) of numbers.
type avgAgg struct {
	sums   []float64
	counts []int64
}

func (a *avgAgg) grow(n int) { a.sums, a.counts = growTo(a.sums, n), growTo(a.counts, n) }

func (a *avgAgg) update(in *aggInput) error {
	x := in.args[0]
	if in.gids == nil && !x.hasNulls() && x.typ == model.TypeFloat64 && !x.constant {
		a.sums[in.one] += sumSel(x.f64, x.sel, in.n) // as sumFloatAgg does
		a.counts[in.one] += int64(in.n)
		return nil
	}
	for i := 0; i < in.n; i++ {
		if !x.isNull(i) {
			g := in.group(i)
			a.sums[g] += x.float(i)
			a.counts[g]++
		}
	}
	return nil
}

func (a *avgAgg) merge(o aggState, m []int32) error {
	b := o.(*avgAgg)
	for i := range m {
		a.sums[m[i]] += b.sums[i]
		a.counts[m[i]] += b.counts[i]
	}
	return nil
}

func (a *avgAgg) result(n int) *vec {
	out := newVec(model.TypeFloat64, n)
	for i := range out.f64 {
		if a.counts[i] == 0 {
			out.setNull(i)
		} else {
			out.f64[i] = a.sums[i] / float64(a.counts[i])
		}
	}
	return out
}

// vwapAgg is vwap(price, volume) = sum(price*volume) / sum(volume); NULL
// when the volume sums to zero. Rows with a NULL price or volume are
// skipped.
type vwapAgg struct {
	pv, v []float64
}

func (a *vwapAgg) grow(n int) { a.pv, a.v = growTo(a.pv, n), growTo(a.v, n) }

func (a *vwapAgg) update(in *aggInput) error {
	p, v := in.args[0], in.args[1]
	if in.gids == nil && !p.hasNulls() && !v.hasNulls() && !p.constant && !v.constant &&
		p.typ == model.TypeFloat64 && equalSel(p.sel, v.sel) {
		var pv, vs float64
		switch v.typ {
		case model.TypeFloat64:
			pv, vs = vwapKernel(p.f64, v.f64, p.sel, in.n)
		default:
			pv, vs = vwapKernel(p.f64, v.i64, p.sel, in.n)
		}
		a.pv[in.one] += pv
		a.v[in.one] += vs
		return nil
	}
	for i := 0; i < in.n; i++ {
		if p.isNull(i) || v.isNull(i) {
			continue
		}
		g, vol := in.group(i), v.float(i)
		a.pv[g] += p.float(i) * vol
		a.v[g] += vol
	}
	return nil
}

func equalSel(a, b []int32) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

func vwapKernel[V int64 | float64](p []float64, v []V, sel []int32, n int) (pv, vs float64) {
	if sel == nil {
		p, v = p[:n], v[:n]
		for i := range p {
			x := float64(v[i])
			pv += p[i] * x
			vs += x
		}
		return pv, vs
	}
	for _, r := range sel[:n] {
		x := float64(v[r])
		pv += p[r] * x
		vs += x
	}
	return pv, vs
}

func (a *vwapAgg) merge(o aggState, m []int32) error {
	b := o.(*vwapAgg)
	for i := range m {
		a.pv[m[i]] += b.pv[i]
		a.v[m[i]] += b.v[i]
	}
	return nil
}

func (a *vwapAgg) result(n int) *vec {
	out := newVec(model.TypeFloat64, n)
	for i := range out.f64 {
		if a.v[i] == 0 {
			out.setNull(i)
		} else {
			out.f64[i] = a.pv[i] / a.v[i]
		}
	}
	return out
}
