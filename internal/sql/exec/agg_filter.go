package exec

import "github.com/zeptodb/zeptodb/internal/sql/parser"

// rewriteAggFilters turns agg(x, ...) FILTER (WHERE cond) into
// agg(CASE WHEN cond THEN x END, ...), and count(*) FILTER (WHERE cond)
// into count(CASE WHEN cond THEN 1 END). Every aggregate skips the rows
// where its arguments are NULL, so the rows that fail cond drop out and
// nothing else changes. It returns s itself when there is no FILTER.
func rewriteAggFilters(s *parser.Select) (*parser.Select, error) {
	var err error
	found := false
	rw := func(e parser.Expr) parser.Expr {
		return parser.Rewrite(e, func(n parser.Expr) parser.Expr {
			f, ok := n.(*parser.FuncCall)
			if !ok || f.Filter == nil {
				return nil
			}
			found = true
			if !isAggregate(f) && err == nil {
				err = errAt(CodeBadArguments, f.Pos(), "FILTER (WHERE ...) applies to aggregate functions only")
			}
			return filteredAggregate(f)
		})
	}
	out := *s
	out.Items = make([]parser.SelectItem, len(s.Items))
	for i, it := range s.Items {
		it.Expr = rw(it.Expr)
		out.Items[i] = it
	}
	out.Having, out.Qualify = rw(s.Having), rw(s.Qualify)
	out.OrderBy = make([]parser.OrderItem, len(s.OrderBy))
	for i, o := range s.OrderBy {
		o.Expr = rw(o.Expr)
		out.OrderBy[i] = o
	}
	if !found {
		return s, nil
	}
	return &out, err
}

func filteredAggregate(f *parser.FuncCall) *parser.FuncCall {
	when := func(x parser.Expr) parser.Expr {
		return &parser.CaseExpr{At: f.Filter.Pos(), Whens: []parser.WhenClause{{Cond: f.Filter, Result: x}}}
	}
	out := *f
	out.Filter = nil
	if f.Star {
		out.Star = false
		out.Args = []parser.Expr{when(&parser.IntLit{At: f.At, Value: 1, Text: "1"})}
		return &out
	}
	out.Args = make([]parser.Expr, len(f.Args))
	for i, a := range f.Args {
		out.Args[i] = when(a)
	}
	return &out
}
