package parser

import (
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestParseStatements(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want Statement
	}{
		{"select without from", "SELECT 1", &Select{Items: []SelectItem{{Expr: num("1")}}}},
		{"trailing semicolon", "select 1;", &Select{Items: []SelectItem{{Expr: num("1")}}}},
		{"star", "SELECT * FROM trades", &Select{
			Items: []SelectItem{{Star: true}},
			From:  &TableRef{Name: "trades"},
		}},
		{"distinct with aliases", "SELECT DISTINCT symbol AS s, price p, volume \"Vol\" FROM trades t", &Select{
			Distinct: true,
			Items: []SelectItem{
				{Expr: col("symbol"), Alias: "s"},
				{Expr: col("price"), Alias: "p"},
				{Expr: col("volume"), Alias: "Vol"},
			},
			From: &TableRef{Name: "trades", Alias: "t"},
		}},
		{"table alias with AS", "SELECT t.price FROM trades AS t", &Select{
			Items: []SelectItem{{Expr: qcol("t", "price")}},
			From:  &TableRef{Name: "trades", Alias: "t"},
		}},
		{"all clauses", "SELECT symbol, count(*) FROM trades WHERE price > 1 GROUP BY symbol HAVING count(*) > 2 " +
			"ORDER BY symbol ASC, 2 DESC NULLS FIRST, price NULLS LAST LIMIT 10 OFFSET 5", &Select{
			Items:   []SelectItem{{Expr: col("symbol")}, {Expr: &FuncCall{Name: "count", Star: true, Args: []Expr{&Star{}}}}},
			From:    &TableRef{Name: "trades"},
			Where:   bin(">", col("price"), num("1")),
			GroupBy: []Expr{col("symbol")},
			Having:  bin(">", &FuncCall{Name: "count", Star: true, Args: []Expr{&Star{}}}, num("2")),
			OrderBy: []OrderItem{
				{Expr: col("symbol")},
				{Expr: num("2"), Desc: true, NullsFirst: boolPtr(true)},
				{Expr: col("price"), NullsFirst: boolPtr(false)},
			},
			Limit:  num("10"),
			Offset: num("5"),
		}},
		{"clickhouse limit offset, count", "SELECT * FROM t LIMIT 20, 10", &Select{
			Items: []SelectItem{{Star: true}}, From: &TableRef{Name: "t"},
			Limit: num("10"), Offset: num("20"),
		}},
		{"offset alone", "SELECT * FROM t OFFSET 3", &Select{
			Items: []SelectItem{{Star: true}}, From: &TableRef{Name: "t"}, Offset: num("3"),
		}},
		{"format and settings", "SELECT 1 FORMAT JSONEachRow SETTINGS max_threads = 4, mode = 'fast'", &Select{
			Items:  []SelectItem{{Expr: num("1")}},
			Format: "JSONEachRow",
			Settings: []Setting{
				{Name: "max_threads", Value: num("4")},
				{Name: "mode", Value: str("fast")},
			},
		}},
		{"settings before format", "SELECT 1 SETTINGS a = 1 FORMAT CSV;", &Select{
			Items: []SelectItem{{Expr: num("1")}}, Format: "CSV",
			Settings: []Setting{{Name: "a", Value: num("1")}},
		}},
		{"keyword-like column names", "SELECT ts, timestamp, date, time, first, last, count, value, key, type, side, hour, day, minute, interval, nulls FROM trades", &Select{
			Items: []SelectItem{
				{Expr: col("ts")}, {Expr: col("timestamp")}, {Expr: col("date")}, {Expr: col("time")},
				{Expr: col("first")}, {Expr: col("last")}, {Expr: col("count")}, {Expr: col("value")},
				{Expr: col("key")}, {Expr: col("type")}, {Expr: col("side")}, {Expr: col("hour")},
				{Expr: col("day")}, {Expr: col("minute")}, {Expr: col("interval")}, {Expr: col("nulls")},
			},
			From: &TableRef{Name: "trades"},
		}},
		{"quoted reserved word as column", `SELECT "select", "from" FROM "order"`, &Select{
			Items: []SelectItem{
				{Expr: &ColumnRef{Name: "select", Quoted: true}},
				{Expr: &ColumnRef{Name: "from", Quoted: true}},
			},
			From: &TableRef{Name: "order"},
		}},
		{"create table", "CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT) TIMESTAMP(ts) PARTITION BY DAY", &CreateTable{
			Name: "trades",
			Columns: []ColumnDef{
				{Name: "ts", Type: "TIMESTAMP"}, {Name: "symbol", Type: "SYMBOL"},
				{Name: "price", Type: "DOUBLE"}, {Name: "volume", Type: "BIGINT"},
			},
			TimestampColumn: "ts",
			PartitionBy:     "DAY",
		}},
		{"create table with every option", "create table if not exists Quotes (\"timestamp\" timestamp not null, sym varchar(32) null, " +
			"bid double precision, ask LowCardinality(String), px Decimal(18, 4)) partition by hour timestamp(\"timestamp\") engine = MergeTree()", &CreateTable{
			Name:        "Quotes",
			IfNotExists: true,
			Columns: []ColumnDef{
				{Name: "timestamp", Type: "TIMESTAMP", NotNull: true},
				{Name: "sym", Type: "VARCHAR", TypeArgs: []string{"32"}},
				{Name: "bid", Type: "DOUBLE PRECISION"},
				{Name: "ask", Type: "LOWCARDINALITY", TypeArgs: []string{"STRING"}},
				{Name: "px", Type: "DECIMAL", TypeArgs: []string{"18", "4"}},
			},
			TimestampColumn: "timestamp",
			PartitionBy:     "HOUR",
			Engine:          "MergeTree",
		}},
		{"create table named if", "CREATE TABLE if (a INT) PARTITION BY NONE ENGINE Memory", &CreateTable{
			Name: "if", Columns: []ColumnDef{{Name: "a", Type: "INT"}}, PartitionBy: "NONE", Engine: "Memory",
		}},
		{"drop table", "DROP TABLE trades", &DropTable{Name: "trades"}},
		{"drop table if exists", "drop table if exists trades;", &DropTable{Name: "trades", IfExists: true}},
		{"drop table named if", "DROP TABLE if", &DropTable{Name: "if"}},
		{"insert values", "INSERT INTO trades VALUES (1, 'AAPL', 1.5, -3), (2, NULL, TRUE, 1 + 2)", &Insert{
			Table: "trades",
			Rows: [][]Expr{
				{num("1"), str("AAPL"), flt(1.5, "1.5"), num("-3")},
				{num("2"), &NullLit{}, &BoolLit{Value: true}, bin("+", num("1"), num("2"))},
			},
		}},
		{"insert with columns", "INSERT INTO trades (ts, price) VALUES (-9223372036854775808, -1.5e3)", &Insert{
			Table:   "trades",
			Columns: []string{"ts", "price"},
			Rows:    [][]Expr{{num("-9223372036854775808"), flt(-1500, "-1.5e3")}},
		}},
		{"insert format with data", "INSERT INTO TABLE trades (ts, price) FORMAT CSV\n1,'x'\n2,'unterminated\n", &Insert{
			Table:   "trades",
			Columns: []string{"ts", "price"},
			Format:  "CSV",
			Data:    "1,'x'\n2,'unterminated\n",
		}},
		{"insert format with data on the same line", "INSERT INTO t FORMAT Values (1), (2)", &Insert{
			Table: "t", Format: "Values", Data: "(1), (2)",
		}},
		{"insert format without data", "INSERT INTO t FORMAT TSV", &Insert{Table: "t", Format: "TSV"}},
		{"insert format keeps leading tab", "INSERT INTO t FORMAT TSV\r\n\t1\n", &Insert{Table: "t", Format: "TSV", Data: "\t1\n"}},
		{"show tables", "show tables;", &ShowTables{}},
		{"describe", "DESCRIBE trades", &Describe{Table: "trades"}},
		{"describe table", "DESCRIBE TABLE trades", &Describe{Table: "trades"}},
		{"desc", "desc trades", &Describe{Table: "trades"}},
		{"explain", "EXPLAIN SELECT 1", &Explain{Stmt: &Select{Items: []SelectItem{{Expr: num("1")}}}}},
		{"explain insert", "EXPLAIN INSERT INTO t VALUES (1)", &Explain{Stmt: &Insert{Table: "t", Rows: [][]Expr{{num("1")}}}}},
		{"comments around", "/* hi */ SELECT 1 -- bye", &Select{Items: []SelectItem{{Expr: num("1")}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustParse(t, tt.sql)
			clearPos(got)
			fillSource(tt.want)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got: %#v\nwant: %#v", tt.sql, got, tt.want)
			}
		})
	}
}

