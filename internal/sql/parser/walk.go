package parser

// Inspect calls f for e and then, if f returns true, for each of e's
// sub-expressions in source order. It lets the binder find aggregates and
// column references without its own copy of this type switch.
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
		add(e.Args...)
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
