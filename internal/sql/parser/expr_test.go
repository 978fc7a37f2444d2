package parser

import (
	"reflect"
	"strings"
	"testing"
)

// TestExprForms checks the tree built for every expression form.
func TestExprForms(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want Expr
	}{
		{"column", "price", col("price")},
		{"qualified column", "t.price", qcol("t", "price")},
		{"quoted column keeps case", `"Price"`, &ColumnRef{Name: "Price", Quoted: true}},
		{"backquoted qualified column", "`t`.`select`", &ColumnRef{Table: "t", Name: "select", Quoted: true}},
		{"integer", "42", num("42")},
		{"integer keeps leading zeros in text", "007", &IntLit{Value: 7, Text: "007"}},
		{"negative integer folds", "-42", num("-42")},
		{"min int64", "-9223372036854775808", num("-9223372036854775808")},
		{"max int64", "9223372036854775807", num("9223372036854775807")},
		{"float", "1.5", flt(1.5, "1.5")},
		{"float forms", ".5", flt(0.5, ".5")},
		{"exponent", "1e9", flt(1e9, "1e9")},
		{"negative float folds", "-1.5E-3", flt(-1.5e-3, "-1.5E-3")},
		{"string", `'it''s \'ok\''`, str("it's 'ok'")},
		{"true", "TRUE", &BoolLit{Value: true}},
		{"false", "false", &BoolLit{}},
		{"null", "NULL", &NullLit{}},
		{"count star", "count(*)", &FuncCall{Name: "count", Star: true, Args: []Expr{&Star{}}}},
		{"count distinct", "COUNT(DISTINCT symbol)", &FuncCall{Name: "COUNT", Distinct: true, Args: []Expr{col("symbol")}}},
		{"no-argument call", "now()", &FuncCall{Name: "now"}},
		{"call", "vwap(price, volume)", call("vwap", col("price"), col("volume"))},
		{"unary minus", "-price", unary("-", col("price"))},
		{"unary plus", "+5", unary("+", num("5"))},
		{"double minus", "- -5", unary("-", num("-5"))},
		{"minus before cast does not fold", "-5::DOUBLE", unary("-", &CastExpr{X: num("5"), Type: "DOUBLE"})},
		{"not", "NOT a", unary("NOT", col("a"))},
		{"binary", "a % 2", bin("%", col("a"), num("2"))},
		{"== normalizes to =", "a == 1", bin("=", col("a"), num("1"))},
		{"<> normalizes to !=", "a <> 1", bin("!=", col("a"), num("1"))},
		{"concat", "a || 'x'", bin("||", col("a"), str("x"))},
		{"and or", "a AND b OR c", bin("OR", bin("AND", col("a"), col("b")), col("c"))},
		{"between", "a BETWEEN 1 AND 2", &BetweenExpr{X: col("a"), Lo: num("1"), Hi: num("2")}},
		{"not between", "a NOT BETWEEN 1 AND 2", &BetweenExpr{X: col("a"), Lo: num("1"), Hi: num("2"), Not: true}},
		{"in", "a IN (1, 2)", &InExpr{X: col("a"), List: []Expr{num("1"), num("2")}}},
		{"not in", "a NOT IN ('x')", &InExpr{X: col("a"), List: []Expr{str("x")}, Not: true}},
		{"is null", "a IS NULL", &IsNullExpr{X: col("a")}},
		{"is not null", "a IS NOT NULL", &IsNullExpr{X: col("a"), Not: true}},
		{"like", "a LIKE 'x%'", &LikeExpr{X: col("a"), Pattern: str("x%")}},
		{"not ilike", "a NOT ILIKE 'x%'", &LikeExpr{X: col("a"), Pattern: str("x%"), Not: true, CaseInsensitive: true}},
		{"cast", "CAST(a AS double)", &CastExpr{X: col("a"), Type: "DOUBLE"}},
		{"cast with parameters", "CAST(a AS varchar(10))", &CastExpr{X: col("a"), Type: "VARCHAR", TypeArgs: []string{"10"}}},
		{"postfix cast", "a::int64", &CastExpr{X: col("a"), Type: "INT64"}},
		{"chained casts", "a::int::text", &CastExpr{X: &CastExpr{X: col("a"), Type: "INT"}, Type: "TEXT"}},
		{"typed timestamp literal", "TIMESTAMP '2024-01-02 09:30:00'", &CastExpr{X: str("2024-01-02 09:30:00"), Type: "TIMESTAMP"}},
		{"typed date literal", "date '2024-01-02'", &CastExpr{X: str("2024-01-02"), Type: "DATE"}},
		{"timestamp function", "timestamp('x')", call("timestamp", str("x"))},
		{"simple case", "CASE side WHEN 'B' THEN 1 WHEN 'S' THEN -1 ELSE 0 END", &CaseExpr{
			Operand: col("side"),
			Whens:   []WhenClause{{Cond: str("B"), Result: num("1")}, {Cond: str("S"), Result: num("-1")}},
			Else:    num("0"),
		}},
		{"searched case", "CASE WHEN a > 1 THEN 'big' END", &CaseExpr{
			Whens: []WhenClause{{Cond: bin(">", col("a"), num("1")), Result: str("big")}},
		}},
		{"interval", "INTERVAL 5 MINUTE", &IntervalLit{Value: 5, Unit: "MINUTE", Nanos: 300e9}},
		{"interval plural", "interval 2 hours", &IntervalLit{Value: 2, Unit: "HOUR", Nanos: 7200e9}},
		{"interval quoted count", "INTERVAL '5' SECONDS", &IntervalLit{Value: 5, Unit: "SECOND", Nanos: 5e9}},
		{"interval quoted count and unit", "INTERVAL '3 days'", &IntervalLit{Value: 3, Unit: "DAY", Nanos: 3 * 86400e9}},
		{"interval negative", "INTERVAL '-1' WEEK", &IntervalLit{Value: -1, Unit: "WEEK", Nanos: -7 * 86400e9}},
		{"interval compact seconds", "INTERVAL '1s'", &IntervalLit{Value: 1, Unit: "SECOND", Nanos: 1e9}},
		{"interval compact millis", "INTERVAL '250ms'", &IntervalLit{Value: 250, Unit: "MILLISECOND", Nanos: 250e6}},
		{"interval compact minutes", "INTERVAL '5m'", &IntervalLit{Value: 5, Unit: "MINUTE", Nanos: 300e9}},
		{"interval short unit", "INTERVAL '2 hrs'", &IntervalLit{Value: 2, Unit: "HOUR", Nanos: 7200e9}},
		{"interval compact negative", "INTERVAL '-10us'", &IntervalLit{Value: -10, Unit: "MICROSECOND", Nanos: -10e3}},
		{"interval small units", "INTERVAL 7 microseconds", &IntervalLit{Value: 7, Unit: "MICROSECOND", Nanos: 7000}},
		{"column named interval", "interval - 5", bin("-", col("interval"), num("5"))},
		{"interval arithmetic", "ts - INTERVAL 1 DAY", bin("-", col("ts"), &IntervalLit{Value: 1, Unit: "DAY", Nanos: 86400e9})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustParseExpr(t, tt.sql)
			clearPos(got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseExpr(%q)\n got: %#v\nwant: %#v", tt.sql, got, tt.want)
			}
		})
	}
}