// TestSeedQueries parses the statements the ops guide and quants rely on.
func TestSeedQueries(t *testing.T) {
	for _, sql := range []string{
		"SELECT vwap(price, volume) FROM trades WHERE symbol = 1",
		"SELECT xbar(ts, 300000000000) AS bar, first(price), max(price), min(price), last(price), sum(volume) FROM trades WHERE symbol = 'AAPL' GROUP BY bar ORDER BY bar",
		"SELECT count(*) FROM trades WHERE price BETWEEN 10 AND 20 AND symbol IN ('A','B')",
		"SELECT * FROM trades ORDER BY ts DESC LIMIT 100",
		"SELECT 1",
		"SHOW TABLES",
		"DESCRIBE trades",
		"SELECT symbol, vwap(price, volume) FROM trades GROUP BY symbol",
		"SELECT count(*) FROM trades WHERE price > 101 AND volume > 500",
		"CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT)",
		"INSERT INTO trades VALUES (1793611800000000000,'S001',100.25,300),(1793611800000000007,'S042',100.00,1)",
	} {
		t.Run(sql, func(t *testing.T) { mustParse(t, sql) })
	}
}

func TestSeedQueryShapes(t *testing.T) {
	sel := mustParse(t, "SELECT xbar(ts, 300000000000) AS bar, first(price), sum(volume) FROM trades "+
		"WHERE symbol = 'AAPL' GROUP BY bar ORDER BY bar").(*Select)
	var names []string
	for _, it := range sel.Items {
		names = append(names, it.Expr.String())
	}
	if got, want := strings.Join(names, "|"), "xbar(ts, 300000000000)|first(price)|sum(volume)"; got != want {
		t.Errorf("item names %q, want %q", got, want)
	}
	if sel.Items[0].Alias != "bar" || sel.Where.String() != "symbol = 'AAPL'" || sel.GroupBy[0].String() != "bar" {
		t.Errorf("unexpected tree: %#v", sel)
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, sql, want string
	}{
		{"empty", "", "1:1: empty query"},
		{"only blanks", "  \n\t", "1:1: empty query"},
		{"only comments", "-- nothing\n/* here */", "1:1: empty query"},
		{"only a semicolon", " ; ", "1:1: empty query"},
		{"misspelt statement", "SELEC 1", `1:1: expected SELECT, INSERT, CREATE, DROP, SHOW, DESCRIBE or EXPLAIN, found "SELEC"`},
		{"missing select list", "SELECT FROM t", `1:8: expected expression, found "FROM"`},
		{"missing table", "SELECT a FROM", "1:14: unexpected end of query, expected table name"},
		{"unclosed paren", "SELECT (1", `1:10: unexpected end of query, expected ")"`},
		{"unfinished values", "INSERT INTO t VALUES (1,", "1:25: unexpected end of query, expected expression"},
		{"unterminated string", "SELECT 'abc", "1:8: unterminated string literal"},
		{"integer out of range", "SELECT 99999999999999999999", "1:8: integer literal out of range"},
		{"negative integer out of range", "SELECT -9223372036854775809", "1:8: integer literal out of range"},
		{"min int64 under a cast", "SELECT -9223372036854775808::INT64", "1:9: integer literal out of range"},
		{"float out of range", "SELECT 1e999", "1:8: float literal out of range"},
		{"misspelt FROM after star", "SELECT * FORM t", `1:10: expected FROM or end of query, found "FORM"`},
		{"misspelt FROM taken as alias", "SELECT price FORM trades", `1:14: expected FROM or end of query, found "FORM"`},
		{"error on line 3", "SELECT a,\n       b\nFROM t WHERE a = = 1", `3:18: expected expression, found "="`},
		{"misspelt WHERE on line 2", "SELECT a FROM t\n  WHER a = 1", `2:3: expected WHERE, GROUP BY, ORDER BY, LIMIT or end of query, found "WHER"`},
		{"clause out of order", "SELECT a FROM t ORDER BY a WHERE a = 1", `1:28: expected LIMIT or end of query, found "WHERE"`},
		{"garbage after limit", "SELECT a FROM t LIMIT 1 2", `1:25: expected OFFSET or end of query, found "2"`},
		{"two statements", "SELECT 1; SELECT 2", `1:11: expected end of query after ";", found "SELECT" (only one statement is allowed)`},
		{"missing BY", "SELECT a FROM t GROUP a", `1:23: expected BY, found "a"`},
		{"between without AND", "SELECT a FROM t WHERE a BETWEEN 1", "1:34: unexpected end of query, expected AND"},
		{"dangling operator", "SELECT 1 +", "1:11: unexpected end of query, expected expression"},
		{"empty IN list", "SELECT a IN ()", `1:14: expected expression, found ")"`},
		{"unclosed IN subquery", "SELECT a FROM t WHERE a IN (SELECT 1", `1:37: unexpected end of query, expected ")"`},
		{"IS without NULL", "SELECT a IS 1", `1:13: expected NULL, found "1"`},
		{"CASE without WHEN", "SELECT CASE END", `1:13: expected WHEN, found "END"`},
		{"CAST without AS", "SELECT CAST(a INT)", `1:15: expected AS, found "INT"`},
		{"bad interval unit", "SELECT INTERVAL 5 FORTNIGHT", `1:19: expected interval unit, found "FORTNIGHT"`},
		{"fractional interval", "SELECT INTERVAL 1.5 SECOND", "1:17: interval quantity must be an integer"},
		{"bad interval string", "SELECT INTERVAL '5 moons'", `1:17: unknown interval unit "moons"`},
		{"interval overflow", "SELECT INTERVAL 1000000 WEEKS", "1:17: interval out of range"},
		{"NULLS without FIRST", "SELECT a FROM t ORDER BY a NULLS", "1:33: unexpected end of query, expected FIRST or LAST"},
		{"bad partition unit", "CREATE TABLE t (a INT) PARTITION BY YEAR", `1:37: expected HOUR, DAY, MONTH or NONE, found "YEAR"`},
		{"duplicate table option", "CREATE TABLE t (a INT) TIMESTAMP(a) TIMESTAMP(a)", "1:37: duplicate TIMESTAMP clause"},
		{"garbage after create", "CREATE TABLE t (a INT) GROUP BY a", `1:24: expected TIMESTAMP, PARTITION BY, ENGINE, ORDER BY, PRIMARY KEY, SETTINGS or end of query, found "GROUP"`},
		{"column without type", "CREATE TABLE t (a, b INT)", `1:18: expected type name, found ","`},
		{"reserved word as table", "DROP TABLE select", `1:12: expected table name, found "select"`},
		{"insert without values", "INSERT INTO t (a) UPDATE 1", `1:19: expected VALUES, FORMAT or SELECT, found "UPDATE"`},
		{"show what", "SHOW COLUMNS", `1:6: expected TABLES, found "COLUMNS"`},
		{"nested explain", "EXPLAIN EXPLAIN SELECT 1", `1:9: expected SELECT, INSERT, CREATE, DROP, SHOW or DESCRIBE, found "EXPLAIN"`},
		{"unknown character", "SELECT a # b", `1:10: unexpected character '#'`},
		{"invalid UTF-8", "SELECT 'ok',\n  'bad\xff'", "2:7: invalid UTF-8 encoding"},
		{"unterminated comment", "SELECT 1 /* never closed", "1:10: unterminated comment"},
		{"glued number", "SELECT 1abc", "1:8: invalid number literal"},
		{"NOT without predicate", "SELECT a FROM t WHERE a NOT 1", `1:25: expected GROUP BY, ORDER BY, LIMIT or end of query, found "NOT"`},
		{"star with alias", "SELECT * AS x", `1:10: expected FROM or end of query, found "AS"`},
		{"qualified star in an expression", "SELECT t.* + 1 FROM t", `1:12: expected FROM or end of query, found "+"`},
		{"long token is shortened", "SELECT 1 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'", `1:10: expected FROM or end of query, found "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..."`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmt, err := Parse(tt.sql)
			if err == nil {
				t.Fatalf("Parse(%q) = %#v, want error", tt.sql, stmt)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is %T, want *SyntaxError", err, err)
			}
			if got := se.Pos.String() + ": " + se.Msg; got != tt.want {
				t.Errorf("Parse(%q)\n got: %s\nwant: %s", tt.sql, got, tt.want)
			}
		})
	}
}

