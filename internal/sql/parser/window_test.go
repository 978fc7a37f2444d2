package parser

import (
	"reflect"
	"strings"
	"testing"
)

// TestNewExprForms checks the trees built for window functions and the
// other call and predicate forms.
func TestNewExprForms(t *testing.T) {
	over := func(spec *WindowSpec, name string, args ...Expr) *FuncCall {
		return &FuncCall{Name: name, Args: args, Over: spec}
	}
	bound := func(kind string, off Expr) FrameBound { return FrameBound{Kind: kind, Offset: off} }
	end := func(kind string, off Expr) *FrameBound { b := bound(kind, off); return &b }
	tests := []struct {
		name string
		sql  string
		want Expr
	}{
		{"empty window", "row_number() OVER ()", over(&WindowSpec{}, "row_number")},
		{"partition and order", "sum(x) OVER (PARTITION BY a, b ORDER BY ts DESC)", over(&WindowSpec{
			PartitionBy: []Expr{col("a"), col("b")}, OrderBy: []OrderItem{{Expr: col("ts"), Desc: true}},
		}, "sum", col("x"))},
		{"rows between unbounded preceding and current row", "sum(x) OVER (ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", over(&WindowSpec{
			OrderBy: []OrderItem{{Expr: col("ts")}},
			Frame:   &WindowFrame{Unit: "ROWS", Start: bound(BoundUnboundedPreceding, nil), End: end(BoundCurrentRow, nil)},
		}, "sum", col("x"))},
		{"rows between n preceding and n following", "avg(x) OVER (ROWS BETWEEN 3 PRECEDING AND 1 + 1 FOLLOWING)", over(&WindowSpec{
			Frame: &WindowFrame{Unit: "ROWS", Start: bound(BoundPreceding, num("3")), End: end(BoundFollowing, bin("+", num("1"), num("1")))},
		}, "avg", col("x"))},
		{"range with an interval", "avg(x) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '5 minutes' PRECEDING AND UNBOUNDED FOLLOWING)", over(&WindowSpec{
			OrderBy: []OrderItem{{Expr: col("ts")}},
			Frame: &WindowFrame{Unit: "RANGE", Start: bound(BoundPreceding, interval(5, "MINUTE", 300e9)),
				End: end(BoundUnboundedFollowing, nil)},
		}, "avg", col("x"))},
		{"frame without BETWEEN", "avg(x) OVER (ROWS 5 PRECEDING)", over(&WindowSpec{
			Frame: &WindowFrame{Unit: "ROWS", Start: bound(BoundPreceding, num("5"))},
		}, "avg", col("x"))},
		{"frame starting at the current row", "avg(x) OVER (RANGE CURRENT ROW)", over(&WindowSpec{
			Frame: &WindowFrame{Unit: "RANGE", Start: bound(BoundCurrentRow, nil)},
		}, "avg", col("x"))},
		{"named window", "avg(x) OVER w", over(&WindowSpec{Name: "w"}, "avg", col("x"))},
		{"named window refined", "avg(x) OVER (w ORDER BY ts)", over(&WindowSpec{Name: "w", OrderBy: []OrderItem{{Expr: col("ts")}}}, "avg", col("x"))},
		{"base windows named like clause words", "f() OVER (rows) + f() OVER (partition ORDER BY a)", bin("+",
			over(&WindowSpec{Name: "rows"}, "f"), over(&WindowSpec{Name: "partition", OrderBy: []OrderItem{{Expr: col("a")}}}, "f"))},
		{"columns named like frame words", "f() OVER (ROWS BETWEEN current PRECEDING AND (unbounded) FOLLOWING)", over(&WindowSpec{
			Frame: &WindowFrame{Unit: "ROWS", Start: bound(BoundPreceding, col("current")), End: end(BoundFollowing, col("unbounded"))},
		}, "f")},
		{"filter", "count(*) FILTER (WHERE p > 1)", &FuncCall{Name: "count", Star: true, Args: []Expr{&Star{}}, Filter: bin(">", col("p"), num("1"))}},
		{"filter and over", "sum(v) FILTER (WHERE b) OVER w", &FuncCall{Name: "sum", Args: []Expr{col("v")}, Filter: col("b"), Over: &WindowSpec{Name: "w"}}},
		{"parametric aggregate", "quantile(0.5)(price)", &FuncCall{Name: "quantile", Params: []Expr{flt(0.5, "0.5")}, Args: []Expr{col("price")}}},
		{"parametric aggregate, several parameters", "quantiles(0.1, 0.9)(DISTINCT x)", &FuncCall{Name: "quantiles", Params: []Expr{flt(0.1, "0.1"), flt(0.9, "0.9")}, Distinct: true, Args: []Expr{col("x")}}},
		{"parametric aggregate, no parameters", "f()(x)", &FuncCall{Name: "f", Params: []Expr{}, Args: []Expr{col("x")}}},
		{"parametric aggregate, no arguments", "f(1)()", &FuncCall{Name: "f", Params: []Expr{num("1")}}},
		{"extract", "EXTRACT(year FROM ts)", call("EXTRACT", str("year"), col("ts"))},
		{"extract with a string unit", "extract('epoch' FROM ts + 1)", call("extract", str("epoch"), bin("+", col("ts"), num("1")))},
		{"extract as a plain call", "extract('dow', ts)", call("extract", str("dow"), col("ts"))},
		{"date_part", "date_part('hour', ts)", call("date_part", str("hour"), col("ts"))},
		{"is distinct from", "a IS DISTINCT FROM b", &IsDistinctExpr{X: col("a"), Y: col("b")}},
		{"is not distinct from", "a IS NOT DISTINCT FROM b || 'x'", &IsDistinctExpr{X: col("a"), Y: bin("||", col("b"), str("x")), Not: true}},
		{"scalar subquery", "(SELECT 1) + 1", bin("+", &SubqueryExpr{Query: &Select{Items: items(num("1"))}}, num("1"))},
		{"with is a column in parentheses", "(with + 1)", bin("+", col("with"), num("1"))},
		{"a column called exists", "exists", col("exists")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustParseExpr(t, tt.sql)
			clearPos(got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseExpr(%q)\n got: %s %#v\nwant: %s %#v", tt.sql, got, got, tt.want, tt.want)
			}
		})
	}
}