// TestPrecedence checks the tree shape, written fully parenthesized.
func TestPrecedence(t *testing.T) {
	tests := []struct{ sql, want string }{
		{"a OR b AND c", "(OR a (AND b c))"},
		{"a AND b OR c AND d", "(OR (AND a b) (AND c d))"},
		{"NOT a AND b", "(AND (NOT a) b)"},
		{"NOT a = b", "(NOT (= a b))"},
		{"NOT NOT a", "(NOT (NOT a))"},
		{"a = b AND c < d", "(AND (= a b) (< c d))"},
		{"a + b * c", "(+ a (* b c))"},
		{"(a + b) * c", "(* (+ a b) c)"},
		{"a - b - c", "(- (- a b) c)"},
		{"a - (b - c)", "(- a (- b c))"},
		{"a / b * c % d", "(% (* (/ a b) c) d)"},
		{"a || b + c", "(|| a (+ b c))"},
		{"a || b = c || d", "(= (|| a b) (|| c d))"},
		{"-a * b", "(* (- a) b)"},
		{"-a::int", "(- (CAST a INT))"},
		{"a * -b", "(* a (- b))"},
		{"-2 * 3", "(* -2 3)"},
		{"2 - -3", "(- 2 -3)"},
		{"a BETWEEN 1 AND 2 AND b", "(AND (BETWEEN a 1 2) b)"},
		{"a BETWEEN b + 1 AND c * 2", "(BETWEEN a (+ b 1) (* c 2))"},
		{"a NOT BETWEEN 1 AND 2 OR c", "(OR (NOT BETWEEN a 1 2) c)"},
		{"a + 1 IN (1, 2 + 3)", "(IN (+ a 1) [1 (+ 2 3)])"},
		{"NOT a IN (1)", "(NOT (IN a [1]))"},
		{"a || 'x' LIKE 'y' || 'z'", "(LIKE (|| a 'x') (|| 'y' 'z'))"},
		{"a + 1 IS NULL", "(IS (+ a 1))"},
		{"a IS NULL = TRUE", "(= (IS a) TRUE)"},
		{"a = b = c", "(= (= a b) c)"},
		{"a < b IN (TRUE)", "(IN (< a b) [TRUE])"},
		{"price * volume / 2 > 100 AND symbol = 'A'", "(AND (> (/ (* price volume) 2) 100) (= symbol 'A'))"},
		{"f(a + 1, -b)::text", "(CAST (f [(+ a 1) (- b)]) TEXT)"},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			if got := sexp(mustParseExpr(t, tt.sql)); got != tt.want {
				t.Errorf("ParseExpr(%q) = %s, want %s", tt.sql, got, tt.want)
			}
		})
	}
}

