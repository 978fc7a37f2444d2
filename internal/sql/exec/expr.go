package exec

import (
	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// batch is the input of one expression evaluation: either rows of a chunk
// (chunk set) or rows of an intermediate result (cols set). The vectors of
// an intermediate result are dense: sel indexes them directly, as filters
// and kernels assume (a view with its own selection would need the two
// composed everywhere, not only in colRef).
type batch struct {
	chunk *rdb.Chunk
	dicts []*symtab.Dict
	cols  []*vec
	sel   []int32 // selected physical rows; nil means all
	n     int     // logical rows

	// In a chunk of a table with a designated symbol, every row has the
	// series' symbol: symCol reads as a constant.
	symCol    int
	seriesSym uint32
	// part and base place a chunk batch's rows in their series (partition
	// start, position of row 0), which SAMPLE hashes.
	part int64
	base int
	// reversed: sel lists rows newest-stored first.
	reversed bool

	// scratch, when set, provides the vectors of intermediate results
	// (see scratch.go).
	scratch *scratch

	// sels holds two reusable selection buffers of the scanning worker;
	// filters write into the one that does not back sel. nil: allocate.
	sels *[2][]int32
}

// selBuffer returns an empty buffer for a new selection that does not
// alias b.sel.
func (b *batch) selBuffer() []int32 {
	if b.sels == nil || b.sels[b.freeSel()] == nil {
		return make([]int32, 0, b.n) // never nil: nil means "all rows"
	}
	return b.sels[b.freeSel()][:0]
}

func (b *batch) freeSel() int {
	if b.sel != nil && cap(b.sels[0]) > 0 && cap(b.sel) > 0 && &b.sels[0][:1][0] == &b.sel[:1][0] {
		return 1
	}
	return 0
}

// keepSelBuffer remembers a grown buffer for the next use.
func (b *batch) keepSelBuffer(out []int32) {
	if b.sels != nil && cap(out) > 0 {
		b.sels[b.freeSel()] = out[:0]
	}
}

// expr is a bound, typed expression.
type expr interface {
	// typ is the execution type of the result.
	typ() model.ColumnType
	// eval computes the expression for the batch's logical rows.
	eval(b *batch) (*vec, error)
}

// colRef reads a table column or a column of an intermediate result.
type colRef struct {
	idx int
	t   model.ColumnType
}

func (c *colRef) typ() model.ColumnType { return c.t }

func (c *colRef) eval(b *batch) (*vec, error) {
	if b.cols != nil {
		v := *b.cols[c.idx]
		if b.sel != nil {
			v.sel, v.n = b.sel, b.n
		}
		return &v, nil
	}
	if c.idx == b.symCol {
		v := constVec(model.TypeSymbol, b.n, b.seriesSym == rdb.NullSymbol)
		v.sym[0], v.dict = b.seriesSym, b.dicts[c.idx]
		return v, nil
	}
	return fromColumn(b.chunk.Cols[c.idx], b.dicts[c.idx], b.sel, b.n), nil
}

// constExpr is a literal or a folded constant expression. bare marks the
// NULL literal, which has no type of its own and takes its context's.
type constExpr struct {
	v    *vec
	bare bool
}

func (c *constExpr) typ() model.ColumnType { return c.v.typ }

func (c *constExpr) eval(b *batch) (*vec, error) {
	v := *c.v
	v.n = b.n
	return &v, nil
}

// scalarInt and friends make constant vectors for literals.
func scalarInt(t model.ColumnType, x int64) *constExpr {
	v := constVec(t, 1, false)
	v.i64[0] = x
	return &constExpr{v: v}
}

func scalarFloat(x float64) *constExpr {
	v := constVec(model.TypeFloat64, 1, false)
	v.f64[0] = x
	return &constExpr{v: v}
}

func scalarString(s string) *constExpr {
	v := constVec(model.TypeString, 1, false)
	v.s[0] = s
	return &constExpr{v: v}
}

func scalarBool(x bool) *constExpr {
	v := constVec(model.TypeBool, 1, false)
	v.b[0] = x
	return &constExpr{v: v}
}

func scalarNull(t model.ColumnType) *constExpr { return &constExpr{v: constVec(t, 1, true)} }

// unionNulls returns the NULL bitmap of a dense result whose inputs are
// a and b: a row is NULL when either input row is.
func unionNulls(n int, vs ...*vec) *column.Bitmap {
	var out *column.Bitmap
	for _, v := range vs {
		if !v.hasNulls() {
			continue
		}
		for i := 0; i < n; i++ {
			if v.isNull(i) {
				if out == nil {
					out = &column.Bitmap{}
				}
				out.Set(i)
			}
		}
	}
	return out
}

// evalBoth evaluates the two operands of a binary expression.
func evalBoth(b *batch, l, r expr) (*vec, *vec, error) {
	x, err := l.eval(b)
	if err != nil {
		return nil, nil, err
	}
	y, err := r.eval(b)
	if err != nil {
		return nil, nil, err
	}
	return x, y, nil
}