func TestNewExprPrecedence(t *testing.T) {
	tests := []struct{ sql, want string }{
		{"a IS DISTINCT FROM b = c", "(= (IS DISTINCT a b) c)"},
		{"a = b IS NOT DISTINCT FROM c", "(IS NOT DISTINCT (= a b) c)"},
		{"NOT a IS DISTINCT FROM b AND c", "(AND (NOT (IS DISTINCT a b)) c)"},
		{"a IS DISTINCT FROM b + 1", "(IS DISTINCT a (+ b 1))"},
		{"NOT EXISTS (SELECT 1) OR x", "(OR (NOT EXISTS (SELECT 1)) x)"},
		{"a + 1 NOT IN (SELECT 1) AND b", "(AND (NOT IN (+ a 1) SELECT 1) b)"},
		{"-(SELECT 1) * 2", "(* (- (SELECT 1)) 2)"},
		{"sum(x) OVER w * 2", "(* (sum [x]) 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			if got := sexp(mustParseExpr(t, tt.sql)); got != tt.want {
				t.Errorf("ParseExpr(%q) = %s, want %s", tt.sql, got, tt.want)
			}
		})
	}
}

func TestNewExprString(t *testing.T) {
	tests := []struct{ sql, want string }{
		{"sum(x) over (partition by a order by b rows between unbounded preceding and current row)", "sum(x) OVER (PARTITION BY a ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"},
		{"avg(x) over (order by ts range between interval '5 minutes' preceding and current row)", "avg(x) OVER (ORDER BY ts RANGE BETWEEN INTERVAL 5 MINUTE PRECEDING AND CURRENT ROW)"},
		{"avg(x) over (rows (a = b) preceding)", "avg(x) OVER (ROWS (a = b) PRECEDING)"},
		{"avg(x) over (rows between (unbounded) preceding and current following)", "avg(x) OVER (ROWS BETWEEN (unbounded) PRECEDING AND current FOLLOWING)"},
		{"f() over (w)", "f() OVER w"},
		{`f() over ("rows" order by a)`, `f() OVER ("rows" ORDER BY a)`},
		{"f() over (partition order by a)", `f() OVER ("partition" ORDER BY a)`},
		{"f() over \"my w\"", `f() OVER "my w"`},
		{"count(*) filter (where a) over ()", "count(*) FILTER (WHERE a) OVER ()"},
		{"quantile(0.5)(price)", "quantile(0.5)(price)"},
		{"f()()", "f()()"},
		{"EXTRACT(year FROM ts)", "EXTRACT(year FROM ts)"},
		{"extract('year', ts)", "extract(year FROM ts)"},
		{"extract('day of week', ts)", "extract('day of week', ts)"},
		{"extract('from', ts)", "extract('from', ts)"},
		{"extract(\"Year\" from ts)", "extract(Year FROM ts)"},
		{"a is not distinct from (b = c)", "a IS NOT DISTINCT FROM (b = c)"},
		{"(a is distinct from b) is distinct from c", "a IS DISTINCT FROM b IS DISTINCT FROM c"},
		{"not exists (select 1)", "NOT EXISTS (SELECT 1)"},
		{"x in (select 1 union select 2)", "x IN (SELECT 1 UNION SELECT 2)"},
		{"((select 1 limit 1) union select 2)", "((SELECT 1 LIMIT 1) UNION SELECT 2)"},
		{"((select a from t) order by a)", "(SELECT a FROM t ORDER BY a)"},
		{"exists((a))", "exists(a)"},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			e := mustParseExpr(t, tt.sql)
			if got := e.String(); got != tt.want {
				t.Fatalf("ParseExpr(%q).String() = %q, want %q", tt.sql, got, tt.want)
			}
			e2 := mustParseExpr(t, tt.want)
			clearPos(e)
			clearPos(e2)
			if !reflect.DeepEqual(e, e2) {
				t.Errorf("tree changed: %q -> %q\n%#v\n%#v", tt.sql, tt.want, e, e2)
			}
		})
	}
}

