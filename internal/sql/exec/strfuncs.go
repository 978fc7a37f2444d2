package exec

import (
	"math"
	"strings"

	"github.com/zeptodb/zeptodb/internal/model"
)

// substrFunc is substr(s, start[, length]) with DuckDB's rules: positions
// count characters from 1; a negative start counts from the end; the
// window [start, start+length) is clipped to the string.
type substrFunc struct {
	x, start, length expr
}

func (f *substrFunc) typ() model.ColumnType { return model.TypeString }

func (f *substrFunc) eval(b *batch) (*vec, error) {
	x, err := f.x.eval(b)
	if err != nil {
		return nil, err
	}
	st, err := f.start.eval(b)
	if err != nil {
		return nil, err
	}
	ins := []*vec{x, st}
	var ln *vec
	if f.length != nil {
		if ln, err = f.length.eval(b); err != nil {
			return nil, err
		}
		ins = append(ins, ln)
	}
	out := newVec(model.TypeString, b.n)
	out.nulls = unionNulls(b.n, ins...)
	for i := range out.s {
		count := int64(math.MaxInt64)
		if ln != nil {
			count = ln.i64[ln.phys(i)]
		}
		out.s[i] = substr(x.text(i), st.i64[st.phys(i)], count)
	}
	return out, nil
}

func substr(s string, start, count int64) string {
	r := []rune(s)
	n := int64(len(r))
	var lo int64
	switch {
	case start > 0:
		lo = start - 1
	case start < 0:
		lo = n + start
	default:
		lo = -1 // position 0 is just before the first character
	}
	hi := n
	if count < n-lo {
		hi = lo + count
	}
	lo, hi = max(lo, 0), min(hi, n)
	if count < 0 || lo >= hi {
		return ""
	}
	return string(r[lo:hi])
}

// concatFunc is concat(a, b, ...): NULL arguments are skipped, as in
// DuckDB and ClickHouse (|| instead makes the result NULL).
type concatFunc struct{ args []expr }

func (f *concatFunc) typ() model.ColumnType { return model.TypeString }

func (f *concatFunc) eval(b *batch) (*vec, error) {
	vals := make([]*vec, len(f.args))
	for i, a := range f.args {
		v, err := a.eval(b)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	out := newVec(model.TypeString, b.n)
	var sb strings.Builder
	for i := range out.s {
		sb.Reset()
		for _, v := range vals {
			if !v.isNull(i) {
				sb.WriteString(formatValue(v, i))
			}
		}
		out.s[i] = sb.String()
	}
	return out, nil
}

// powFunc is pow(x, y) as a float.
type powFunc struct{ x, y expr }

func (f *powFunc) typ() model.ColumnType { return model.TypeFloat64 }

func (f *powFunc) eval(b *batch) (*vec, error) {
	x, y, err := evalBoth(b, f.x, f.y)
	if err != nil {
		return nil, err
	}
	out := newVec(model.TypeFloat64, b.n)
	out.nulls = unionNulls(b.n, x, y)
	for i := range out.f64 {
		out.f64[i] = math.Pow(x.float(i), y.float(i))
	}
	return out, nil
}
