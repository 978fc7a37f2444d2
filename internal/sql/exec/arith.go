package exec

import (
	"errors"
	"math"

	"github.com/zeptodb/zeptodb/internal/model"
)

// ErrOverflow is returned when integer arithmetic does not fit in 64 bits.
var ErrOverflow = errors.New("integer overflow")

// arith is + - * / % on numbers. Integer + - * check for overflow; / on
// integers is float division, as in DuckDB; division or modulo by zero
// gives NULL.
type arith struct {
	op   byte
	l, r expr
	t    model.ColumnType // INT64, TIMESTAMP or FLOAT64
}

func (a *arith) typ() model.ColumnType { return a.t }

func (a *arith) eval(b *batch) (*vec, error) {
	l, r, err := evalBoth(b, a.l, a.r)
	if err != nil {
		return nil, err
	}
	out := b.newVec(a.t) // every row is written below
	out.nulls = unionNulls(b.n, l, r)
	if a.t == model.TypeFloat64 {
		if a.floatsDense(b, l, r, out) {
			return out, nil
		}
		a.floats(l, r, out)
		return out, nil
	}
	return out, a.ints(l, r, out)
}

func (a *arith) floats(l, r, out *vec) {
	for i := range out.f64 {
		x, y := l.float(i), r.float(i)
		switch a.op {
		case '+':
			out.f64[i] = x + y
		case '-':
			out.f64[i] = x - y
		case '*':
			out.f64[i] = x * y
		case '/':
			if y == 0 {
				out.f64[i] = 0
				out.setNull(i)
			} else {
				out.f64[i] = x / y
			}
		case '%':
			if y == 0 {
				out.f64[i] = 0
				out.setNull(i)
			} else {
				out.f64[i] = math.Mod(x, y)
			}
		}
	}
}

func (a *arith) ints(l, r, out *vec) error {
	for i := range out.i64 {
		x, y := l.i64[l.phys(i)], r.i64[r.phys(i)]
		var z int64
		switch a.op {
		case '+':
			z = x + y
			if (z > x) != (y > 0) {
				return ErrOverflow
			}
		case '-':
			z = x - y
			if (z < x) != (y > 0) {
				return ErrOverflow
			}
		case '*':
			if x != 0 {
				z = x * y
				if z/x != y || (x == -1 && y == math.MinInt64) {
					return ErrOverflow
				}
			}
		case '%':
			if y == 0 {
				out.setNull(i)
			} else if y != -1 {
				z = x % y
			}
		}
		out.i64[i] = z
	}
	return nil
}

// neg is unary minus.
type neg struct{ x expr }

func (n *neg) typ() model.ColumnType { return n.x.typ() }

func (n *neg) eval(b *batch) (*vec, error) {
	x, err := n.x.eval(b)
	if err != nil {
		return nil, err
	}
	out := newVec(n.typ(), b.n)
	out.nulls = unionNulls(b.n, x)
	if out.typ == model.TypeFloat64 {
		for i := range out.f64 {
			out.f64[i] = -x.f64[x.phys(i)]
		}
		return out, nil
	}
	for i := range out.i64 {
		v := x.i64[x.phys(i)]
		if v == math.MinInt64 {
			return nil, ErrOverflow
		}
		out.i64[i] = -v
	}
	return out, nil
}