func TestWindowClause(t *testing.T) {
	sel := mustParse(t, "SELECT f(x) OVER w FROM t WINDOW w AS (PARTITION BY a), v AS (w ORDER BY b ROWS 1 PRECEDING), u AS ()").(*Select)
	clearPos(sel)
	want := []NamedWindow{
		{Name: "w", Spec: &WindowSpec{PartitionBy: []Expr{col("a")}}},
		{Name: "v", Spec: &WindowSpec{Name: "w", OrderBy: []OrderItem{{Expr: col("b")}},
			Frame: &WindowFrame{Unit: "ROWS", Start: FrameBound{Kind: BoundPreceding, Offset: num("1")}}}},
		{Name: "u", Spec: &WindowSpec{}},
	}
	if !reflect.DeepEqual(sel.Windows, want) {
		t.Errorf("windows\n got: %#v\nwant: %#v", sel.Windows, want)
	}
	checkStatementString(t, "select 1 from t window w as (order by a) qualify x", "SELECT 1 FROM t WINDOW w AS (ORDER BY a) QUALIFY x")
}

func TestWindowPositions(t *testing.T) {
	f := mustParseExpr(t, "sum(x)\n  OVER (ORDER BY ts\n    ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)").(*FuncCall)
	checks := []struct {
		what      string
		got, want Pos
	}{
		{"call", f.Pos(), Pos{1, 1}},
		{"window", f.Over.At, Pos{2, 3}},
		{"frame", f.Over.Frame.At, Pos{3, 5}},
		{"frame start", f.Over.Frame.Start.At, Pos{3, 18}},
		{"frame end", f.Over.Frame.End.At, Pos{3, 34}},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s at %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestInspectNewForms(t *testing.T) {
	e := mustParseExpr(t, "q(p)(a) FILTER (WHERE b) OVER (PARTITION BY c ORDER BY d ROWS BETWEEN e PRECEDING AND f FOLLOWING) "+
		"+ g IS DISTINCT FROM h + (i IN (SELECT j FROM t)) + EXISTS (SELECT k) + (SELECT l)")
	var names []string
	Inspect(e, func(x Expr) bool {
		if c, ok := x.(*ColumnRef); ok {
			names = append(names, c.Name)
		}
		return true
	})
	if got, want := strings.Join(names, " "), "p a b c d e f g h i"; got != want {
		t.Errorf("visited %q, want %q (subqueries are not entered)", got, want)
	}
}

func TestWindowSyntaxErrors(t *testing.T) {
	checkSyntaxErrors(t, []struct{ name, sql, want string }{
		{"BETWEEN without AND", "SELECT f(x) OVER (ROWS BETWEEN 1 PRECEDING) FROM t", `1:43: expected AND, found ")"`},
		{"bound without direction", "SELECT f(x) OVER (ROWS 1) FROM t", `1:25: expected PRECEDING or FOLLOWING, found ")"`},
		{"empty bound", "SELECT f(x) OVER (ORDER BY a ROWS BETWEEN AND CURRENT ROW) FROM t", `1:43: expected expression, found "AND"`},
		{"unclosed window", "SELECT f(x) OVER (ORDER BY a FROM t", `1:30: expected ")", found "FROM"`},
		{"named window without parentheses", "SELECT f(x) OVER w FROM t WINDOW w AS PARTITION BY a", `1:39: expected "(", found "PARTITION"`},
		{"parameters with DISTINCT", "SELECT quantile(DISTINCT 0.5)(x) FROM t", "1:30: a function with * or DISTINCT cannot take a second argument list"},
		{"parameters with star", "SELECT f(*)(x) FROM t", "1:12: a function with * or DISTINCT cannot take a second argument list"},
		{"unclosed arguments after parameters", "SELECT quantile(0.5)(x FROM t", `1:24: expected ")", found "FROM"`},
		{"extract without a value", "SELECT extract(year FROM) FROM t", `1:25: expected expression, found ")"`},
		{"empty FILTER", "SELECT count(*) FILTER (WHERE) FROM t", `1:30: expected expression, found ")"`},
		{"unclosed FILTER", "SELECT count(*) FILTER (WHERE a > 1 FROM t", `1:37: expected ")", found "FROM"`},
		{"DISTINCT without FROM", "SELECT a IS DISTINCT b FROM t", `1:22: expected FROM, found "b"`},
		{"DISTINCT FROM without operand", "SELECT a IS NOT DISTINCT FROM FROM t", `1:31: expected expression, found "FROM"`},
	})
}
