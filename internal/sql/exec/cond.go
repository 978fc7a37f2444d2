package exec

import (
	"fmt"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// caseExpr is CASE WHEN c1 THEN r1 ... ELSE e END; COALESCE, NULLIF and
// if(c, a, b) compile to it. Each branch is evaluated only on the rows
// routed to it, so that a branch that would fail (an overflow, a bad
// cast) on rows it does not answer for does not fail the query.
type caseExpr struct {
	conds   []expr
	results []expr
	els     expr // nil: NULL
	t       model.ColumnType
}

func (c *caseExpr) typ() model.ColumnType { return c.t }

func (c *caseExpr) eval(b *batch) (*vec, error) {
	out := newVec(c.t, b.n)
	pos := make([]int, b.n)    // logical output positions still undecided
	phys := make([]int32, b.n) // their physical rows
	for i := range pos {
		pos[i], phys[i] = i, int32(physRow(b, i))
	}
	for w, cond := range c.conds {
		if len(pos) == 0 {
			return out, nil
		}
		cv, err := cond.eval(subBatch(b, phys))
		if err != nil {
			return nil, err
		}
		var hitPos, restPos []int
		var hitPhys, restPhys []int32
		for i := range pos {
			if !cv.isNull(i) && cv.b[cv.phys(i)] {
				hitPos, hitPhys = append(hitPos, pos[i]), append(hitPhys, phys[i])
			} else {
				restPos, restPhys = append(restPos, pos[i]), append(restPhys, phys[i])
			}
		}
		if err := c.fill(out, c.results[w], b, hitPos, hitPhys); err != nil {
			return nil, err
		}
		pos, phys = restPos, restPhys
	}
	if c.els == nil {
		for _, p := range pos {
			out.setNull(p)
		}
		return out, nil
	}
	return out, c.fill(out, c.els, b, pos, phys)
}

// subBatch is b narrowed to the given physical rows.
func subBatch(b *batch, phys []int32) *batch {
	s := *b
	s.sel, s.n, s.sels = phys, len(phys), nil
	return &s
}

// fill evaluates e on the rows phys and writes the values at pos of out.
func (c *caseExpr) fill(out *vec, e expr, b *batch, pos []int, phys []int32) error {
	if len(pos) == 0 {
		return nil
	}
	v, err := e.eval(subBatch(b, phys))
	if err != nil {
		return err
	}
	for k, p := range pos {
		setValue(out, p, v, k)
	}
	return nil
}

// setValue writes logical row k of src into row p of the dense vector
// dst, converting integers to floats and symbols to text as dst's type
// requires.
func setValue(dst *vec, p int, src *vec, k int) {
	if src.isNull(k) {
		dst.setNull(p)
		return
	}
	s := src.phys(k)
	switch dst.typ {
	case model.TypeInt64, model.TypeTimestamp:
		dst.i64[p] = src.i64[s]
	case model.TypeFloat64:
		dst.f64[p] = src.float(k)
	case model.TypeBool:
		dst.b[p] = src.b[s]
	default:
		dst.s[p] = src.text(k)
	}
}

// commonType is the type a CASE or COALESCE result takes: integers widen
// to floats, symbols read as text, NULL constants adapt.
func commonType(pos parser.Pos, es ...expr) (model.ColumnType, error) {
	t := model.TypeInvalid
	for _, e := range es {
		if c, ok := e.(*constExpr); e == nil || ok && c.bare {
			continue // a bare NULL takes the other branches' type
		}
		u := e.typ()
		if u == model.TypeSymbol {
			u = model.TypeString
		}
		switch {
		case t == model.TypeInvalid || t == u:
			t = u
		case t.IsNumeric() && u.IsNumeric():
			if t == model.TypeFloat64 || u == model.TypeFloat64 {
				t = model.TypeFloat64
			} else {
				t = model.TypeInt64 // TIMESTAMP mixed with INT64
			}
		default:
			return 0, errAt(CodeTypeMismatch, pos, "branches have incompatible types %s and %s", t, u)
		}
	}
	if t == model.TypeInvalid {
		t = model.TypeInt64 // every branch is NULL
	}
	return t, nil
}

func (s *scope) bindCase(e *parser.CaseExpr) (expr, error) {
	c := &caseExpr{}
	var operand expr
	if e.Operand != nil {
		var err error
		if operand, err = s.bind(e.Operand); err != nil {
			return nil, err
		}
	}
	for _, w := range e.Whens {
		var cond expr
		var err error
		if operand != nil {
			cond, err = s.bindWhenValue(operand, w.Cond)
		} else {
			cond, err = s.bind(w.Cond)
		}
		if err != nil {
			return nil, err
		}
		if cond = nullAsBool(cond); cond.typ() != model.TypeBool {
			return nil, errAt(CodeTypeMismatch, w.Cond.Pos(), "WHEN needs a BOOL condition, got %s", cond.typ())
		}
		r, err := s.bind(w.Result)
		if err != nil {
			return nil, err
		}
		c.conds, c.results = append(c.conds, cond), append(c.results, r)
	}
	if e.Else != nil {
		els, err := s.bind(e.Else)
		if err != nil {
			return nil, err
		}
		c.els = els
	}
	return c.typed(e.Pos())
}

// bindWhenValue binds "operand = value" for the simple CASE form.
func (s *scope) bindWhenValue(operand expr, value parser.Expr) (expr, error) {
	v, err := s.bind(value)
	if err != nil {
		return nil, err
	}
	return s.bindCompare(value.Pos(), opEq, operand, v)
}

// typed settles the result type and folds an all-constant CASE.
func (c *caseExpr) typed(pos parser.Pos) (expr, error) {
	t, err := commonType(pos, append(append([]expr{}, c.results...), c.els)...)
	if err != nil {
		return nil, err
	}
	c.t = t
	return foldAll(c, append(append(append([]expr{}, c.conds...), c.results...), c.els)...)
}

// foldAll evaluates e once at bind time when all its inputs are constant.
func foldAll(e expr, inputs ...expr) (expr, error) {
	for _, in := range inputs {
		if in == nil {
			continue
		}
		if _, ok := in.(*constExpr); !ok {
			return e, nil
		}
	}
	v, err := e.eval(&batch{n: 1, symCol: -1})
	if err != nil {
		return nil, mapRuntimeError(err)
	}
	v = v.dense()
	v.constant = true
	return &constExpr{v: v}, nil
}

// bindConditional binds coalesce, nullif and if as CASE expressions.
func (s *scope) bindConditional(e *parser.FuncCall, name string, args []expr) (expr, error) {
	c := &caseExpr{}
	switch name {
	case "coalesce", "ifnull":
		if len(args) == 0 {
			return nil, errAt(CodeBadArguments, e.Pos(), "%s needs at least one argument", name)
		}
		for _, a := range args[:len(args)-1] {
			c.conds = append(c.conds, &isNull{x: a, negate: true})
			c.results = append(c.results, a)
		}
		c.els = args[len(args)-1]
	case "nullif":
		if len(args) != 2 {
			return nil, errAt(CodeBadArguments, e.Pos(), "nullif takes 2 arguments, got %d", len(args))
		}
		eq, err := s.bindCompare(e.Pos(), opEq, args[0], args[1])
		if err != nil {
			return nil, err
		}
		c.conds, c.results, c.els = []expr{eq}, []expr{scalarNull(args[0].typ())}, args[0]
	case "if":
		if len(args) != 3 {
			return nil, errAt(CodeBadArguments, e.Pos(), "if takes 3 arguments (condition, then, else), got %d", len(args))
		}
		cond := nullAsBool(args[0])
		if cond.typ() != model.TypeBool {
			return nil, errAt(CodeTypeMismatch, e.Pos(), "if needs a BOOL condition, got %s", cond.typ())
		}
		c.conds, c.results, c.els = []expr{cond}, []expr{args[1]}, args[2]
	default:
		return nil, fmt.Errorf("bindConditional: %s", name)
	}
	return c.typed(e.Pos())
}