// TestExprString checks the SQL rendering used for result column names.
func TestExprString(t *testing.T) {
	tests := []struct{ sql, want string }{
		{"count(*)", "count(*)"},
		{"COUNT( * )", "COUNT(*)"},
		{"vwap(price,volume)", "vwap(price, volume)"},
		{"price*2", "price * 2"},
		{"count(distinct symbol)", "count(DISTINCT symbol)"},
		{"((a))", "a"},
		{"(a + b) * c", "(a + b) * c"},
		{"a + (b * c)", "a + b * c"},
		{"a - (b - c)", "a - (b - c)"},
		{"(a - b) - c", "a - b - c"},
		{"a - -1", "a - -1"},
		{"-(-a)", "- -a"},
		{"-(a + 1)", "-(a + 1)"},
		{"-(5)", "-5"},
		{"NOT (a AND b)", "NOT (a AND b)"},
		{"(NOT a) = b", "(NOT a) = b"},
		{"not a and not b", "NOT a AND NOT b"},
		{"a or b and c", "a OR b AND c"},
		{"(a or b) and c", "(a OR b) AND c"},
		{"a == 1 AND b <> 2", "a = 1 AND b != 2"},
		{"a between 1 and 2", "a BETWEEN 1 AND 2"},
		{"a between (1 = 1) and 2", "a BETWEEN (1 = 1) AND 2"},
		{"a not in (1,2)", "a NOT IN (1, 2)"},
		{"a is not null", "a IS NOT NULL"},
		{"a ilike 'x'", "a ILIKE 'x'"},
		{"a::int", "CAST(a AS INT)"},
		{"-1::int", "-CAST(1 AS INT)"},
		{"cast(a as Decimal(18,4))", "CAST(a AS DECIMAL(18, 4))"},
		{"timestamp '2024-01-01'", "CAST('2024-01-01' AS TIMESTAMP)"},
		{"case when a then 1 else 2 end", "CASE WHEN a THEN 1 ELSE 2 END"},
		{"case x when 1 then 'a' end", "CASE x WHEN 1 THEN 'a' END"},
		{"interval '90 seconds'", "INTERVAL 90 SECOND"},
		{"interval '-3' minutes", "INTERVAL '-3' MINUTE"},
		{`'a''b\\c\nd'`, `'a''b\\c\nd'`},
		{"'tab\there'", `'tab\there'`},
		{`"Mixed"`, `"Mixed"`},
		{`"plain"`, `"plain"`},
		{`t."sel""ect"`, `t."sel""ect"`},
		{`"my table".x`, `"my table".x`},
		{"true and null", "TRUE AND NULL"},
		{"1.50", "1.50"},
		{"- 1e9", "-1e9"},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			if got := mustParseExpr(t, tt.sql).String(); got != tt.want {
				t.Errorf("ParseExpr(%q).String() = %q, want %q", tt.sql, got, tt.want)
			}
		})
	}
}

