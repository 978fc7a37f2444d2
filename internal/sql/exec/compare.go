package exec

import (
	"slices"
	"strings"

	"github.com/zeptodb/zeptodb/internal/model"
)

// cmpOp is a comparison operator.
type cmpOp uint8

const (
	opEq cmpOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
)

var cmpOps = map[string]cmpOp{"=": opEq, "!=": opNe, "<": opLt, "<=": opLe, ">": opGt, ">=": opGe}

// holds turns a three-way comparison result into the operator's answer.
func (op cmpOp) holds(c int) bool {
	switch op {
	case opEq:
		return c == 0
	case opNe:
		return c != 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	case opGt:
		return c > 0
	}
	return c >= 0
}

type ordered interface {
	~int64 | ~float64 | ~string | ~uint32
}

func compare3[T ordered](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpKind says how a comparison reads its operands.
type cmpKind uint8

const (
	cmpInt cmpKind = iota
	cmpFloat
	cmpText
	cmpSym // both sides symbol ids of the same dictionary: = and != only
	cmpBool
)

// compare is a comparison producing BOOL.
type compare struct {
	op   cmpOp
	kind cmpKind
	l, r expr
}

func (c *compare) typ() model.ColumnType { return model.TypeBool }

func (c *compare) eval(b *batch) (*vec, error) {
	l, r, err := evalBoth(b, c.l, c.r)
	if err != nil {
		return nil, err
	}
	out := newVec(model.TypeBool, b.n)
	out.nulls = unionNulls(b.n, l, r)
	for i := range out.b {
		out.b[i] = c.op.holds(c.cmpRow(l, r, i))
	}
	return out, nil
}

func (c *compare) cmpRow(l, r *vec, i int) int {
	switch c.kind {
	case cmpInt:
		return compare3(l.i64[l.phys(i)], r.i64[r.phys(i)])
	case cmpFloat:
		return compare3(l.float(i), r.float(i))
	case cmpSym:
		return compare3(l.sym[l.phys(i)], r.sym[r.phys(i)])
	case cmpBool:
		return compare3(b2i(l.b[l.phys(i)]), b2i(r.b[r.phys(i)]))
	}
	return strings.Compare(l.text(i), r.text(i))
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// filterCmp compares a column with a constant and narrows the selection
// directly: the hot path of WHERE clauses.
type filterCmp struct {
	op  cmpOp
	col *colRef
	// exactly one of these is used, by the column's execution type
	i64 int64
	f64 float64
	sym uint32
	str string
}

func (f *filterCmp) filter(b *batch) ([]int32, error) {
	v, err := f.col.eval(b)
	if err != nil {
		return nil, err
	}
	if v.constant {
		if !v.isNull(0) && f.op.holds(f.cmpPhys(v, 0)) {
			return b.sel, nil
		}
		return noRows, nil
	}
	out := b.selBuffer()
	switch v.typ {
	case model.TypeInt64, model.TypeTimestamp:
		out = selectWhere(f.op, v.i64, f.i64, v, b, out)
	case model.TypeFloat64:
		out = selectWhere(f.op, v.f64, f.f64, v, b, out)
	case model.TypeSymbol:
		out = selectWhere(f.op, v.sym, f.sym, v, b, out)
	default:
		out = selectWhere(f.op, v.s, f.str, v, b, out)
	}
	b.keepSelBuffer(out)
	return out, nil
}

func (f *filterCmp) cmpPhys(v *vec, p int) int {
	switch v.typ {
	case model.TypeInt64, model.TypeTimestamp:
		return compare3(v.i64[p], f.i64)
	case model.TypeFloat64:
		return compare3(v.f64[p], f.f64)
	case model.TypeSymbol:
		return compare3(v.sym[p], f.sym)
	}
	return strings.Compare(v.s[p], f.str)
}

// selectWhere returns the physical rows of the batch selection whose
// value compares with c as op says. NULL rows never match.
func selectWhere[T ordered](op cmpOp, data []T, c T, v *vec, b *batch, out []int32) []int32 {
	nulls := v.nulls
	if nulls.Any() {
		for i := 0; i < b.n; i++ {
			p := physRow(b, i)
			if !nulls.Get(p) && op.holds(compare3(data[p], c)) {
				out = append(out, int32(p))
			}
		}
		return out
	}
	if b.sel != nil {
		for _, p := range b.sel {
			if op.holds(compare3(data[p], c)) {
				out = append(out, p)
			}
		}
		return out
	}
	return selectDense(op, data[:b.n], c, out)
}

// selectDense is the unselected, NULL-free loop, one per operator so the
// comparison is not re-dispatched per row. Every row index is stored and
// the length advances only on a match, which avoids a mispredicted branch
// per row on unsorted data.
func selectDense[T ordered](op cmpOp, data []T, c T, out []int32) []int32 {
	out = slices.Grow(out[:0], len(data))[:len(data)]
	k := 0
	switch op {
	case opEq:
		for i, x := range data {
			out[k] = int32(i)
			k += b2int(x == c)
		}
	case opNe:
		for i, x := range data {
			out[k] = int32(i)
			k += b2int(x != c)
		}
	case opLt:
		for i, x := range data {
			out[k] = int32(i)
			k += b2int(x < c)
		}
	case opLe:
		for i, x := range data {
			out[k] = int32(i)
			k += b2int(x <= c)
		}
	case opGt:
		for i, x := range data {
			out[k] = int32(i)
			k += b2int(x > c)
		}
	case opGe:
		for i, x := range data {
			out[k] = int32(i)
			k += b2int(x >= c)
		}
	}
	return out[:k]
}

// b2int converts without a branch (the compiler emits SETcc).
func b2int(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}
