package exec

import "github.com/zeptodb/zeptodb/internal/model"

// Dense kernels for float + - * /: the operator is chosen once per batch,
// not per row, and operands are read straight from their slices. Integer
// operands are widened into a scratch slice first.

// floatOperand is one side of a dense float kernel: a slice, or a
// constant when data is nil.
type floatOperand struct {
	data []float64
	k    float64
}

// denseFloat returns v as a float operand, ok false for a selection.
// Integers are widened into a vector of b's.
func denseFloat(b *batch, v *vec, n int) (floatOperand, bool) {
	switch {
	case v.constant && v.typ == model.TypeFloat64:
		return floatOperand{k: v.f64[0]}, true
	case v.constant:
		return floatOperand{k: float64(v.i64[0])}, true
	case v.sel != nil:
		return floatOperand{}, false
	case v.typ == model.TypeFloat64:
		return floatOperand{data: v.f64[:n]}, true
	}
	w := b.newVec(model.TypeFloat64).f64[:n]
	for i, x := range v.i64[:n] {
		w[i] = float64(x)
	}
	return floatOperand{data: w}, true
}

// floatsDense computes out = l op r for + - * and / without NULL inputs
// (the caller merged NULLs already); ok is false when it does not apply.
func (a *arith) floatsDense(b *batch, l, r, out *vec) bool {
	n := len(out.f64)
	if a.op == '%' {
		return false
	}
	x, okx := denseFloat(b, l, n)
	y, oky := denseFloat(b, r, n)
	if !okx || !oky || x.data == nil && y.data == nil {
		return false
	}
	o := out.f64
	switch {
	case x.data != nil && y.data != nil:
		floatsVV(a.op, o, x.data, y.data)
	case x.data != nil:
		floatsVK(a.op, o, x.data, y.k)
	default:
		floatsKV(a.op, o, x.k, y.data)
	}
	if a.op == '/' {
		divZeroNulls(out, y)
	}
	return true
}

func floatsVV(op byte, o, x, y []float64) {
	y = y[:len(x)]
	o = o[:len(x)]
	switch op {
	case '+':
		for i := range x {
			o[i] = x[i] + y[i]
		}
	case '-':
		for i := range x {
			o[i] = x[i] - y[i]
		}
	case '*':
		for i := range x {
			o[i] = x[i] * y[i]
		}
	case '/':
		for i := range x {
			o[i] = x[i] / y[i]
		}
	}
}

func floatsVK(op byte, o, x []float64, k float64) {
	o = o[:len(x)]
	switch op {
	case '+':
		for i := range x {
			o[i] = x[i] + k
		}
	case '-':
		for i := range x {
			o[i] = x[i] - k
		}
	case '*':
		for i := range x {
			o[i] = x[i] * k
		}
	case '/':
		for i := range x {
			o[i] = x[i] / k
		}
	}
}

func floatsKV(op byte, o []float64, k float64, y []float64) {
	o = o[:len(y)]
	switch op {
	case '+':
		for i := range y {
			o[i] = k + y[i]
		}
	case '-':
		for i := range y {
			o[i] = k - y[i]
		}
	case '*':
		for i := range y {
			o[i] = k * y[i]
		}
	case '/':
		for i := range y {
			o[i] = k / y[i]
		}
	}
}

// divZeroNulls makes division by zero NULL (and its value 0), as the
// row-by-row kernel does.
func divZeroNulls(out *vec, y floatOperand) {
	if y.data == nil {
		if y.k == 0 {
			for i := range out.f64 {
				out.f64[i] = 0
				out.setNull(i)
			}
		}
		return
	}
	for i, d := range y.data {
		if d == 0 {
			out.f64[i] = 0
			out.setNull(i)
		}
	}
}
