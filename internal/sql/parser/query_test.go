package parser

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestParseQueries(t *testing.T) {
	subAB := &Select{Items: items(col("b")), From: tbl("u", ""), Source: tbl("u", "")}
	tsym := bin("=", qcol("t", "sym"), qcol("q", "sym"))
	checkParseTrees(t, []struct {
		name string
		sql  string
		want Statement
	}{
		{"with", "WITH a AS (SELECT 1), b (x, y) AS (SELECT 2, 3) SELECT * FROM a", &Select{
			With: []CTE{
				{Name: "a", Query: &Select{Items: items(num("1"))}},
				{Name: "b", Columns: []string{"x", "y"}, Query: &Select{Items: items(num("2"), num("3"))}},
			},
			Items: starItems(), From: tbl("a", ""), Source: tbl("a", ""),
		}},
		{"with before a set operation belongs to it", "WITH a AS (SELECT 1) SELECT * FROM a UNION SELECT 2", &SetOp{
			Op:   "UNION",
			With: []CTE{{Name: "a", Query: &Select{Items: items(num("1"))}}},
			L:    &Select{Items: starItems(), From: tbl("a", ""), Source: tbl("a", "")},
			R:    &Select{Items: items(num("2"))},
		}},
		{"subquery in FROM", "SELECT x.b FROM (SELECT b FROM u) AS x", &Select{
			Items: items(qcol("x", "b")), Source: &SubqueryRef{Query: subAB, Alias: "x"},
		}},
		{"subquery in FROM, implicit alias", "SELECT * FROM (SELECT b FROM u) x WHERE x.b > 1", &Select{
			Items: starItems(), Source: &SubqueryRef{Query: subAB, Alias: "x"}, Where: bin(">", qcol("x", "b"), num("1")),
		}},
		{"subquery in FROM without alias", "SELECT * FROM (SELECT b FROM u)", &Select{
			Items: starItems(), Source: &SubqueryRef{Query: subAB},
		}},
		{"union all: ORDER BY and LIMIT apply to the whole", "SELECT b FROM u UNION ALL SELECT 2 ORDER BY 1 LIMIT 5 OFFSET 1", &SetOp{
			Op: "UNION", All: true, L: subAB, R: &Select{Items: items(num("2"))},
			OrderBy: []OrderItem{{Expr: num("1")}}, Limit: num("5"), Offset: num("1"),
		}},
		{"union distinct", "SELECT 1 UNION DISTINCT SELECT 2", &SetOp{
			Op: "UNION", L: &Select{Items: items(num("1"))}, R: &Select{Items: items(num("2"))},
		}},
		{"format and settings after a set operation", "SELECT 1 INTERSECT SELECT 2 FORMAT CSV SETTINGS a = 1", &SetOp{
			Op: "INTERSECT", L: &Select{Items: items(num("1"))}, R: &Select{Items: items(num("2"))},
			Format: "CSV", Settings: []Setting{{Name: "a", Value: num("1")}},
		}},
		{"parenthesized operand keeps its own LIMIT", "(SELECT b FROM u LIMIT 1) EXCEPT SELECT 2", &SetOp{
			Op: "EXCEPT",
			L:  &Select{Items: items(col("b")), From: tbl("u", ""), Source: tbl("u", ""), Limit: num("1")},
			R:  &Select{Items: items(num("2"))},
		}},
		{"parenthesized query alone takes the clauses after it", "((SELECT 1)) ORDER BY 1 FORMAT JSON", &Select{
			Items: items(num("1")), OrderBy: []OrderItem{{Expr: num("1")}}, Format: "JSON",
		}},
		{"scalar subquery", "SELECT (SELECT max(p) FROM t) AS m", &Select{
			Items: []SelectItem{{Expr: &SubqueryExpr{Query: selectFrom("t", call("max", col("p")))}, Alias: "m"}},
		}},
		{"scalar subquery that is a set operation", "SELECT ((SELECT 1 LIMIT 1) UNION SELECT 2)", &Select{
			Items: items(&SubqueryExpr{Query: &SetOp{
				Op: "UNION", L: &Select{Items: items(num("1")), Limit: num("1")}, R: &Select{Items: items(num("2"))},
			}}),
		}},
		{"NOT IN subquery", "SELECT 1 WHERE a NOT IN (SELECT b FROM u)", &Select{
			Items: items(num("1")), Where: &InSubqueryExpr{X: col("a"), Query: subAB, Not: true},
		}},
		{"IN a query whose first operand is parenthesized", "SELECT 1 WHERE a IN ((SELECT b FROM u) UNION SELECT 2)", &Select{
			Items: items(num("1")),
			Where: &InSubqueryExpr{X: col("a"), Query: &SetOp{Op: "UNION", L: subAB, R: &Select{Items: items(num("2"))}}},
		}},
		{"IN a list holding a scalar subquery", "SELECT 1 WHERE a IN ((SELECT b FROM u), 2)", &Select{
			Items: items(num("1")), Where: &InExpr{X: col("a"), List: []Expr{&SubqueryExpr{Query: subAB}, num("2")}},
		}},
		{"NOT EXISTS", "SELECT 1 WHERE NOT EXISTS (SELECT b FROM u)", &Select{
			Items: items(num("1")), Where: unary("NOT", &ExistsExpr{Query: subAB}),
		}},
		{"EXISTS with extra parentheses", "SELECT EXISTS ((SELECT b FROM u))", &Select{
			Items: items(&ExistsExpr{Query: subAB}),
		}},
		{"a function called exists", "SELECT exists(a), exists((a) + 1)", &Select{
			Items: items(call("exists", col("a")), call("exists", bin("+", col("a"), num("1")))),
		}},
		{"qualified star", "SELECT t.*, q.bid, \"Q\".* FROM t", &Select{
			Items: []SelectItem{{Star: true, StarTable: "t"}, {Expr: qcol("q", "bid")}, {Star: true, StarTable: "Q"}},
			From:  tbl("t", ""), Source: tbl("t", ""),
		}},
		{"left outer join", "SELECT * FROM trades t LEFT OUTER JOIN quotes AS q ON t.sym = q.sym", &Select{
			Items:  starItems(),
			Source: &Join{Kind: JoinLeft, Left: tbl("trades", "t"), Right: tbl("quotes", "q"), On: tsym},
		}},
		{"joins are left-deep", "SELECT * FROM a JOIN b USING (k, j) CROSS JOIN c INNER JOIN d ON x RIGHT JOIN e ON y FULL OUTER JOIN f ON z", &Select{
			Items: starItems(),
			Source: &Join{Kind: JoinFull, Right: tbl("f", ""), On: col("z"), Left: &Join{
				Kind: JoinRight, Right: tbl("e", ""), On: col("y"), Left: &Join{
					Kind: JoinInner, Right: tbl("d", ""), On: col("x"), Left: &Join{
						Kind: JoinCross, Right: tbl("c", ""), Left: &Join{
							Kind: JoinInner, Left: tbl("a", ""), Right: tbl("b", ""), Using: []string{"k", "j"},
						}}}}},
		}},
		{"join with a subquery", "SELECT * FROM t JOIN (SELECT b FROM u) s ON t.b = s.b", &Select{
			Items: starItems(),
			Source: &Join{Kind: JoinInner, Left: tbl("t", ""), Right: &SubqueryRef{Query: subAB, Alias: "s"},
				On: bin("=", qcol("t", "b"), qcol("s", "b"))},
		}},
		{"asof join with tolerance", "SELECT * FROM t ASOF JOIN q ON t.sym = q.sym AND t.ts >= q.ts TOLERANCE INTERVAL 1 SECOND", &Select{
			Items: starItems(),
			Source: &Join{Kind: JoinAsof, Left: tbl("t", ""), Right: tbl("q", ""),
				On:        bin("AND", tsym, bin(">=", qcol("t", "ts"), qcol("q", "ts"))),
				Tolerance: interval(1, "SECOND", 1e9)},
		}},
		{"asof left join", "SELECT * FROM t ASOF LEFT JOIN q USING (sym, ts)", &Select{
			Items:  starItems(),
			Source: &Join{Kind: JoinAsofLeft, Left: tbl("t", ""), Right: tbl("q", ""), Using: []string{"sym", "ts"}},
		}},
		{"asof nearest join, QuestDB tolerance, no condition", "SELECT * FROM t ASOF NEAREST JOIN q TOLERANCE 250ms", &Select{
			Items:  starItems(),
			Source: &Join{Kind: JoinAsof, Nearest: true, Left: tbl("t", ""), Right: tbl("q", ""), Tolerance: interval(250, "MILLISECOND", 250e6)},
		}},
		{"asof join, QuestDB style ON (sym)", "SELECT * FROM t ASOF JOIN q ON (sym)", &Select{
			Items: starItems(), Source: &Join{Kind: JoinAsof, Left: tbl("t", ""), Right: tbl("q", ""), On: col("sym")},
		}},
		{"window join", "SELECT * FROM t WINDOW JOIN q ON t.sym = q.sym AND q.ts BETWEEN t.ts - INTERVAL 1 SECOND AND t.ts + INTERVAL 1 SECOND INCLUDE PREVAILING", &Select{
			Items: starItems(),
			Source: &Join{Kind: JoinWindow, Left: tbl("t", ""), Right: tbl("q", ""), IncludePrevailing: true,
				On: bin("AND", tsym, &BetweenExpr{X: qcol("q", "ts"),
					Lo: bin("-", qcol("t", "ts"), interval(1, "SECOND", 1e9)),
					Hi: bin("+", qcol("t", "ts"), interval(1, "SECOND", 1e9))})},
		}},
		{"window join excluding prevailing", "SELECT * FROM t WINDOW JOIN q ON x EXCLUDE PREVAILING", &Select{
			Items: starItems(), Source: &Join{Kind: JoinWindow, Left: tbl("t", ""), Right: tbl("q", ""), On: col("x")},
		}},
	})
}

