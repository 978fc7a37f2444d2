package exec

import (
	"strings"

	"github.com/zeptodb/zeptodb/internal/model"
)

// values holds one value per group, of one execution type.
type values struct {
	t   model.ColumnType
	i64 []int64
	f64 []float64
	s   []string
	b   []bool
	has []bool
}

func (vs *values) grow(n int) {
	vs.has = growTo(vs.has, n)
	switch vs.t {
	case model.TypeInt64, model.TypeTimestamp:
		vs.i64 = growTo(vs.i64, n)
	case model.TypeFloat64:
		vs.f64 = growTo(vs.f64, n)
	case model.TypeBool:
		vs.b = growTo(vs.b, n)
	default:
		vs.s = growTo(vs.s, n)
	}
}

func (vs *values) set(g int32, src *vec, i int) {
	vs.has[g] = true
	p := src.phys(i)
	switch vs.t {
	case model.TypeInt64, model.TypeTimestamp:
		vs.i64[g] = src.i64[p]
	case model.TypeFloat64:
		vs.f64[g] = src.f64[p]
	case model.TypeBool:
		vs.b[g] = src.b[p]
	default:
		vs.s[g] = src.text(i)
	}
}

// copyFrom sets group g from group h of o.
func (vs *values) copyFrom(g int32, o *values, h int) {
	vs.has[g] = true
	switch vs.t {
	case model.TypeInt64, model.TypeTimestamp:
		vs.i64[g] = o.i64[h]
	case model.TypeFloat64:
		vs.f64[g] = o.f64[h]
	case model.TypeBool:
		vs.b[g] = o.b[h]
	default:
		vs.s[g] = o.s[h]
	}
}

// cmp compares group h of o (or row i of src when o is nil) with group g.
func (vs *values) cmpGroup(g int32, o *values, h int) int {
	switch vs.t {
	case model.TypeInt64, model.TypeTimestamp:
		return compare3(o.i64[h], vs.i64[g])
	case model.TypeFloat64:
		return compare3(o.f64[h], vs.f64[g])
	case model.TypeBool:
		return compare3(b2i(o.b[h]), b2i(vs.b[g]))
	}
	return strings.Compare(o.s[h], vs.s[g])
}

func (vs *values) cmpRow(g int32, src *vec, i int) int {
	p := src.phys(i)
	switch vs.t {
	case model.TypeInt64, model.TypeTimestamp:
		return compare3(src.i64[p], vs.i64[g])
	case model.TypeFloat64:
		return compare3(src.f64[p], vs.f64[g])
	case model.TypeBool:
		return compare3(b2i(src.b[p]), b2i(vs.b[g]))
	}
	return strings.Compare(src.text(i), vs.s[g])
}

func (vs *values) result(n int) *vec {
	v := &vec{typ: vs.t, n: n}
	switch vs.t {
	case model.TypeInt64, model.TypeTimestamp:
		v.i64 = vs.i64[:n]
	case model.TypeFloat64:
		v.f64 = vs.f64[:n]
	case model.TypeBool:
		v.b = vs.b[:n]
	default:
		v.typ, v.s = model.TypeString, vs.s[:n]
	}
	return withNulls(v, vs.has)
}

// minMaxAgg is min(x) or max(x).
type minMaxAgg struct {
	max bool
	v   values
}

func (a *minMaxAgg) grow(n int) { a.v.grow(n) }

func (a *minMaxAgg) better(c int) bool { return (c > 0) == a.max && c != 0 }

func (a *minMaxAgg) update(in *aggInput) error {
	x := in.args[0]
	if x.typ == model.TypeFloat64 && !x.hasNulls() && !x.constant {
		minMaxKernel(a.v.f64, a.v.has, x.f64, x.sel, in, a.max)
		return nil
	}
	if x.typ == model.TypeInt64 && !x.hasNulls() && !x.constant {
		minMaxKernel(a.v.i64, a.v.has, x.i64, x.sel, in, a.max)
		return nil
	}
	for i := 0; i < in.n; i++ {
		if x.isNull(i) {
			continue
		}
		g := in.group(i)
		if !a.v.has[g] || a.better(a.v.cmpRow(g, x, i)) {
			a.v.set(g, x, i)
		}
	}
	return nil
}

