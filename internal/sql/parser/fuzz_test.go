package parser

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// fuzzSeeds are representative statements. They are added with f.Add and
// also stored in testdata/fuzz/FuzzParse/seed-*; after editing this list,
// rewrite those files with
//
//	go test ./internal/sql/parser -run TestFuzzCorpus -args -update-corpus
var fuzzSeeds = []string{
	"SELECT 1",
	"SELECT vwap(price, volume) FROM trades WHERE symbol = 1",
	"SELECT xbar(ts, 300000000000) AS bar, first(price), max(price), min(price), last(price), sum(volume) FROM trades WHERE symbol = 'AAPL' GROUP BY bar ORDER BY bar",
	"SELECT count(*) FROM trades WHERE price BETWEEN 10 AND 20 AND symbol IN ('A','B')",
	"SELECT * FROM trades ORDER BY ts DESC LIMIT 100",
	"SHOW TABLES",
	"DESCRIBE trades",
	"DESC TABLE trades;",
	"EXPLAIN SELECT symbol, avg(price) FROM trades GROUP BY symbol HAVING avg(price) > 10",
	"SELECT DISTINCT symbol s FROM trades t WHERE t.price >= 1.5e2 OR NOT (volume < 10)",
	"SELECT * FROM trades LIMIT 10, 20 FORMAT JSONEachRow SETTINGS max_threads = 2",
	"SELECT a FROM t ORDER BY a DESC NULLS FIRST, b ASC NULLS LAST LIMIT 5 OFFSET 10",
	"SELECT -9223372036854775808, - -1, +2, -1.5, .5, 1e9, 1.5E-3, 007",
	"SELECT 'it''s', 'a\\'b\\\\c\\n', 'héllo', \"Quoted \"\"Col\"\"\", `back`",
	"SELECT a || b, a::int64, CAST(a AS varchar(32)), TIMESTAMP '2024-01-02 09:30:00'",
	"SELECT CASE side WHEN 'B' THEN volume ELSE -volume END, CASE WHEN price > 1 THEN 1 END FROM trades",
	"SELECT ts - INTERVAL 5 MINUTE, INTERVAL '3 days', INTERVAL '-1' WEEK FROM trades",
	"SELECT a FROM t WHERE a NOT BETWEEN 1 AND 2 AND b NOT IN (1) AND c IS NOT NULL AND d NOT ILIKE 'x%'",
	"SELECT count(DISTINCT symbol), now(), a % 2 = 0, a <> b, a == b FROM t",
	"CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT) TIMESTAMP(ts) PARTITION BY DAY",
	"CREATE TABLE IF NOT EXISTS q (ts TIMESTAMP NOT NULL, bid DOUBLE PRECISION, s LowCardinality(String)) ENGINE = MergeTree()",
	"DROP TABLE IF EXISTS trades",
	"INSERT INTO trades VALUES (1793611800000000000,'S001',100.25,300),(1793611800000000007,'S042',100.00,1)",
	"INSERT INTO trades (ts, price) VALUES (1, NULL), (2, TRUE), (3, 1 + 2)",
	"INSERT INTO trades FORMAT CSV\n1,'S001',1.5,10\n",
	"/* comment */ SELECT timestamp, date, first, last, count, value, key, type, interval -- trailing\nFROM trades",
	"SELECT a,\n  b\nFORM t",
	"SELECT (((((1)))))",
	"SELECT 99999999999999999999",
	"SELECT 'unterminated",
	"SELECT a FROM t WHERE x IN (SELECT 1)",
	"SELECT 1; SELECT 2",
	"WITH a AS (SELECT sym, price FROM trades), b (x) AS (SELECT 1) SELECT * FROM a JOIN b ON a.sym = b.x",
	"SELECT * FROM (SELECT sym, max(price) m FROM trades GROUP BY sym) x WHERE x.m > 1",
	"(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL SELECT b FROM u INTERSECT SELECT c FROM v EXCEPT SELECT 1 ORDER BY 1 LIMIT 5",
	"SELECT (SELECT max(p) FROM t), a IN ((SELECT 1 LIMIT 1) UNION SELECT 2), NOT EXISTS (SELECT 1) FROM u",
	"SELECT t.*, q.bid FROM trades t LEFT OUTER JOIN quotes q USING (sym) CROSS JOIN x FULL JOIN y ON 1 = 1",
	"SELECT * FROM trades t ASOF LEFT JOIN quotes q ON t.sym = q.sym AND t.ts >= q.ts TOLERANCE INTERVAL 1 SECOND",
	"SELECT * FROM trades ASOF NEAREST JOIN quotes TOLERANCE 5s",
	"SELECT * FROM trades t WINDOW JOIN quotes q ON t.sym = q.sym AND q.ts BETWEEN t.ts - INTERVAL 1 SECOND AND t.ts + INTERVAL 1 SECOND INCLUDE PREVAILING",
	"SELECT * FROM trades WHERE venue = 'X' LATEST ON ts PARTITION BY sym, venue",
	"SELECT ts, avg(price) FROM trades SAMPLE BY 5m FILL(NULL, PREV, 0) FROM '2024-01-01' TO '2024-01-02' ALIGN TO CALENDAR TIME ZONE 'America/New_York' WITH OFFSET '00:30'",
	"SELECT ts, last(price) FROM trades SAMPLE BY 1M ALIGN TO FIRST OBSERVATION",
	"SELECT count() FROM trades SAMPLE 1/10 OFFSET 0.5 LIMIT 2 BY sym LIMIT 10",
	"SELECT sym, row_number() OVER (PARTITION BY sym ORDER BY ts DESC) rn FROM trades QUALIFY rn = 1",
	"SELECT avg(p) OVER (w ORDER BY ts RANGE BETWEEN INTERVAL '5 minutes' PRECEDING AND CURRENT ROW), sum(p) OVER w FROM t WINDOW w AS (PARTITION BY s)",
	"SELECT count(*) FILTER (WHERE p > 1), quantiles(0.1, 0.9)(p), extract(hour FROM ts), a IS NOT DISTINCT FROM b FROM t",
	"UPDATE trades SET price = price * 2, venue = 'X' WHERE sym = 'A'",
	"SELECT * FROM t WHERE ts > now() - INTERVAL '90s' AND ts < now() - INTERVAL '250 ms'",
	"DELETE FROM trades WHERE ts < TIMESTAMP '2024-01-01'",
	"ALTER TABLE t ADD COLUMN IF NOT EXISTS c DOUBLE, DROP COLUMN d, RENAME COLUMN a TO b",
	"CREATE TABLE t2 AS (SELECT * FROM t) TIMESTAMP(ts) PARTITION BY DAY",
	"EXPLAIN ANALYZE INSERT INTO t (a) SELECT x FROM u; ",
	"SELECT window, range, current, sample, partition, rows, set, update FROM t sample",
	"TRUNCATE TABLE trades",
}