// TestSetOpPrecedence checks the shape of set operation chains.
func TestSetOpPrecedence(t *testing.T) {
	tests := []struct{ sql, want string }{
		{"SELECT 1 UNION SELECT 2 UNION SELECT 3", "(UNION (UNION 1 2) 3)"},
		{"SELECT 1 UNION SELECT 2 INTERSECT SELECT 3", "(UNION 1 (INTERSECT 2 3))"},
		{"SELECT 1 INTERSECT SELECT 2 UNION SELECT 3", "(UNION (INTERSECT 1 2) 3)"},
		{"SELECT 1 EXCEPT SELECT 2 UNION ALL SELECT 3", "(UNION ALL (EXCEPT 1 2) 3)"},
		{"SELECT 1 EXCEPT ALL SELECT 2 INTERSECT ALL SELECT 3", "(EXCEPT ALL 1 (INTERSECT ALL 2 3))"},
		{"SELECT 1 EXCEPT (SELECT 2 EXCEPT SELECT 3)", "(EXCEPT 1 (EXCEPT 2 3))"},
		{"(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3", "(INTERSECT (UNION 1 2) 3)"},
		{"SELECT 1 INTERSECT SELECT 2 INTERSECT SELECT 3", "(INTERSECT (INTERSECT 1 2) 3)"},
		{"SELECT 1 INTERSECT (SELECT 2 INTERSECT SELECT 3)", "(INTERSECT 1 (INTERSECT 2 3))"},
		{"(((SELECT 1)))", "1"},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			if got := qshape(mustParse(t, tt.sql).(Query)); got != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.sql, got, tt.want)
			}
		})
	}
}

