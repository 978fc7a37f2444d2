package exec

import (
	"strconv"

	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// distinctOverGroups rewrites SELECT DISTINCT with GROUP BY or aggregates
// into SELECT DISTINCT over the grouped rows as a derived table; ORDER BY
// must then name select-list columns, as SQL requires with DISTINCT. It
// returns s itself when it does not apply.
func distinctOverGroups(s *parser.Select) (*parser.Select, error) {
	if !s.Distinct || (len(s.GroupBy) == 0 && s.Having == nil && !anyAggregate(itemExprs(s.Items))) {
		return s, nil
	}
	inner := *s
	inner.Distinct, inner.OrderBy, inner.Limit, inner.Offset, inner.LimitBy = false, nil, nil, nil, nil
	inner.Items = make([]parser.SelectItem, len(s.Items))
	outer := &parser.Select{At: s.At, Distinct: true, Limit: s.Limit, Offset: s.Offset, LimitBy: s.LimitBy,
		Format: s.Format, Settings: s.Settings}
	names := make([]string, len(s.Items))
	for i, it := range s.Items {
		if it.Star {
			return nil, errAt(CodeGroupBy, it.At, "SELECT * cannot be combined with GROUP BY")
		}
		col := "_zd" + strconv.Itoa(i)
		inner.Items[i] = parser.SelectItem{At: it.At, Expr: it.Expr, Alias: col}
		names[i] = itemName(it)
		outer.Items = append(outer.Items, parser.SelectItem{At: it.At, Expr: &parser.ColumnRef{At: it.At, Name: col}, Alias: names[i]})
	}
	for _, o := range s.OrderBy {
		i := selectColumn(o.Expr, names)
		for k, it := range s.Items {
			if i < 0 && it.Expr.String() == o.Expr.String() {
				i = k
			}
		}
		if i < 0 {
			return nil, errAt(CodeBadArguments, o.Expr.Pos(), "with SELECT DISTINCT, ORDER BY %s must be in the select list", o.Expr.String())
		}
		o.Expr = &parser.ColumnRef{At: o.Expr.Pos(), Name: "_zd" + strconv.Itoa(i)}
		outer.OrderBy = append(outer.OrderBy, o)
	}
	outer.Source = &parser.SubqueryRef{At: s.At, Query: &inner, Alias: "_zdistinct"}
	return outer, nil
}
