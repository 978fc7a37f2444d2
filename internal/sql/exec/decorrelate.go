package exec

import (
	"context"
	"strconv"
	"strings"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// Correlated subqueries (SELECT ... FROM trades t WHERE price >
// (SELECT avg(price) FROM trades WHERE symbol = t.symbol)) run as joins:
// the subquery, grouped by the inner columns its equalities with the outer
// query name, becomes a derived table that the outer table LEFT JOINs on
// those columns. Supported: a scalar subquery whose select list is one
// aggregate, and EXISTS / NOT EXISTS, each over one table, correlated by
// equalities inner = outer joined by AND, in the WHERE clause or select
// list of a query over one table.

// correlation is one subquery being rewritten.
type correlation struct {
	alias     string        // the derived table's name
	innerKeys []parser.Expr // inner expressions equal to ...
	outerCols []*parser.ColumnRef
	rest      []parser.Expr // the other conjuncts of the inner WHERE
	inner     *parser.Select
	exists    bool // EXISTS: the derived table holds only the keys
}

// decorrelate rewrites s's correlated subqueries; it returns s itself when
// it has none.
func (x *Executor) decorrelate(ctx context.Context, s *parser.Select, env *queryEnv) (*parser.Select, error) {
	if s.From == nil {
		return s, nil
	}
	outer, err := env.table(ctx, x, s.From.Name)
	if err != nil {
		return s, nil // the binder reports it
	}
	d := &decorrelator{x: x, ctx: ctx, env: env, outerQual: refName(s.From), outer: outer.Schema}
	out := *s
	out.Where = d.rewrite(s.Where)
	inWhere := len(d.found)
	out.Items = make([]parser.SelectItem, len(s.Items))
	for i, it := range s.Items {
		if it.Expr != nil {
			it.Expr = d.rewrite(it.Expr)
		}
		out.Items[i] = it
	}
	if d.err != nil || len(d.found) == 0 {
		return s, d.err
	}
	if len(d.found) > inWhere && (len(s.GroupBy) > 0 || s.Having != nil || anyAggregate(itemExprs(s.Items))) {
		return nil, errAt(CodeNotSupported, s.At, "correlated subqueries in the select list of a query with GROUP BY or aggregates are not supported")
	}
	out.Items = expandStarOf(out.Items, d.outerQual, outer.Schema)
	var source parser.TableExpr = s.From
	for _, c := range d.found {
		source = &parser.Join{At: s.At, Kind: parser.JoinLeft, Left: source,
			Right: &parser.SubqueryRef{At: s.At, Query: c.derived(), Alias: c.alias}, On: c.on()}
	}
	out.From, out.Source = nil, source
	return &out, nil
}

type decorrelator struct {
	x         *Executor
	ctx       context.Context
	env       *queryEnv
	outerQual string
	outer     *model.Schema
	found     []*correlation
	err       error
}

// rewrite replaces correlated subqueries in e by derived-table columns.
func (d *decorrelator) rewrite(e parser.Expr) parser.Expr {
	return parser.Rewrite(e, func(n parser.Expr) parser.Expr {
		if d.err != nil {
			return nil
		}
		switch n := n.(type) {
		case *parser.SubqueryExpr:
			c := d.correlated(n.Query, n.At)
			if c == nil {
				return nil
			}
			if len(c.inner.Items) != 1 || c.inner.Items[0].Star || !anyAggregate([]parser.Expr{c.inner.Items[0].Expr}) {
				d.err = errAt(CodeNotSupported, n.At, "a correlated scalar subquery must select one aggregate")
				return nil
			}
			v := parser.Expr(&parser.ColumnRef{At: n.At, Table: c.alias, Name: "_zv"})
			switch agg := c.inner.Items[0].Expr.(type) {
			case *parser.FuncCall:
				if strings.EqualFold(agg.Name, "count") { // count over no rows is 0, not NULL
					v = &parser.FuncCall{At: n.At, Name: "coalesce", Args: []parser.Expr{v, &parser.IntLit{At: n.At, Value: 0, Text: "0"}}}
				}
			default:
				if strings.Contains(strings.ToLower(agg.String()), "count(") {
					d.err = errAt(CodeNotSupported, n.At, "a correlated scalar subquery with count inside an expression is not supported")
				}
			}
			return v
		case *parser.ExistsExpr:
			c := d.correlated(n.Query, n.At)
			if c == nil {
				return nil
			}
			c.exists = true
			return &parser.IsNullExpr{At: n.At, X: &parser.ColumnRef{At: n.At, Table: c.alias, Name: "_zk0"}, Not: true}
		}
		return nil
	})
}

// correlated analyses a subquery; nil when it is not correlated (or when
// it failed, with d.err set).
func (d *decorrelator) correlated(q parser.Query, at parser.Pos) *correlation {
	inner, ok := q.(*parser.Select)
	if !ok || inner.From == nil || len(inner.With) > 0 || len(inner.GroupBy) > 0 || inner.Having != nil || inner.Limit != nil {
		return nil // not a form this rewrite knows; uncorrelated ones run as they are
	}
	t, err := d.env.table(d.ctx, d.x, inner.From.Name)
	if err != nil {
		return nil
	}
	c := &correlation{alias: "_zsq" + strconv.Itoa(len(d.found)), inner: inner}
	innerQual := refName(inner.From)
	for _, term := range conjuncts(inner.Where) {
		if !d.readsOuter(term, innerQual, t.Schema) {
			c.rest = append(c.rest, term)
			continue
		}
		key, col := d.equality(term, innerQual, t.Schema)
		if col == nil {
			d.err = errAt(CodeNotSupported, term.Pos(), "a correlated subquery may refer to the outer query only in inner = outer equalities, not %s", term.String())
			return nil
		}
		c.innerKeys, c.outerCols = append(c.innerKeys, key), append(c.outerCols, col)
	}
	if len(c.innerKeys) == 0 {
		return nil
	}
	d.found = append(d.found, c)
	return c
}

// isOuter reports whether a column reference names the outer table.
func (d *decorrelator) isOuter(c *parser.ColumnRef, innerQual string, inner *model.Schema) bool {
	if c.Table != "" {
		return strings.EqualFold(c.Table, d.outerQual) && !strings.EqualFold(c.Table, innerQual)
	}
	return inner.ColumnIndex(c.Name) < 0 && d.outer.ColumnIndex(c.Name) >= 0
}

func (d *decorrelator) readsOuter(e parser.Expr, innerQual string, inner *model.Schema) bool {
	found := false
	parser.Inspect(e, func(n parser.Expr) bool {
		if c, ok := n.(*parser.ColumnRef); ok && d.isOuter(c, innerQual, inner) {
			found = true
		}
		return !found
	})
	return found
}

// equality splits inner = outer (either order) into its sides; col is nil
// for any other term.
func (d *decorrelator) equality(term parser.Expr, innerQual string, inner *model.Schema) (parser.Expr, *parser.ColumnRef) {
	b, ok := term.(*parser.BinaryExpr)
	if !ok || b.Op != "=" {
		return nil, nil
	}
	for _, sides := range [][2]parser.Expr{{b.L, b.R}, {b.R, b.L}} {
		col, ok := sides[1].(*parser.ColumnRef)
		if ok && d.isOuter(col, innerQual, inner) && !d.readsOuter(sides[0], innerQual, inner) {
			return sides[0], &parser.ColumnRef{At: col.At, Table: d.outerQual, Name: col.Name}
		}
	}
	return nil, nil
}

// derived is the subquery grouped by its correlation keys.
func (c *correlation) derived() *parser.Select {
	at := c.innerKeys[0].Pos()
	src := &parser.Select{At: at, Where: andAll(c.rest), From: c.inner.From, Source: c.inner.Source}
	for i, k := range c.innerKeys {
		src.Items = append(src.Items, parser.SelectItem{At: at, Expr: k, Alias: "_zk" + strconv.Itoa(i)})
		src.GroupBy = append(src.GroupBy, k)
	}
	if !c.exists {
		src.Items = append(src.Items, parser.SelectItem{At: at, Expr: c.inner.Items[0].Expr, Alias: "_zv"})
	}
	return src
}

// on is the join condition: every key equal to its outer column.
func (c *correlation) on() parser.Expr {
	var on parser.Expr
	for i, col := range c.outerCols {
		k := &parser.ColumnRef{At: col.At, Table: c.alias, Name: "_zk" + strconv.Itoa(i)}
		on = andWhere(on, &parser.BinaryExpr{At: col.At, Op: "=", L: k, R: col})
	}
	return on
}

// expandStarOf replaces * by the outer table's columns, so that the
// derived tables joined in do not show.
func expandStarOf(items []parser.SelectItem, qual string, s *model.Schema) []parser.SelectItem {
	var out []parser.SelectItem
	for _, it := range items {
		if !it.Star || it.StarTable != "" {
			out = append(out, it)
			continue
		}
		for _, c := range s.Columns {
			out = append(out, parser.SelectItem{At: it.At, Expr: &parser.ColumnRef{At: it.At, Table: qual, Name: c.Name}, Alias: c.Name})
		}
	}
	return out
}
