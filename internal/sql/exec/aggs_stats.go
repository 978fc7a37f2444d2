package exec

import (
	"math"
	"sort"

	"github.com/zeptodb/zeptodb/internal/model"
)

// varianceAgg computes var/stddev with Welford's online update per group
// and Chan's formula to merge partial states, which stays accurate where
// sum-of-squares formulas cancel catastrophically (prices near 100 with
// tiny moves).
type varianceAgg struct {
	kind string // var_samp, var_pop, stddev_samp, stddev_pop
	n    []float64
	mean []float64
	m2   []float64
}

func (a *varianceAgg) grow(n int) {
	a.n, a.mean, a.m2 = growTo(a.n, n), growTo(a.mean, n), growTo(a.m2, n)
}

func (a *varianceAgg) update(in *aggInput) error {
	x := in.args[0]
	for i := 0; i < in.n; i++ {
		if x.isNull(i) {
			continue
		}
		g, v := in.group(i), x.float(i)
		a.n[g]++
		d := v - a.mean[g]
		a.mean[g] += d / a.n[g]
		a.m2[g] += d * (v - a.mean[g])
	}
	return nil
}

func (a *varianceAgg) merge(o aggState, m []int32) error {
	b := o.(*varianceAgg)
	for h, g := range m {
		if b.n[h] == 0 {
			continue
		}
		if a.n[g] == 0 {
			a.n[g], a.mean[g], a.m2[g] = b.n[h], b.mean[h], b.m2[h]
			continue
		}
		n := a.n[g] + b.n[h]
		d := b.mean[h] - a.mean[g]
		a.m2[g] += b.m2[h] + d*d*a.n[g]*b.n[h]/n
		a.mean[g] += d * b.n[h] / n
		a.n[g] = n
	}
	return nil
}

func (a *varianceAgg) result(n int) *vec {
	out := newVec(model.TypeFloat64, n)
	for g := range out.f64 {
		div := a.n[g] - 1
		if a.kind == "var_pop" || a.kind == "stddev_pop" {
			div = a.n[g]
		}
		if div <= 0 || a.n[g] == 0 {
			out.setNull(g)
			continue
		}
		v := a.m2[g] / div
		if a.kind == "stddev_samp" || a.kind == "stddev_pop" {
			v = math.Sqrt(v)
		}
		out.f64[g] = v
	}
	return out
}

// quantileAgg is median, percentile(x, p) and quantile(x, p): the
// continuous quantile (linear interpolation between the two nearest
// ranks, as DuckDB's quantile_cont). It keeps every value of each group.
type quantileAgg struct {
	p    float64
	vals [][]float64
	// exact: ClickHouse's quantileExact, the value at position floor(p*n)
	// of the sorted values, instead of interpolating between two.
	exact bool
}

func (a *quantileAgg) grow(n int) { a.vals = growTo(a.vals, n) }

func (a *quantileAgg) update(in *aggInput) error {
	x := in.args[0]
	for i := 0; i < in.n; i++ {
		if !x.isNull(i) {
			g := in.group(i)
			a.vals[g] = append(a.vals[g], x.float(i))
		}
	}
	return nil
}

func (a *quantileAgg) merge(o aggState, m []int32) error {
	for h, g := range m {
		a.vals[g] = append(a.vals[g], o.(*quantileAgg).vals[h]...)
	}
	return nil
}

func (a *quantileAgg) result(n int) *vec {
	out := newVec(model.TypeFloat64, n)
	for g := range out.f64 {
		v := a.vals[g]
		if len(v) == 0 {
			out.setNull(g)
			continue
		}
		sort.Float64s(v)
		if a.exact {
			out.f64[g] = v[min(int(a.p*float64(len(v))), len(v)-1)]
			continue
		}
		pos := a.p * float64(len(v)-1)
		lo := math.Floor(pos)
		hi := math.Ceil(pos)
		out.f64[g] = v[int(lo)] + (pos-lo)*(v[int(hi)]-v[int(lo)])
	}
	return out
}

// distinctAgg is count(DISTINCT x): a set of encoded values per group.
// Text values are interned so that sets hold integers.
type distinctAgg struct {
	sets    []map[int64]struct{}
	strIDs  map[string]int64
	strings []string
	t       model.ColumnType
}

func (a *distinctAgg) grow(n int) {
	for len(a.sets) < n {
		a.sets = append(a.sets, map[int64]struct{}{})
	}
}

func (a *distinctAgg) key(x *vec, i int) int64 {
	p := x.phys(i)
	switch x.typ {
	case model.TypeInt64, model.TypeTimestamp:
		return x.i64[p]
	case model.TypeFloat64:
		f := x.f64[p]
		if f == 0 {
			f = 0 // -0 and +0 are one value
		}
		return int64(math.Float64bits(f))
	case model.TypeBool:
		return b2i(x.b[p])
	}
	return a.intern(x.text(i))
}

func (a *distinctAgg) intern(s string) int64 {
	id, ok := a.strIDs[s]
	if !ok {
		id = int64(len(a.strings))
		a.strIDs[s] = id
		a.strings = append(a.strings, s)
	}
	return id
}

func (a *distinctAgg) update(in *aggInput) error {
	x := in.args[0]
	for i := 0; i < in.n; i++ {
		if !x.isNull(i) {
			a.sets[in.group(i)][a.key(x, i)] = struct{}{}
		}
	}
	return nil
}

func (a *distinctAgg) merge(o aggState, m []int32) error {
	b := o.(*distinctAgg)
	for h, g := range m {
		for k := range b.sets[h] {
			if a.t.IsText() {
				k = a.intern(b.strings[k])
			}
			a.sets[g][k] = struct{}{}
		}
	}
	return nil
}

func (a *distinctAgg) result(n int) *vec {
	out := newVec(model.TypeInt64, n)
	for g := range out.i64 {
		out.i64[g] = int64(len(a.sets[g]))
	}
	return out
}

// argAgg is arg_min(arg, val) / arg_max(arg, val): arg at the row with the
// smallest (largest) val. Rows where either is NULL are skipped; among
// equal vals the first row in scan order wins.
type argAgg struct {
	max  bool
	arg  values
	best values
}

func (a *argAgg) grow(n int) { a.arg.grow(n); a.best.grow(n) }

func (a *argAgg) beats(c int) bool { return (a.max && c > 0) || (!a.max && c < 0) }

func (a *argAgg) update(in *aggInput) error {
	arg, val := in.args[0], in.args[1]
	for i := 0; i < in.n; i++ {
		if arg.isNull(i) || val.isNull(i) {
			continue
		}
		g := in.group(i)
		if !a.best.has[g] || a.beats(a.best.cmpRow(g, val, i)) {
			a.best.set(g, val, i)
			a.arg.set(g, arg, i)
		}
	}
	return nil
}

func (a *argAgg) merge(o aggState, m []int32) error {
	b := o.(*argAgg)
	for h, g := range m {
		if b.best.has[h] && (!a.best.has[g] || a.beats(a.best.cmpGroup(g, &b.best, h))) {
			a.best.copyFrom(g, &b.best, h)
			a.arg.copyFrom(g, &b.arg, h)
		}
	}
	return nil
}

func (a *argAgg) result(n int) *vec { return a.arg.result(n) }