// TestStatementString checks the canonical rendering of statements, that
// it parses back to the same tree, and that it renders identically again.
func TestStatementString(t *testing.T) {
	tests := []struct{ sql, want string }{
		{"select 1", "SELECT 1"},
		{"select distinct a b from t x where a > 1 group by a having count(*) > 1 order by a desc nulls last limit 5, 10 format JSON settings max_threads = 2",
			"SELECT DISTINCT a AS b FROM t AS x WHERE a > 1 GROUP BY a HAVING count(*) > 1 ORDER BY a DESC NULLS LAST LIMIT 10 OFFSET 5 FORMAT JSON SETTINGS max_threads = 2"},
		{`select "from", "Sel" from "order" "x y"`, `SELECT "from", "Sel" FROM "order" AS "x y"`},
		{"select * from t offset 3", "SELECT * FROM t OFFSET 3"},
		{"select 1 format Values", "SELECT 1 FORMAT Values"},
		{`select 1 format "odd name"`, `SELECT 1 FORMAT "odd name"`},
		{"with a (x) as (select 1) select x from a", "WITH a (x) AS (SELECT 1) SELECT x FROM a"},
		{"with a as (select 1) select * from a union select 2", "WITH a AS (SELECT 1) SELECT * FROM a UNION SELECT 2"},
		{"(with a as (select 1) select * from a) union select 2", "(WITH a AS (SELECT 1) SELECT * FROM a) UNION SELECT 2"},
		{"select * from (select 1) x", "SELECT * FROM (SELECT 1) AS x"},
		{"select 1 union distinct select 2 union all select 3", "SELECT 1 UNION SELECT 2 UNION ALL SELECT 3"},
		{"(select 1 union select 2) intersect (select 3)", "(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3"},
		{"select 1 except (select 2 union select 3)", "SELECT 1 EXCEPT (SELECT 2 UNION SELECT 3)"},
		{"(select a from t order by a limit 1) union all (select b from u) order by 1 limit 2", "(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL SELECT b FROM u ORDER BY 1 LIMIT 2"},
		{"((select 1) union select 2) intersect select 3", "(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3"},
		{"(select 1) limit 1", "SELECT 1 LIMIT 1"},
		{"select (select 1), a in (select 1), exists (select 1) from t", "SELECT (SELECT 1), a IN (SELECT 1), EXISTS (SELECT 1) FROM t"},
		{"select a not in ((select 1 limit 1) union select 2)", "SELECT a NOT IN ((SELECT 1 LIMIT 1) UNION SELECT 2)"},
		{"select exists (((select 1 limit 1) union select 2))", "SELECT EXISTS ((SELECT 1 LIMIT 1) UNION SELECT 2)"},
		{"select (select 1)::int", "SELECT CAST((SELECT 1) AS INT)"},
		{"select t.*, \"my t\".* from t", "SELECT t.*, \"my t\".* FROM t"},
		{"select * from a inner join b on x left outer join c using (k) cross join d", "SELECT * FROM a JOIN b ON x LEFT JOIN c USING (k) CROSS JOIN d"},
		{"select * from t asof nearest join q tolerance 1s", "SELECT * FROM t ASOF NEAREST JOIN q TOLERANCE INTERVAL 1 SECOND"},
		{"select * from t asof left join q on x tolerance interval '2 minutes'", "SELECT * FROM t ASOF LEFT JOIN q ON x TOLERANCE INTERVAL 2 MINUTE"},
		{"select * from t window join q on x exclude prevailing", "SELECT * FROM t WINDOW JOIN q ON x"},
		{"select * from t sample 0.1 join q on x offset 5", "SELECT * FROM t JOIN q ON x SAMPLE 0.1 OFFSET (5)"},
		{"(select * from t sample 1/10) offset 5 format CSV", "SELECT * FROM t SAMPLE 1 / 10 OFFSET (5) FORMAT CSV"},
		{"select * from t sample 0.5 offset 0.25 offset x", "SELECT * FROM t SAMPLE 0.5 OFFSET 0.25 OFFSET x"},
		{"select * from t sample 0.5 offset (x)", "SELECT * FROM t SAMPLE 0.5 OFFSET x"},
		{"explain analyze select 1", "EXPLAIN ANALYZE SELECT 1"},
		{"explain (select 1)", "EXPLAIN SELECT 1"},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			checkStatementString(t, tt.sql, tt.want)
		})
	}
}