// FuzzParse checks that Parse never panics, that failures are positioned
// *SyntaxErrors, and that every expression of a parsed statement renders
// to text that parses back to the same rendering.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		stmt, err := Parse(sql)
		if err != nil {
			checkSyntaxError(t, sql, err)
			return
		}
		for _, e := range statementExprs(stmt) {
			checkRoundTrip(t, e)
		}
		checkStatementRoundTrip(t, stmt)
	})
}

// checkStatementRoundTrip checks that a statement's String() parses back
// to a statement with the same rendering.
func checkStatementRoundTrip(t *testing.T, stmt Statement) {
	s := stmt.String()
	stmt2, err := Parse(s)
	if err != nil {
		t.Fatalf("String() %q of a parsed statement does not parse: %v", s, err)
	}
	if s2 := stmt2.String(); s2 != s {
		t.Fatalf("statement String() not stable: %q re-renders as %q", s, s2)
	}
}

func checkSyntaxError(t *testing.T, sql string, err error) {
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Parse(%q): error %v is %T, not *SyntaxError", sql, err, err)
	}
	if se.Pos.Line < 1 || se.Pos.Col < 1 {
		t.Fatalf("Parse(%q): error without a position: %v", sql, err)
	}
}

func checkRoundTrip(t *testing.T, e Expr) {
	s := e.String()
	e2, err := ParseExpr(s)
	if err != nil {
		t.Fatalf("String() %q of a parsed expression does not parse: %v", s, err)
	}
	if s2 := e2.String(); s2 != s {
		t.Fatalf("String() not stable: %q re-renders as %q", s, s2)
	}
}