func TestSyntaxErrorText(t *testing.T) {
	_, err := Parse("SELECT a,\n  b\nFORM t")
	want := `syntax error at line 3, column 1: expected FROM or end of query, found "FORM"`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestStatementPositions(t *testing.T) {
	sel := mustParse(t, "\n  SELECT a,\n    b + 1 AS c\n  FROM trades").(*Select)
	checks := []struct {
		what      string
		got, want Pos
	}{
		{"select", sel.Pos(), Pos{2, 3}},
		{"item 0", sel.Items[0].At, Pos{2, 10}},
		{"item 1", sel.Items[1].At, Pos{3, 5}},
		{"item 1 operator", sel.Items[1].Expr.Pos(), Pos{3, 7}},
		{"from", sel.From.Pos(), Pos{4, 8}},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s at %v, want %v", c.what, c.got, c.want)
		}
	}
	ct := mustParse(t, "CREATE TABLE t (\n  a INT,\n  b DOUBLE)").(*CreateTable)
	if ct.Columns[1].At != (Pos{3, 3}) {
		t.Errorf("column b at %v, want 3:3", ct.Columns[1].At)
	}
}

func TestDepthLimit(t *testing.T) {
	tests := []struct {
		name    string
		sql     string
		wantErr bool
	}{
		{"parentheses within limit", "SELECT " + strings.Repeat("(", 998) + "1" + strings.Repeat(")", 998), false},
		{"parentheses beyond limit", "SELECT " + strings.Repeat("(", 1000) + "1" + strings.Repeat(")", 1000), true},
		{"unary minus beyond limit", "SELECT " + strings.Repeat("- ", 1000) + "x", true},
		{"NOT beyond limit", "SELECT " + strings.Repeat("NOT ", 1000) + "x", true},
		{"casts beyond limit", "SELECT x" + strings.Repeat("::INT", 1000), true},
		{"function calls beyond limit", "SELECT " + strings.Repeat("f(", 1000) + "1" + strings.Repeat(")", 1000), true},
		{"nested types beyond limit", "CREATE TABLE t (a " + strings.Repeat("N(", 1001) + "INT" + strings.Repeat(")", 1001) + ")", true},
		{"long flat chains are fine", "SELECT 1" + strings.Repeat(" + 1", 100000), false},
		{"a million-level paren bomb fails cleanly", "SELECT " + strings.Repeat("(", 1<<20), true},
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

// TestDepthLimitRoundTrip checks, right at the nesting limit, that whatever
// parses also re-parses from its String(): rendering must never nest deeper
// than the source did (x::T, for one, renders as CAST(x AS T)).
func TestDepthLimitRoundTrip(t *testing.T) {
	nest := func(n int, open, inner, close string) string {
		return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
	}
	templates := map[string]func(n int) string{
		"calls then cast":      func(n int) string { return nest(n, "f(", "1", ")") + "::INT" },
		"casts inside calls":   func(n int) string { return nest(n, "f(", "a::INT::TEXT", ")") },
		"parenthesized casts":  func(n int) string { return nest(n, "(", "f(x)::INT", ")::INT") },
		"typed literal inside": func(n int) string { return nest(n, "f(", "TIMESTAMP '2024-01-01'", ")") },
		"unary minus":          func(n int) string { return strings.Repeat("- ", n) + "(x)" },
		"NOT chain":            func(n int) string { return strings.Repeat("NOT ", n) + "x" },
		"nested CASE":          func(n int) string { return nest(n, "CASE WHEN a THEN ", "1", " END") },
		"right-nested minus":   func(n int) string { return nest(n, "a - (", "b", ")") },
	}
	for name, tmpl := range templates {
		t.Run(name, func(t *testing.T) {
			// Find the deepest n that parses (parsing fails for all larger n).
			deepest := sort.Search(2*maxDepth, func(n int) bool {
				_, err := Parse("SELECT " + tmpl(n+1))
				return err != nil
			})
			if deepest == 0 || deepest == 2*maxDepth {
				t.Fatalf("the limit is not reached where expected (deepest = %d)", deepest)
			}
			for _, n := range []int{deepest - 1, deepest} {
				for _, e := range statementExprs(mustParse(t, "SELECT "+tmpl(n))) {
					checkRoundTrip(t, e)
				}
			}
		})
	}
}