// checkStatementString checks that sql renders as want, that want parses
// to the same tree, and that it renders as itself.
func checkStatementString(t *testing.T, sql, want string) {
	t.Helper()
	stmt := mustParse(t, sql)
	if got := stmt.String(); got != want {
		t.Fatalf("Parse(%q).String()\n got: %s\nwant: %s", sql, got, want)
	}
	again := mustParse(t, want)
	if got := again.String(); got != want {
		t.Errorf("rendering not stable: %q -> %q", want, got)
	}
	clearPos(stmt)
	clearPos(again)
	if !reflect.DeepEqual(stmt, again) {
		t.Errorf("tree changed by rendering %q:\n%#v\n%#v", sql, stmt, again)
	}
}

// TestStatementRoundTrip runs the fuzz checks over statements that mix
// the new forms, including every fuzz seed.
func TestStatementRoundTrip(t *testing.T) {
	sqls := append([]string{
		"SELECT a FROM t WHERE a IN (SELECT b FROM u WHERE u.c = t.c) AND EXISTS (SELECT 1 FROM (SELECT 2) AS z)",
		"WITH x AS (SELECT 1 UNION SELECT 2), y AS (SELECT * FROM x INTERSECT SELECT 1) SELECT * FROM x CROSS JOIN y",
		"SELECT * FROM (((SELECT 1) UNION (SELECT 2 LIMIT 1)) EXCEPT SELECT 3) AS q",
		"INSERT INTO t ((SELECT 1 LIMIT 1) UNION SELECT 2) INTERSECT SELECT 3",
		"INSERT INTO t (a) (SELECT 1)",
		"CREATE TABLE t AS SELECT 1 AS a TIMESTAMP(a) PARTITION BY DAY ENGINE = Memory",
		"INSERT INTO t FORMAT CSV\n1,2\n",
		"INSERT INTO t FORMAT \"my fmt\" \r\n x",
		"SELECT 1 FROM t WINDOW w AS (PARTITION BY a), v AS (w ORDER BY b ROWS 1 PRECEDING) QUALIFY f(x) OVER v > 1",
	}, fuzzSeeds...)
	for _, sql := range sqls {
		stmt, err := Parse(sql)
		if err != nil {
			continue // some seeds are malformed on purpose
		}
		t.Run(sql, func(t *testing.T) {
			for _, e := range statementExprs(stmt) {
				checkRoundTrip(t, e)
			}
			checkStatementRoundTrip(t, stmt)
		})
	}
}

