package parser

// Rewrite returns e with sub-expressions replaced: f is called for e and,
// unless it returns a replacement (non-nil), for each sub-expression that
// Inspect would visit. Nodes on the path to a replacement are copied; e
// itself is never modified, so a rewritten query can share the parts it
// did not change with the original.
func Rewrite(e Expr, f func(Expr) Expr) Expr {
	if e == nil {
		return nil
	}
	if r := f(e); r != nil {
		return r
	}
	rw := func(x Expr) Expr { return Rewrite(x, f) }
	all := func(xs []Expr) []Expr {
		if xs == nil {
			return nil
		}
		out := make([]Expr, len(xs))
		for i, x := range xs {
			out[i] = rw(x)
		}
		return out
	}
	switch e := e.(type) {
	case *FuncCall:
		c := *e
		c.Params, c.Args, c.Filter = all(e.Params), all(e.Args), rw(e.Filter)
		if w := e.Over; w != nil {
			cw := *w
			cw.PartitionBy = all(w.PartitionBy)
			cw.OrderBy = make([]OrderItem, len(w.OrderBy))
			for i, o := range w.OrderBy {
				o.Expr = rw(o.Expr)
				cw.OrderBy[i] = o
			}
			c.Over = &cw
		}
		return &c
	case *UnaryExpr:
		c := *e
		c.X = rw(e.X)
		return &c
	case *BinaryExpr:
		c := *e
		c.L, c.R = rw(e.L), rw(e.R)
		return &c
	case *BetweenExpr:
		c := *e
		c.X, c.Lo, c.Hi = rw(e.X), rw(e.Lo), rw(e.Hi)
		return &c
	case *InExpr:
		c := *e
		c.X, c.List = rw(e.X), all(e.List)
		return &c
	case *IsNullExpr:
		c := *e
		c.X = rw(e.X)
		return &c
	case *InSubqueryExpr:
		c := *e
		c.X = rw(e.X)
		return &c
	case *IsDistinctExpr:
		c := *e
		c.X, c.Y = rw(e.X), rw(e.Y)
		return &c
	case *LikeExpr:
		c := *e
		c.X, c.Pattern = rw(e.X), rw(e.Pattern)
		return &c
	case *CastExpr:
		c := *e
		c.X = rw(e.X)
		return &c
	case *CaseExpr:
		c := *e
		c.Operand, c.Else = rw(e.Operand), rw(e.Else)
		c.Whens = make([]WhenClause, len(e.Whens))
		for i, w := range e.Whens {
			c.Whens[i] = WhenClause{Cond: rw(w.Cond), Result: rw(w.Result)}
		}
		return &c
	}
	return e
}
