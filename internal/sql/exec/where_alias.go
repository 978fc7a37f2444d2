package exec

import (
	"context"
	"strings"

	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// whereAliases lets WHERE name a SELECT alias, as ClickHouse does (and
// Grafana's query builder relies on: SELECT ts AS "time" ... WHERE time
// >= ...): an unqualified name that is no column of the FROM table but is
// the alias of a non-aggregate select item stands for that item's
// expression. A real column always wins, so standard SQL reads the same.
func (x *Executor) whereAliases(ctx context.Context, s *parser.Select, env *queryEnv) parser.Expr {
	aliases := map[string]parser.Expr{}
	for _, it := range s.Items {
		if it.Alias != "" && it.Expr != nil && firstAggregate(it.Expr) == nil {
			aliases[strings.ToLower(it.Alias)] = it.Expr
		}
	}
	if len(aliases) == 0 {
		return s.Where
	}
	isColumn := func(string) bool { return false }
	if s.From != nil {
		if t, err := env.table(ctx, x, s.From.Name); err == nil {
			isColumn = func(name string) bool { return t.Schema.ColumnIndex(name) >= 0 }
		}
	} else if s.Source != nil {
		return s.Where // joins and subqueries: names stay as written
	}
	return parser.Rewrite(s.Where, func(e parser.Expr) parser.Expr {
		switch e := e.(type) {
		case *parser.SubqueryExpr, *parser.ExistsExpr:
			return e // its names belong to its own FROM
		case *parser.InSubqueryExpr:
			in := *e
			in.X = parser.Rewrite(e.X, func(y parser.Expr) parser.Expr { return aliasOf(y, aliases, isColumn) })
			return &in
		}
		return aliasOf(e, aliases, isColumn)
	})
}

// aliasOf is the select item an unqualified non-column name stands for,
// or nil.
func aliasOf(e parser.Expr, aliases map[string]parser.Expr, isColumn func(string) bool) parser.Expr {
	c, ok := e.(*parser.ColumnRef)
	if !ok || c.Table != "" || isColumn(c.Name) {
		return nil
	}
	return aliases[strings.ToLower(c.Name)]
}