func TestQueryPositions(t *testing.T) {
	set := mustParse(t, "WITH a AS (SELECT 1)\nSELECT x FROM t\n  LEFT JOIN (SELECT 2) s ON y\nUNION ALL SELECT (SELECT 3)").(*SetOp)
	sel := set.L.(*Select)
	join := sel.Source.(*Join)
	sub := set.R.(*Select).Items[0].Expr.(*SubqueryExpr)
	checks := []struct {
		what      string
		got, want Pos
	}{
		{"set operation", set.Pos(), Pos{4, 1}},
		{"CTE", set.With[0].At, Pos{1, 6}},
		{"CTE query", set.With[0].Query.Pos(), Pos{1, 12}},
		{"left operand", sel.Pos(), Pos{2, 1}},
		{"join", join.Pos(), Pos{3, 3}},
		{"join's left table", join.Left.Pos(), Pos{2, 15}},
		{"subquery in FROM", join.Right.Pos(), Pos{3, 13}},
		{"scalar subquery", sub.Pos(), Pos{4, 18}},
		{"its query", sub.Query.Pos(), Pos{4, 19}},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s at %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestQueryDepthLimit(t *testing.T) {
	nest := func(n int, open, inner, close string) string {
		return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
	}
	tests := []struct {
		name    string
		sql     string
		wantErr bool
	}{
		{"FROM subqueries within limit", "SELECT * FROM " + nest(500, "(SELECT * FROM ", "t", ")"), false},
		{"FROM subqueries beyond limit", "SELECT * FROM " + nest(1001, "(SELECT * FROM ", "t", ")"), true},
		{"scalar subqueries beyond limit", "SELECT " + nest(600, "(SELECT ", "1", ")"), true},
		{"parenthesized queries beyond limit", nest(1001, "(", "SELECT 1", ")"), true},
		{"CTEs beyond limit", strings.Repeat("WITH a AS (", 1001) + "SELECT 1" + strings.Repeat(") SELECT 1", 1001), true},
		{"a million parentheses before a query fail cleanly", strings.Repeat("(", 1<<20) + "SELECT 1", true},
		{"long UNION ALL chains are fine", "SELECT 1" + strings.Repeat(" UNION ALL SELECT 1", 20000), false},
		{"long join chains are fine", "SELECT * FROM t" + strings.Repeat(" CROSS JOIN t", 20000), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.sql)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "nested too deeply") {
				t.Errorf("err = %v, want a nesting error", err)
			}
		})
	}
}

