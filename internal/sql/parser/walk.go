package parser

// Inspect calls f for e and then, if f returns true, for each of e's
// sub-expressions in source order. It lets the binder find aggregates and
// column references without its own copy of this type switch.
//
// Inspect stays within one query: it does not descend into the query of a
// *SubqueryExpr, *ExistsExpr or *InSubqueryExpr (only into the X of the
// latter), since a subquery's columns and aggregates belong to its own
// scope. A *FuncCall's sub-expressions are its Params, Args, Filter and
// the expressions of its window (PARTITION BY, ORDER BY, frame offsets).
func Inspect(e Expr, f func(Expr) bool) {
	if e == nil || !f(e) {
		return
	}
	for _, c := range children(e) {
		Inspect(c, f)
	}
}

// children returns the direct sub-expressions of e, nils omitted.
func children(e Expr) []Expr {
	var out []Expr
	add := func(xs ...Expr) {
		for _, x := range xs {
			if x != nil {
				out = append(out, x)
			}
		}
	}
	switch e := e.(type) {
	case *FuncCall:
		add(e.Params...)
		add(e.Args...)
		add(e.Filter)
		if w := e.Over; w != nil {
			add(w.PartitionBy...)
			for _, o := range w.OrderBy {
				add(o.Expr)
			}
			if f := w.Frame; f != nil {
				add(f.Start.Offset)
				if f.End != nil {
					add(f.End.Offset)
				}
			}
		}
	case *UnaryExpr:
		add(e.X)
	case *BinaryExpr:
		add(e.L, e.R)
	case *BetweenExpr:
		add(e.X, e.Lo, e.Hi)
	case *InExpr:
		add(e.X)
		add(e.List...)
	case *IsNullExpr:
		add(e.X)
	case *InSubqueryExpr:
		add(e.X)
	case *IsDistinctExpr:
		add(e.X, e.Y)
	case *LikeExpr:
		add(e.X, e.Pattern)
	case *CastExpr:
		add(e.X)
	case *CaseExpr:
		add(e.Operand)
		for _, w := range e.Whens {
			add(w.Cond, w.Result)
		}
		add(e.Else)
	}
	return out
}
