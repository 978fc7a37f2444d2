package exec

import (
	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// vec is the value of an expression for the rows of one batch. Its data
// slices are indexed physically: logical row i is physical row sel[i]
// when sel is set, row 0 for a constant, and row i otherwise. Exactly one
// data slice is used, by execution type:
//
//	INT64, TIMESTAMP  i64      FLOAT64  f64      BOOL  b
//	STRING            s        SYMBOL   sym (ids into dict)
//
// INT32 and FLOAT32 storage is widened when read, so kernels see only
// these five.
type vec struct {
	typ      model.ColumnType
	i64      []int64
	f64      []float64
	b        []bool
	s        []string
	sym      []uint32
	dict     *symtab.Dict
	nulls    *column.Bitmap
	sel      []int32
	n        int
	constant bool
}

// phys maps logical row i to its physical index.
func (v *vec) phys(i int) int {
	switch {
	case v.constant:
		return 0
	case v.sel != nil:
		return int(v.sel[i])
	}
	return i
}

func (v *vec) isNull(i int) bool { return v.nulls != nil && v.nulls.Get(v.phys(i)) }

func (v *vec) hasNulls() bool { return v.nulls.Any() }

// text returns the string value of a STRING or SYMBOL row.
func (v *vec) text(i int) string {
	p := v.phys(i)
	if v.typ == model.TypeSymbol {
		return v.dict.String(v.sym[p])
	}
	return v.s[p]
}

// float returns a numeric row as float64.
func (v *vec) float(i int) float64 {
	p := v.phys(i)
	if v.typ == model.TypeFloat64 {
		return v.f64[p]
	}
	return float64(v.i64[p])
}

// dense returns v with one physical row per logical row (no selection,
// no constant), copying only when needed.
func (v *vec) dense() *vec {
	if !v.constant && v.sel == nil {
		return v
	}
	d := &vec{typ: v.typ, n: v.n, dict: v.dict}
	switch v.typ {
	case model.TypeInt64, model.TypeTimestamp:
		d.i64 = make([]int64, v.n)
		for i := range d.i64 {
			d.i64[i] = v.i64[v.phys(i)]
		}
	case model.TypeFloat64:
		d.f64 = make([]float64, v.n)
		for i := range d.f64 {
			d.f64[i] = v.f64[v.phys(i)]
		}
	case model.TypeBool:
		d.b = make([]bool, v.n)
		for i := range d.b {
			d.b[i] = v.b[v.phys(i)]
		}
	case model.TypeString:
		d.s = make([]string, v.n)
		for i := range d.s {
			d.s[i] = v.s[v.phys(i)]
		}
	case model.TypeSymbol:
		d.sym = make([]uint32, v.n)
		for i := range d.sym {
			d.sym[i] = v.sym[v.phys(i)]
		}
	}
	if v.nulls != nil {
		for i := 0; i < v.n; i++ {
			if v.isNull(i) {
				d.setNull(i)
			}
		}
	}
	return d
}

func (v *vec) setNull(i int) {
	if v.nulls == nil {
		v.nulls = &column.Bitmap{}
	}
	v.nulls.Set(i)
}

// newVec returns a dense vector of n zero values.
func newVec(t model.ColumnType, n int) *vec {
	v := &vec{typ: t, n: n}
	switch t {
	case model.TypeInt64, model.TypeTimestamp:
		v.i64 = make([]int64, n)
	case model.TypeFloat64:
		v.f64 = make([]float64, n)
	case model.TypeBool:
		v.b = make([]bool, n)
	case model.TypeString:
		v.s = make([]string, n)
	case model.TypeSymbol:
		v.sym = make([]uint32, n)
	}
	return v
}

// truncate empties a dense vector, keeping its capacity.
func (v *vec) truncate() {
	v.n, v.nulls = 0, nil
	v.i64, v.f64, v.b, v.s, v.sym = v.i64[:0], v.f64[:0], v.b[:0], v.s[:0], v.sym[:0]
}

// constVec returns a constant vector for n rows; null makes it NULL.
func constVec(t model.ColumnType, n int, null bool) *vec {
	v := newVec(t, 1)
	v.n, v.constant = n, true
	if null {
		v.setNull(0)
	}
	return v
}

// execType maps a storage type to the type kernels see.
func execType(t model.ColumnType) model.ColumnType {
	switch t {
	case model.TypeInt32:
		return model.TypeInt64
	case model.TypeFloat32:
		return model.TypeFloat64
	}
	return t
}

// fromColumn views a storage vector for the selected rows, widening INT32
// and FLOAT32 to dense INT64 and FLOAT64.
func fromColumn(c *column.Vector, dict *symtab.Dict, sel []int32, n int) *vec {
	v := &vec{typ: c.Type, nulls: c.Nulls, sel: sel, n: n, dict: dict}
	switch c.Type {
	case model.TypeInt64, model.TypeTimestamp:
		v.i64 = c.Int64
	case model.TypeFloat64:
		v.f64 = c.Float64
	case model.TypeBool:
		v.b = c.Bool
	case model.TypeString:
		v.s = c.String
	case model.TypeSymbol:
		v.sym = c.Symbol
	case model.TypeInt32:
		v.typ, v.i64 = model.TypeInt64, make([]int64, len(c.Int32))
		for i, x := range c.Int32 {
			v.i64[i] = int64(x)
		}
	case model.TypeFloat32:
		v.typ, v.f64 = model.TypeFloat64, make([]float64, len(c.Float32))
		for i, x := range c.Float32 {
			v.f64[i] = float64(x)
		}
	}
	return v
}