// TestQueryDepthRoundTrip checks, right at the nesting limit, that
// statements with nested queries re-parse from their String().
func TestQueryDepthRoundTrip(t *testing.T) {
	nest := func(n int, open, inner, close string) string {
		return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
	}
	templates := map[string]func(n int) string{
		"scalar subqueries": func(n int) string { return "SELECT " + nest(n, "(SELECT ", "1", ")") },
		"FROM subqueries":   func(n int) string { return "SELECT * FROM " + nest(n, "(SELECT * FROM ", "t", ")") },
		"IN subqueries":     func(n int) string { return "SELECT 1 WHERE " + nest(n, "a IN (SELECT ", "1", ")") },
		"EXISTS":            func(n int) string { return "SELECT " + nest(n, "EXISTS (SELECT ", "1", ")") },
		"parenthesized operands": func(n int) string {
			return nest(n, "(SELECT 1 LIMIT 1) UNION (", "SELECT 1", ")")
		},
		"set operations in parentheses": func(n int) string {
			return "SELECT " + nest(n, "((SELECT 1 LIMIT 1) UNION ", "SELECT 1", ")")
		},
		"extra parentheses": func(n int) string { return "SELECT * FROM " + nest(n, "(", "SELECT 1", ")") },
	}
	for name, tmpl := range templates {
		t.Run(name, func(t *testing.T) {
			// Find the deepest n that parses (parsing fails for all larger n).
			deepest := sort.Search(2*maxDepth, func(n int) bool {
				_, err := Parse(tmpl(n + 1))
				return err != nil
			})
			if deepest == 0 || deepest == 2*maxDepth {
				t.Fatalf("the limit is not reached where expected (deepest = %d)", deepest)
			}
			for _, n := range []int{deepest - 1, deepest} {
				stmt := mustParse(t, tmpl(n))
				checkStatementRoundTrip(t, stmt)
				for _, e := range statementExprs(stmt) {
					checkRoundTrip(t, e)
				}
			}
		})
	}
}