// statementExprs lists the top-level expressions of a statement, and of
// the queries it contains outside expressions (set operation operands,
// CTEs, FROM subqueries). Expressions inside subquery expressions are
// covered by their containing expression's round trip.
func statementExprs(stmt Statement) []Expr {
	var out []Expr
	add := func(es ...Expr) {
		for _, e := range es {
			if e != nil {
				out = append(out, e)
			}
		}
	}
	addOrder := func(items []OrderItem) {
		for _, o := range items {
			add(o.Expr)
		}
	}
	switch s := stmt.(type) {
	case *Explain:
		return statementExprs(s.Stmt)
	case *Insert:
		for _, row := range s.Rows {
			add(row...)
		}
		if s.Query != nil {
			add(statementExprs(s.Query)...)
		}
	case *CreateTable:
		if s.Query != nil {
			add(statementExprs(s.Query)...)
		}
	case *Update:
		for _, a := range s.Set {
			add(a.Value)
		}
		add(s.Where)
	case *Delete:
		add(s.Where)
	case *SetOp:
		add(cteExprs(s.With)...)
		add(statementExprs(s.L)...)
		add(statementExprs(s.R)...)
		add(s.Limit, s.Offset)
		addOrder(s.OrderBy)
	case *Select:
		add(cteExprs(s.With)...)
		for _, it := range s.Items {
			add(it.Expr)
		}
		add(tableExprs(s.Source)...)
		add(s.Where, s.Having, s.Limit, s.Offset, s.Sample, s.SampleOffset, s.Qualify)
		add(s.GroupBy...)
		addOrder(s.OrderBy)
		for _, st := range s.Settings {
			add(st.Value)
		}
		if s.LimitBy != nil {
			add(s.LimitBy.Limit, s.LimitBy.Offset)
			add(s.LimitBy.By...)
		}
		if sb := s.SampleBy; sb != nil {
			add(sb.From, sb.To, sb.TimeZone, sb.Offset)
			for _, f := range sb.Fill {
				add(f.Value)
			}
		}
		for _, w := range s.Windows {
			add(w.Spec.PartitionBy...)
			addOrder(w.Spec.OrderBy)
		}
	}
	return out
}

func cteExprs(with []CTE) []Expr {
	var out []Expr
	for _, c := range with {
		out = append(out, statementExprs(c.Query)...)
	}
	return out
}

func tableExprs(t TableExpr) []Expr {
	switch t := t.(type) {
	case *SubqueryRef:
		return statementExprs(t.Query)
	case *Join:
		out := append(tableExprs(t.Left), tableExprs(t.Right)...)
		for _, e := range []Expr{t.On, t.Tolerance} {
			if e != nil {
				out = append(out, e)
			}
		}
		return out
	}
	return nil
}

var updateCorpus = flag.Bool("update-corpus", false, "rewrite testdata/fuzz/FuzzParse/seed-* from fuzzSeeds")

// TestFuzzCorpus keeps the checked-in seed corpus in step with fuzzSeeds,
// so `go test -fuzz` starts from the same inputs f.Add provides.
func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzParse")
	for i, s := range fuzzSeeds {
		path := filepath.Join(dir, fmt.Sprintf("seed-%02d", i+1))
		want := "go test fuzz v1\nstring(" + strconv.Quote(s) + ")\n"
		if *updateCorpus {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s is missing or stale; run go test ./internal/sql/parser -run TestFuzzCorpus -args -update-corpus", path)
		}
	}
}