func minMaxKernel[T int64 | float64](dst []T, has []bool, data []T, sel []int32, in *aggInput, max bool) {
	if in.gids == nil && sel == nil && in.n > 0 {
		g, vals := in.one, data[:in.n]
		m := vals[0]
		if max {
			for _, x := range vals[1:] {
				if x > m {
					m = x
				}
			}
		} else {
			for _, x := range vals[1:] {
				if x < m {
					m = x
				}
			}
		}
		if !has[g] || (max && m > dst[g]) || (!max && m < dst[g]) {
			dst[g], has[g] = m, true
		}
		return
	}
	for i := 0; i < in.n; i++ {
		p := i
		if sel != nil {
			p = int(sel[i])
		}
		g := in.group(i)
		x := data[p]
		if !has[g] || (max && x > dst[g]) || (!max && x < dst[g]) {
			dst[g], has[g] = x, true
		}
	}
}

func (a *minMaxAgg) merge(o aggState, m []int32) error {
	b := o.(*minMaxAgg)
	for h, g := range m {
		if b.v.has[h] && (!a.v.has[g] || a.better(a.v.cmpGroup(g, &b.v, h))) {
			a.v.copyFrom(g, &b.v, h)
		}
	}
	return nil
}

func (a *minMaxAgg) result(n int) *vec { return a.v.result(n) }

// firstLastAgg is first(x) or last(x): the value at the earliest (latest)
// designated timestamp. Ties go to the row scanned first (last), so the
// answer follows insertion order among equal timestamps. Without a
// designated timestamp, scan order alone decides.
type firstLastAgg struct {
	last bool
	// reverse: rows arrive newest-stored first (runLatest), so among
	// equal timestamps the row already held is the later-stored one and
	// keeps its place.
	reverse bool
	v       values
	ts      []int64
}

func (a *firstLastAgg) grow(n int) { a.v.grow(n); a.ts = growTo(a.ts, n) }

// wins reports whether a row at t replaces the value held at held.
func (a *firstLastAgg) wins(t, held int64) bool {
	switch {
	case a.last && a.reverse:
		return t > held
	case a.last:
		return t >= held
	}
	return t < held
}

func (a *firstLastAgg) update(in *aggInput) error {
	x := in.args[0]
	if in.gids == nil && in.sorted && in.ts != nil && !x.hasNulls() && in.n > 0 {
		// One group over time-ordered rows: only the end row can win.
		i := 0
		if a.last {
			i = in.n - 1
		}
		t := in.ts.i64[in.ts.phys(i)]
		if g := in.one; !a.v.has[g] || a.wins(t, a.ts[g]) {
			a.v.set(g, x, i)
			a.ts[g] = t
		}
		return nil
	}
	if in.ts != nil && x.typ == model.TypeFloat64 && !x.hasNulls() && !x.constant && !in.ts.constant {
		firstLastKernel(a, a.v.f64, x.f64, x.sel, in)
		return nil
	}
	for i := 0; i < in.n; i++ {
		if x.isNull(i) {
			continue
		}
		g := in.group(i)
		var t int64
		if in.ts != nil {
			t = in.ts.i64[in.ts.phys(i)]
		}
		if !a.v.has[g] || a.wins(t, a.ts[g]) {
			a.v.set(g, x, i)
			a.ts[g] = t
		}
	}
	return nil
}

func firstLastKernel[T int64 | float64](a *firstLastAgg, dst []T, data []T, sel []int32, in *aggInput) {
	ts, tsel, has := in.ts.i64, in.ts.sel, a.v.has
	for i := 0; i < in.n; i++ {
		p, tp := i, i
		if sel != nil {
			p = int(sel[i])
		}
		if tsel != nil {
			tp = int(tsel[i])
		}
		g, t := in.group(i), ts[tp]
		if !has[g] || a.wins(t, a.ts[g]) {
			dst[g], a.ts[g], has[g] = data[p], t, true
		}
	}
}

func (a *firstLastAgg) merge(o aggState, m []int32) error {
	b := o.(*firstLastAgg)
	for h, g := range m {
		if b.v.has[h] && (!a.v.has[g] || a.wins(b.ts[h], a.ts[g])) {
			a.v.copyFrom(g, &b.v, h)
			a.ts[g] = b.ts[h]
		}
	}
	return nil
}

func (a *firstLastAgg) result(n int) *vec { return a.v.result(n) }
