package column

import (
	"fmt"

	"github.com/zeptodb/zeptodb/internal/model"
)

// Vector is one column of values. Exactly one slice is used, chosen by Type:
//
//	INT64, TIMESTAMP  Int64
//	INT32             Int32
//	FLOAT64           Float64
//	FLOAT32           Float32
//	SYMBOL            Symbol (dictionary ids) in storage; String in an ingest batch
//	STRING            String
//	BOOL              Bool
//
// Nulls marks NULL rows; nil means the vector has none. The value slot of a
// NULL row holds the zero value.
type Vector struct {
	Type    model.ColumnType
	Int64   []int64
	Int32   []int32
	Float64 []float64
	Float32 []float32
	Symbol  []uint32
	String  []string
	Bool    []bool
	Nulls   *Bitmap
}

// NewVector returns an empty vector of type t with room for capacity rows.
// A SYMBOL vector made here holds ids (storage form).
func NewVector(t model.ColumnType, capacity int) *Vector {
	v := &Vector{Type: t}
	switch t {
	case model.TypeInt64, model.TypeTimestamp:
		v.Int64 = make([]int64, 0, capacity)
	case model.TypeInt32:
		v.Int32 = make([]int32, 0, capacity)
	case model.TypeFloat64:
		v.Float64 = make([]float64, 0, capacity)
	case model.TypeFloat32:
		v.Float32 = make([]float32, 0, capacity)
	case model.TypeSymbol:
		v.Symbol = make([]uint32, 0, capacity)
	case model.TypeString:
		v.String = make([]string, 0, capacity)
	case model.TypeBool:
		v.Bool = make([]bool, 0, capacity)
	default:
		panic(fmt.Sprintf("column: NewVector of %v", t))
	}
	return v
}

// Len returns the number of rows.
func (v *Vector) Len() int {
	switch v.Type {
	case model.TypeInt64, model.TypeTimestamp:
		return len(v.Int64)
	case model.TypeInt32:
		return len(v.Int32)
	case model.TypeFloat64:
		return len(v.Float64)
	case model.TypeFloat32:
		return len(v.Float32)
	case model.TypeSymbol:
		if v.Symbol == nil {
			return len(v.String)
		}
		return len(v.Symbol)
	case model.TypeString:
		return len(v.String)
	case model.TypeBool:
		return len(v.Bool)
	}
	return 0
}

// IsNull reports whether row i is NULL.
func (v *Vector) IsNull(i int) bool { return v.Nulls.Get(i) }

// SetNull marks row i NULL.
func (v *Vector) SetNull(i int) {
	if v.Nulls == nil {
		v.Nulls = &Bitmap{}
	}
	v.Nulls.Set(i)
}

// Slice returns a view of rows [lo, hi). The view shares memory with v; its
// NULL bitmap is copied when v has one, since bitmaps cannot be re-based.
func (v *Vector) Slice(lo, hi int) *Vector {
	s := &Vector{Type: v.Type}
	switch v.Type {
	case model.TypeInt64, model.TypeTimestamp:
		s.Int64 = v.Int64[lo:hi:hi]
	case model.TypeInt32:
		s.Int32 = v.Int32[lo:hi:hi]
	case model.TypeFloat64:
		s.Float64 = v.Float64[lo:hi:hi]
	case model.TypeFloat32:
		s.Float32 = v.Float32[lo:hi:hi]
	case model.TypeSymbol:
		if v.Symbol == nil {
			s.String = v.String[lo:hi:hi]
		} else {
			s.Symbol = v.Symbol[lo:hi:hi]
		}
	case model.TypeString:
		s.String = v.String[lo:hi:hi]
	case model.TypeBool:
		s.Bool = v.Bool[lo:hi:hi]
	}
	if v.Nulls.Any() {
		for i := lo; i < hi; i++ {
			if v.Nulls.Get(i) {
				s.SetNull(i - lo)
			}
		}
	}
	return s
}

// AppendNull appends a NULL row (a zero value marked in Nulls) to a
// vector in ingest form.
func (v *Vector) AppendNull() {
	switch v.Type {
	case model.TypeInt64, model.TypeTimestamp:
		v.Int64 = append(v.Int64, 0)
	case model.TypeInt32:
		v.Int32 = append(v.Int32, 0)
	case model.TypeFloat64:
		v.Float64 = append(v.Float64, 0)
	case model.TypeFloat32:
		v.Float32 = append(v.Float32, 0)
	case model.TypeSymbol, model.TypeString:
		v.String = append(v.String, "")
	case model.TypeBool:
		v.Bool = append(v.Bool, false)
	}
	v.SetNull(v.Len() - 1)
}
