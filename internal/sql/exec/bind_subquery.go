package exec

import (
	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// bindSubquery runs an uncorrelated subquery once and binds its result as
// constants: a scalar for (SELECT ...), a value set for IN (SELECT ...), a
// boolean for EXISTS. A subquery naming columns of the outer query fails
// with its own "unknown column" error: correlated subqueries are not
// supported.
func (s *scope) bindSubquery(e parser.Expr) (expr, error) {
	if s.subquery == nil {
		return nil, errAt(CodeNotSupported, e.Pos(), "a subquery is not allowed here")
	}
	switch e := e.(type) {
	case *parser.ExistsExpr:
		res, err := s.subquery(e.Query)
		if err != nil {
			return nil, err
		}
		return scalarBool(res.Rows > 0), nil
	case *parser.SubqueryExpr:
		res, err := s.subquery(e.Query)
		if err != nil {
			return nil, err
		}
		if len(res.Columns) != 1 || res.Rows > 1 {
			return nil, errAt(CodeBadArguments, e.Pos(), "a scalar subquery must return one column and at most one row (got %d columns, %d rows)", len(res.Columns), res.Rows)
		}
		if res.Rows == 0 {
			return scalarNull(execType(res.Columns[0].Type)), nil
		}
		return cellConst(res.Columns[0].Data, 0), nil
	case *parser.InSubqueryExpr:
		x, err := s.bind(e.X)
		if err != nil {
			return nil, err
		}
		res, err := s.subquery(e.Query)
		if err != nil {
			return nil, err
		}
		if len(res.Columns) != 1 {
			return nil, errAt(CodeBadArguments, e.Pos(), "IN (SELECT ...) must return one column, got %d", len(res.Columns))
		}
		set := &inSet{x: x, negate: e.Not, ints: map[int64]bool{}, floats: map[float64]bool{},
			texts: map[string]bool{}, syms: map[uint32]bool{}, bools: map[bool]bool{}}
		dict := s.dictOf(x)
		for i := 0; i < res.Rows; i++ {
			if err := set.add(x.typ(), dict, cellConst(res.Columns[0].Data, i)); err != nil {
				return nil, errAt(CodeTypeMismatch, e.Pos(), "%v", err)
			}
		}
		return fold(set)
	}
	return nil, errAt(CodeNotSupported, e.Pos(), "unsupported subquery")
}

// cellConst makes a constant of one result cell.
func cellConst(v *column.Vector, row int) *constExpr {
	t := execType(v.Type)
	if t == model.TypeSymbol {
		t = model.TypeString
	}
	if v.IsNull(row) {
		return scalarNull(t)
	}
	switch t {
	case model.TypeInt64, model.TypeTimestamp:
		return scalarInt(t, v.Int64[row])
	case model.TypeFloat64:
		return scalarFloat(v.Float64[row])
	case model.TypeBool:
		return scalarBool(v.Bool[row])
	}
	return scalarString(v.String[row])
}

// bindIsDistinct is x IS [NOT] DISTINCT FROM y: equality where two NULLs
// are equal and the answer is never NULL.
func (s *scope) bindIsDistinct(e *parser.IsDistinctExpr) (expr, error) {
	x, err := s.bind(e.X)
	if err != nil {
		return nil, err
	}
	y, err := s.bind(e.Y)
	if err != nil {
		return nil, err
	}
	eq, err := s.bindCompare(e.Pos(), opEq, x, y)
	if err != nil {
		return nil, err
	}
	bothNull := &logic{and: true, l: &isNull{x: x}, r: &isNull{x: y}}
	oneNull := &logic{and: false, l: &isNull{x: x}, r: &isNull{x: y}}
	// same: both NULL, or neither NULL and equal.
	same := &caseExpr{conds: []expr{bothNull, oneNull}, results: []expr{scalarBool(true), scalarBool(false)}, els: eq, t: model.TypeBool}
	if e.Not {
		return foldAll(same, same.conds...)
	}
	return foldAll(&not{x: same}, same.conds...)
}
