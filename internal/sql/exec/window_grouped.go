package exec

import (
	"strconv"
	"strings"

	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// Window functions over grouped rows (SELECT sym, bar, last(px) AS close,
// close - lag(close) OVER (PARTITION BY sym ORDER BY bar) ... GROUP BY
// sym, bar) run as two queries: the grouping, with every GROUP BY key and
// aggregate as a column of a derived table, and the windows over that
// table's rows, where each key and aggregate is read back as a column.

const (
	groupedKeyPrefix = "_zkey"
	groupedAggPrefix = "_zagg"
	groupedTable     = "_zgrouped"
)

// groupedWindows reports whether s computes window functions over the
// rows of a GROUP BY or an aggregation.
func groupedWindows(s *parser.Select) bool {
	exprs := append(selectExprs(s), s.Qualify)
	if len(windowCalls(exprs...)) == 0 {
		return false
	}
	if len(s.GroupBy) > 0 || s.Having != nil {
		return true
	}
	found := false
	for _, e := range exprs {
		parser.Inspect(e, func(n parser.Expr) bool {
			found = found || isAggregate(n)
			return !found
		})
	}
	return found
}

// selectExprs returns the select list's and ORDER BY's expressions.
func selectExprs(s *parser.Select) []parser.Expr {
	var out []parser.Expr
	for _, it := range s.Items {
		out = append(out, it.Expr)
	}
	return append(out, orderItems(s.OrderBy)...)
}

// splitGroupedWindows rewrites s (see groupedWindows) into windows over a
// derived table holding the grouped rows. t is the table s reads, or nil.
func splitGroupedWindows(s *parser.Select, t *rdb.Table) (*parser.Select, error) {
	switch {
	case s.SampleBy != nil || s.LatestOn != nil:
		return nil, errAt(CodeNotSupported, s.At, "window functions with SAMPLE BY or LATEST ON are not supported")
	case s.Distinct:
		return nil, errAt(CodeNotSupported, s.At, "window functions together with DISTINCT are not supported")
	}
	for _, it := range s.Items {
		if it.Star {
			return nil, errAt(CodeGroupBy, it.At, "SELECT * cannot be combined with GROUP BY")
		}
	}
	keys, err := resolveRefs(s.GroupBy, s.Items, t, false)
	if err != nil {
		return nil, err
	}
	g := &grouping{keys: map[string]int{}, aggs: map[string]int{}}
	inner := &parser.Select{At: s.At, From: s.From, Source: s.Source, Where: s.Where, Having: inlineAliases(s.Having, s.Items, t)}
	for _, k := range keys {
		if _, dup := g.keys[k.String()]; dup {
			continue
		}
		name := groupedKeyPrefix + strconv.Itoa(len(g.keys))
		g.keys[k.String()] = len(g.keys)
		g.keyExprs = append(g.keyExprs, k)
		inner.GroupBy = append(inner.GroupBy, k)
		inner.Items = append(inner.Items, parser.SelectItem{At: k.Pos(), Expr: k, Alias: name})
	}
	outer := *s
	outer.With, outer.From, outer.Where, outer.GroupBy, outer.Having = nil, nil, nil, nil, nil
	outer.Items = make([]parser.SelectItem, len(s.Items))
	for i, it := range s.Items {
		e := inlineAliases(it.Expr, s.Items, t) // close - lag(close) OVER ... with last(px) AS close
		outer.Items[i] = parser.SelectItem{At: it.At, Expr: g.subst(e, inner), Alias: itemName(it)}
	}
	outer.OrderBy = make([]parser.OrderItem, len(s.OrderBy))
	for i, o := range s.OrderBy {
		o.Expr = g.subst(o.Expr, inner)
		outer.OrderBy[i] = o
	}
	outer.Qualify = g.subst(inlineAliases(s.Qualify, s.Items, t), inner)
	outer.Windows = make([]parser.NamedWindow, len(s.Windows))
	for i, w := range s.Windows {
		spec := *w.Spec
		spec.PartitionBy = make([]parser.Expr, len(w.Spec.PartitionBy))
		for k, e := range w.Spec.PartitionBy {
			spec.PartitionBy[k] = g.subst(inlineAliases(e, s.Items, t), inner)
		}
		spec.OrderBy = make([]parser.OrderItem, len(w.Spec.OrderBy))
		for k, o := range w.Spec.OrderBy {
			o.Expr = g.subst(inlineAliases(o.Expr, s.Items, t), inner)
			spec.OrderBy[k] = o
		}
		outer.Windows[i] = parser.NamedWindow{At: w.At, Name: w.Name, Spec: &spec}
	}
	outer.Source = &parser.SubqueryRef{At: s.At, Query: inner, Alias: groupedTable}
	return &outer, g.checkUngrouped(&outer)
}

// grouping maps GROUP BY keys and aggregate calls to the derived table's
// columns.
type grouping struct {
	keys, aggs map[string]int // by expression text
	keyExprs   []parser.Expr
}

// subst replaces keys and aggregates in e by the derived table's columns,
// adding each new aggregate to inner's select list.
func (g *grouping) subst(e parser.Expr, inner *parser.Select) parser.Expr {
	return parser.Rewrite(e, func(n parser.Expr) parser.Expr {
		if k, ok := g.keys[n.String()]; ok {
			return &parser.ColumnRef{At: n.Pos(), Name: groupedKeyPrefix + strconv.Itoa(k)}
		}
		if c, ok := n.(*parser.ColumnRef); ok {
			for i, k := range g.keyExprs { // t.sym grouped, sym selected (or the reverse)
				if kc, ok := k.(*parser.ColumnRef); ok && strings.EqualFold(kc.Name, c.Name) && (kc.Table == "" || c.Table == "") {
					return &parser.ColumnRef{At: n.Pos(), Name: groupedKeyPrefix + strconv.Itoa(i)}
				}
			}
		}
		if !isAggregate(n) {
			return nil
		}
		k, ok := g.aggs[n.String()]
		if !ok {
			k = len(g.aggs)
			g.aggs[n.String()] = k
			inner.Items = append(inner.Items, parser.SelectItem{At: n.Pos(), Expr: n, Alias: groupedAggPrefix + strconv.Itoa(k)})
		}
		return &parser.ColumnRef{At: n.Pos(), Name: groupedAggPrefix + strconv.Itoa(k)}
	})
}

// checkUngrouped fails on a column read outside GROUP BY and aggregates:
// after subst only the derived table's columns and select-list aliases
// (in ORDER BY and QUALIFY) remain.
func (g *grouping) checkUngrouped(outer *parser.Select) error {
	aliases := map[string]bool{}
	for _, it := range outer.Items {
		aliases[strings.ToLower(it.Alias)] = true
	}
	var err error
	check := func(e parser.Expr, aliasOK bool) {
		parser.Inspect(e, func(n parser.Expr) bool {
			c, ok := n.(*parser.ColumnRef)
			if ok && err == nil && !strings.HasPrefix(c.Name, "_z") && !(aliasOK && c.Table == "" && aliases[strings.ToLower(c.Name)]) {
				err = errAt(CodeGroupBy, c.Pos(), "column %s must appear in GROUP BY or be used in an aggregate", c.String())
			}
			return err == nil
		})
	}
	for _, it := range outer.Items {
		check(it.Expr, false)
	}
	for _, o := range outer.OrderBy {
		check(o.Expr, true)
	}
	check(outer.Qualify, true)
	return err
}

// inlineAliases replaces select-list aliases in e (HAVING, or another
// item) by their expressions, as the binder resolves them, so e can move
// into the grouping query.
func inlineAliases(e parser.Expr, items []parser.SelectItem, t *rdb.Table) parser.Expr {
	return parser.Rewrite(e, func(n parser.Expr) parser.Expr {
		c, ok := n.(*parser.ColumnRef)
		if !ok || c.Table != "" || (t != nil && t.Schema.ColumnIndex(c.Name) >= 0) {
			return nil
		}
		for _, it := range items {
			if it.Alias != "" && strings.EqualFold(it.Alias, c.Name) {
				return it.Expr
			}
		}
		return nil
	})
}