// TestStringRoundTrip checks that String() parses back to the same tree
// and renders identically.
func TestStringRoundTrip(t *testing.T) {
	for _, sql := range []string{
		"a OR b AND NOT c = d",
		"(a OR b) AND (c OR d)",
		"NOT (a = b) = FALSE",
		"a - (b - (c - d))",
		"((a - b) - c) - d",
		"a / (b * c) % (d / e)",
		"-(-(-a))",
		"- -9223372036854775808",
		"+(-a)",
		"-a::int",
		"(-a)::int",
		"a BETWEEN b AND c BETWEEN d AND e",
		"(a BETWEEN b AND c) = (d IN (1, 2))",
		"a NOT LIKE b || 'x' ESCAPE_IS_NOT_SUPPORTED",
		"CASE WHEN a IS NULL THEN -1 WHEN a BETWEEN 1 AND 2 THEN a * 2 ELSE CAST(a AS double) END",
		"xbar(ts, 300000000000) + INTERVAL 5 MINUTE",
		"ts >= TIMESTAMP '2024-01-01' AND ts < TIMESTAMP '2024-01-02'",
		"'quote '' backslash \\\\ newline \\n nul \\0'",
		`"select" + "Weird ""name""" + t."from"`,
		"interval - 1",
		"count(DISTINCT a, b)",
		"f()",
		"a || b || (c || d)",
		"1.5e3 * .5 - 1.",
	} {
		t.Run(sql, func(t *testing.T) {
			e, err := ParseExpr(sql)
			if err != nil {
				if strings.Contains(sql, "ESCAPE_IS_NOT_SUPPORTED") {
					return // an implicit trailing word is not an expression
				}
				t.Fatal(err)
			}
			s := e.String()
			e2 := mustParseExpr(t, s)
			if s2 := e2.String(); s2 != s {
				t.Fatalf("String not stable: %q -> %q -> %q", sql, s, s2)
			}
			clearPos(e)
			clearPos(e2)
			if !reflect.DeepEqual(e, e2) && !strings.Contains(sql, "(-") {
				t.Errorf("tree changed: %q -> %q\n%#v\n%#v", sql, s, e, e2)
			}
		})
	}
}

func TestProgrammaticString(t *testing.T) {
	tests := []struct {
		e    Expr
		want string
	}{
		{&IntLit{Value: -3}, "-3"},
		{&FloatLit{Value: 2}, "2.0"},
		{&FloatLit{Value: 0.25}, "0.25"},
		{&ColumnRef{Name: "Order"}, `"Order"`},
		{&ColumnRef{Name: "a b"}, `"a b"`},
		{&ColumnRef{Name: "x", Quoted: true}, `"x"`},
		{bin("AND", bin("=", col("a"), unary("NOT", col("b"))), col("c")), "a = (NOT b) AND c"},
		{unary("-", unary("+", col("a"))), "- +a"},
	}
	for _, tt := range tests {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.e, got, tt.want)
		}
	}
}

func TestParseExprErrors(t *testing.T) {
	for sql, want := range map[string]string{
		"":      "syntax error at line 1, column 1: empty expression",
		"a b":   `syntax error at line 1, column 3: expected end of expression, found "b"`,
		"1 +":   "syntax error at line 1, column 4: unexpected end of query, expected expression",
		"(1))":  `syntax error at line 1, column 4: expected end of expression, found ")"`,
		"a::1":  `syntax error at line 1, column 4: expected type name, found "1"`,
		"a.1":   `syntax error at line 1, column 2: expected end of expression, found ".1"`,
		"f(a,)": `syntax error at line 1, column 5: expected expression, found ")"`,
	} {
		_, err := ParseExpr(sql)
		if err == nil || err.Error() != want {
			t.Errorf("ParseExpr(%q) error = %v, want %s", sql, err, want)
		}
	}
}

func TestInspect(t *testing.T) {
	e := mustParseExpr(t, "CASE WHEN a BETWEEN b AND c THEN -f(d, e::int) ELSE g IN (h, i) END OR j IS NULL AND k LIKE l || m")
	var names []string
	Inspect(e, func(x Expr) bool {
		switch x := x.(type) {
		case *ColumnRef:
			names = append(names, x.Name)
		case *FuncCall:
			names = append(names, x.Name+"()")
			return false // do not descend: d and e are skipped
		}
		return true
	})
	if got, want := strings.Join(names, " "), "a b c f() g h i j k l m"; got != want {
		t.Errorf("visited %q, want %q", got, want)
	}
}
