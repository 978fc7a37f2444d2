package main

import (
	"fmt"
	"strings"
)

// More of the grammar fuzz: aggregate FILTER, window functions and joins.
// Only constructs whose answer does not depend on the order of rows with
// equal sort keys are generated: window aggregates over RANGE frames
// (peers share a frame) or whole partitions, rank and dense_rank, never
// ROWS frames, row_number or lag over keys with duplicates.

// filteredAgg is an aggregate with FILTER (WHERE ...), the same text in
// both dialects.
func (g *fuzzGen) filteredAgg() fexpr {
	p := g.pred(1)
	switch g.n(4) {
	case 0:
		return fexpr{z: "count(*) FILTER (WHERE " + p.z + ")", d: "count(*) FILTER (WHERE " + p.d + ")", k: fInt}
	case 1:
		e := g.num(1)
		return fexpr{z: "sum(" + e.z + ") FILTER (WHERE " + p.z + ")", d: "sum(" + e.d + ") FILTER (WHERE " + p.d + ")", k: e.k}
	case 2:
		c := pick(g, "price", "volume", "qty")
		return fexpr{z: "avg(" + c + ") FILTER (WHERE " + p.z + ")", d: "avg(" + c + ") FILTER (WHERE " + p.d + ")", k: fFloat}
	}
	c := pick(g, "symbol", "note", "qty")
	f := pick(g, "min", "max", "count")
	return fexpr{z: f + "(" + c + ") FILTER (WHERE " + p.z + ")", d: f + "(" + c + ") FILTER (WHERE " + p.d + ")", k: fStr}
}

// windowSpec returns an OVER clause and whether it has an ORDER BY key.
func (g *fuzzGen) windowSpec() (string, string, bool) {
	part := pick(g, "", "PARTITION BY symbol", "PARTITION BY flag", "PARTITION BY symbol, flag")
	key := pick(g, "", "ts", "qty", "price", "volume")
	if key == "" {
		return "(" + part + ")", "", false
	}
	desc := ""
	if g.chance(30) {
		desc = " DESC"
	}
	order := " ORDER BY " + key + desc
	frame := ""
	switch g.n(4) {
	case 0:
		lo, hi := g.rangeOffset(key), g.rangeOffset(key)
		frame = " RANGE BETWEEN " + lo + " PRECEDING AND " + hi + " FOLLOWING"
	case 1:
		frame = " RANGE BETWEEN " + g.rangeOffset(key) + " PRECEDING AND CURRENT ROW"
	case 2:
		frame = " RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"
	}
	return "(" + strings.TrimSpace(part+order+frame) + ")", key, true
}

// rangeOffset is a RANGE offset for a key: nanoseconds for ts.
func (g *fuzzGen) rangeOffset(key string) string {
	switch key {
	case "ts":
		return fmt.Sprint(int64(g.between(0, 90)) * nsPerMinute)
	case "price":
		return fmt.Sprintf("%d.5", g.between(0, 5))
	case "volume":
		return fmt.Sprint(g.between(0, 300))
	}
	return fmt.Sprint(g.between(0, 20))
}

// windowed is a SELECT of window functions, ordered by every column.
func (g *fuzzGen) windowed() diffQuery {
	zs, ds := []string{"ts", "symbol"}, []string{"ts", "symbol"}
	for range g.between(1, 3) {
		over, _, ordered := g.windowSpec()
		var f string
		switch n := g.n(6); {
		case n == 0 && ordered:
			f = pick(g, "rank()", "dense_rank()")
		case n == 1:
			f = "count(*)"
		default:
			f = pick(g, "sum", "avg", "min", "max", "count") + "(" + pick(g, "price", "volume", "qty") + ")"
		}
		zs, ds = append(zs, f+" OVER "+over), append(ds, f+" OVER "+over)
	}
	wz, wd := g.where(2)
	var ord []string
	for i := range zs {
		ord = append(ord, fmt.Sprint(i+1))
	}
	o := " ORDER BY " + strings.Join(ord, ", ")
	lz, ld := g.limit(3000)
	return diffQuery{
		zepto: "SELECT " + strings.Join(zs, ", ") + " FROM t" + wz + o + lz,
		duck:  "SELECT " + strings.Join(ds, ", ") + " FROM t" + wd + o + ld,
	}
}

// joined is an aggregate over a self-join of t on one selective key (qty
// or note) and maybe the symbol, of a random kind, with filters on either
// side.
func (g *fuzzGen) joined() diffQuery {
	kind := pick(g, "JOIN", "INNER JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "FULL OUTER JOIN")
	key := pick(g, "qty", "note")
	on := []string{"a." + key + " = b." + key}
	if g.chance(50) {
		on = append(on, "a.symbol = b.symbol")
	}
	using := ""
	if len(on) == 1 && on[0] == "a.qty = b.qty" && g.chance(30) {
		using = " USING (qty)"
	}
	if strings.HasPrefix(kind, "LEFT") && g.chance(50) {
		on = append(on, fmt.Sprintf("b.price %s %d", pick(g, "<", ">"), g.between(80, 120)))
	}
	cond := " ON " + strings.Join(on, " AND ")
	if using != "" {
		cond = using
	}
	var where []string
	if g.chance(40) {
		where = append(where, fmt.Sprintf("a.price > %d", g.between(80, 120)))
	}
	if g.chance(40) {
		where = append(where, fmt.Sprintf("b.volume < %d", g.between(100, 900)))
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	aggs := "count(*), count(a.price), count(b.price), sum(a.volume), sum(b.qty), min(b.note), max(a.ts)"
	q := "SELECT " + aggs + " FROM t a " + kind + " t b" + cond + w
	if g.chance(50) {
		q = "SELECT a.symbol AS s, " + aggs + " FROM t a " + kind + " t b" + cond + w + " GROUP BY a.symbol ORDER BY s NULLS LAST"
	}
	return diffQuery{zepto: q, duck: q}
}

// correlated is a predicate with a correlated subquery over t aliased i,
// tied to the outer t by one or two equalities.
func (g *fuzzGen) correlated() fexpr {
	keys := "i.symbol = t.symbol"
	if g.chance(40) {
		col := pick(g, "qty", "flag", "note")
		keys += " AND i." + col + " = t." + col
	}
	inner := g.pred(1)
	if g.chance(35) {
		not := pick(g, "", "NOT ")
		return fexpr{z: not + "EXISTS (SELECT 1 FROM t i WHERE " + keys + " AND " + inner.z + ")",
			d: not + "EXISTS (SELECT 1 FROM t i WHERE " + keys + " AND " + inner.d + ")", k: fBool}
	}
	agg := pick(g, "avg(i.price)", "max(i.volume)", "min(i.qty)", "count(*)", "sum(i.volume)")
	op := pick(g, ">", "<", ">=", "=")
	lhs := pick(g, "price", "volume", "qty")
	if agg == "count(*)" {
		lhs = fmt.Sprint(g.between(0, 5))
	}
	q := lhs + " " + op + " (SELECT " + agg + " FROM t i WHERE " + keys + " AND "
	return fexpr{z: q + inner.z + ")", d: q + inner.d + ")", k: fBool}
}
