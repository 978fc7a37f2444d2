package exec

import (
	"github.com/zeptodb/zeptodb/internal/model"
)

// predicate narrows a batch's selection. Filters compile to predicates;
// AND chains narrow step by step, so later terms look only at rows that
// passed earlier ones.
//
// filter returns the physical rows that pass. A nil result means every
// row of the batch passes (its selection is unchanged), which lets a
// predicate that is constant over a chunk, like the symbol of a series,
// cost nothing; an empty non-nil result (noRows) means none pass.
type predicate interface {
	filter(b *batch) ([]int32, error)
}

// noRows is the selection of nothing.
var noRows = []int32{}

// narrow applies a filter result to a batch; it reports false when no
// row is left.
func (b *batch) narrow(sel []int32) bool {
	if sel != nil {
		b.sel, b.n = sel, len(sel)
	}
	return b.n > 0
}

// andPred applies its terms in order.
type andPred struct{ terms []predicate }

func (a *andPred) filter(b *batch) ([]int32, error) {
	cur := *b
	for _, t := range a.terms {
		sel, err := t.filter(&cur)
		if err != nil {
			return nil, err
		}
		if !cur.narrow(sel) {
			return noRows, nil
		}
	}
	return cur.sel, nil
}

// exprPred keeps the rows where a BOOL expression is true (not NULL).
type exprPred struct{ e expr }

func (p *exprPred) filter(b *batch) ([]int32, error) {
	v, err := p.e.eval(b)
	if err != nil {
		return nil, err
	}
	out := b.selBuffer()
	for i := 0; i < b.n; i++ {
		if !v.isNull(i) && v.b[v.phys(i)] {
			out = append(out, int32(physRow(b, i)))
		}
	}
	b.keepSelBuffer(out)
	return out, nil
}

func physRow(b *batch, i int) int {
	if b.sel != nil {
		return int(b.sel[i])
	}
	return i
}

// logic is AND / OR with SQL's three-valued logic, for BOOL values
// outside of WHERE (and inside OR, NOT).
type logic struct {
	and  bool
	l, r expr
}

func (l *logic) typ() model.ColumnType { return model.TypeBool }

func (l *logic) eval(b *batch) (*vec, error) {
	x, y, err := evalBoth(b, l.l, l.r)
	if err != nil {
		return nil, err
	}
	out := newVec(model.TypeBool, b.n)
	for i := range out.b {
		xn, yn := x.isNull(i), y.isNull(i)
		xv, yv := !xn && x.b[x.phys(i)], !yn && y.b[y.phys(i)]
		if l.and {
			switch {
			case (!xn && !xv) || (!yn && !yv):
				out.b[i] = false
			case xn || yn:
				out.setNull(i)
			default:
				out.b[i] = true
			}
			continue
		}
		switch {
		case xv || yv:
			out.b[i] = true
		case xn || yn:
			out.setNull(i)
		}
	}
	return out, nil
}

// not negates a BOOL; NOT NULL is NULL.
type not struct{ x expr }

func (n *not) typ() model.ColumnType { return model.TypeBool }

func (n *not) eval(b *batch) (*vec, error) {
	x, err := n.x.eval(b)
	if err != nil {
		return nil, err
	}
	out := newVec(model.TypeBool, b.n)
	out.nulls = unionNulls(b.n, x)
	for i := range out.b {
		out.b[i] = !x.b[x.phys(i)]
	}
	return out, nil
}

// isNull is x IS [NOT] NULL.
type isNull struct {
	x      expr
	negate bool
}

func (n *isNull) typ() model.ColumnType { return model.TypeBool }

func (n *isNull) eval(b *batch) (*vec, error) {
	x, err := n.x.eval(b)
	if err != nil {
		return nil, err
	}
	out := newVec(model.TypeBool, b.n)
	for i := range out.b {
		out.b[i] = x.isNull(i) != n.negate
	}
	return out, nil
}

// inSet is x [NOT] IN (constants). Values are pre-converted to the
// operand's execution type; for symbols, to dictionary ids.
type inSet struct {
	x      expr
	negate bool
	ints   map[int64]bool
	floats map[float64]bool
	texts  map[string]bool
	syms   map[uint32]bool
	bools  map[bool]bool
	// hasNull: the list contains NULL, so a non-match is NULL, not false.
	hasNull bool
}

func (s *inSet) typ() model.ColumnType { return model.TypeBool }

func (s *inSet) eval(b *batch) (*vec, error) {
	x, err := s.x.eval(b)
	if err != nil {
		return nil, err
	}
	out := newVec(model.TypeBool, b.n)
	for i := range out.b {
		if x.isNull(i) {
			out.setNull(i)
			continue
		}
		hit := s.contains(x, x.phys(i))
		if !hit && s.hasNull {
			out.setNull(i)
			continue
		}
		out.b[i] = hit != s.negate
	}
	return out, nil
}

func (s *inSet) contains(x *vec, p int) bool {
	switch x.typ {
	case model.TypeInt64, model.TypeTimestamp:
		return s.ints[x.i64[p]]
	case model.TypeFloat64:
		return s.floats[x.f64[p]]
	case model.TypeSymbol:
		return s.syms[x.sym[p]]
	case model.TypeBool:
		return s.bools[x.b[p]]
	}
	return s.texts[x.s[p]]
}
