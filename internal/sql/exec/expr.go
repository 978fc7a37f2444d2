package exec

import (
	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// batch is the input of one expression evaluation: either rows of a chunk
// (chunk set) or rows of an intermediate result (cols set).
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

// constExpr is a literal or a folded constant expression.
type constExpr struct{ v *vec }

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
	return &constExpr{v}
}

func scalarFloat(x float64) *constExpr {
	v := constVec(model.TypeFloat64, 1, false)
	v.f64[0] = x
	return &constExpr{v}
}

func scalarString(s string) *constExpr {
	v := constVec(model.TypeString, 1, false)
	v.s[0] = s
	return &constExpr{v}
}

func scalarBool(x bool) *constExpr {
	v := constVec(model.TypeBool, 1, false)
	v.b[0] = x
	return &constExpr{v}
}

func scalarNull(t model.ColumnType) *constExpr { return &constExpr{constVec(t, 1, true)} }

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