func TestQuerySyntaxErrors(t *testing.T) {
	checkSyntaxErrors(t, []struct{ name, sql, want string }{
		{"set operator without operand", "SELECT 1 UNION", "1:15: unexpected end of query, expected SELECT"},
		{"ALL without operand", "SELECT 1 UNION ALL 2", `1:20: expected SELECT, found "2"`},
		{"set operator without right operand", "SELECT a FROM t WHERE a IN (SELECT 1 UNION)", `1:43: expected SELECT, found ")"`},
		{"CTE without parentheses", "WITH a AS SELECT 1", `1:11: expected "(", found "SELECT"`},
		{"CTE without AS", "WITH a (SELECT 1) SELECT 2", `1:9: expected column name, found "SELECT"`},
		{"CTE without a name", "WITH AS (SELECT 1) SELECT 2", `1:6: expected query name, found "AS"`},
		{"WITH without a query", "WITH a AS (SELECT 1)", "1:21: unexpected end of query, expected SELECT"},
		{"two WITH clauses", "WITH a AS (SELECT 1) (WITH b AS (SELECT 2) SELECT 3)", "1:28: a query in parentheses after WITH cannot have a WITH clause of its own"},
		{"LIMIT after a parenthesized LIMIT", "(SELECT 1 LIMIT 1) LIMIT 2", "1:20: ORDER BY, LIMIT and OFFSET cannot follow a parenthesized query that has its own; select from it with FROM (...) instead"},
		{"LIMIT BY after a set operation", "SELECT 1 UNION SELECT 2 LIMIT 1 BY x", "1:25: LIMIT BY is not allowed after UNION, INTERSECT or EXCEPT"},
		{"FORMAT inside a subquery", "SELECT (SELECT 1 FORMAT CSV)", `1:18: expected ")", found "FORMAT"`},
		{"FORMAT after INSERT ... SELECT", "INSERT INTO t SELECT 1 FORMAT CSV", `1:24: expected FROM or end of query, found "FORMAT"`},
		{"unclosed subquery in FROM", "SELECT * FROM (SELECT 1", `1:24: unexpected end of query, expected ")"`},
		{"expression in FROM", "SELECT * FROM (1)", `1:16: expected SELECT, found "1"`},
		{"empty EXISTS", "SELECT a FROM t WHERE EXISTS (SELECT)", `1:37: expected expression, found ")"`},
		{"parenthesized query then garbage", "(SELECT 1) x", `1:12: expected UNION, ORDER BY, LIMIT or end of query, found "x"`},
		{"join without table", "SELECT a FROM t JOIN", "1:21: unexpected end of query, expected table name"},
		{"join without condition", "SELECT a FROM t LEFT JOIN q", "1:28: unexpected end of query, expected ON or USING"},
		{"OUTER without JOIN", "SELECT a FROM t LEFT OUTER q", `1:28: expected JOIN, found "q"`},
		{"window join with USING", "SELECT * FROM t WINDOW JOIN q USING (a)", `1:31: expected ON, found "USING"`},
		{"ASOF LEFT without JOIN", "SELECT * FROM t ASOF LEFT q", `1:27: expected JOIN, found "q"`},
		{"cross join with a condition", "SELECT * FROM t CROSS JOIN q ON 1 = 1", `1:30: expected WHERE, GROUP BY, ORDER BY, LIMIT or end of query, found "ON"`},
		{"empty USING", "SELECT * FROM t JOIN q USING ()", `1:31: expected column name, found ")"`},
		{"monthly tolerance", "SELECT * FROM t ASOF JOIN q TOLERANCE 1M", "1:39: TOLERANCE needs a fixed length of time; a month varies"},
		{"INCLUDE without PREVAILING", "SELECT * FROM t WINDOW JOIN q ON a INCLUDE", "1:43: unexpected end of query, expected PREVAILING"},
		{"comma join", "SELECT * FROM a, b", `1:16: expected WHERE, GROUP BY, ORDER BY, LIMIT or end of query, found ","`},
	})
}
