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
	})
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

// statementExprs lists the top-level expressions of a statement.
func statementExprs(stmt Statement) []Expr {
	var out []Expr
	add := func(es ...Expr) {
		for _, e := range es {
			if e != nil {
				out = append(out, e)
			}
		}
	}
	switch s := stmt.(type) {
	case *Explain:
		return statementExprs(s.Stmt)
	case *Insert:
		for _, row := range s.Rows {
			add(row...)
		}
	case *Select:
		for _, it := range s.Items {
			add(it.Expr)
		}
		add(s.Where, s.Having, s.Limit, s.Offset)
		add(s.GroupBy...)
		for _, o := range s.OrderBy {
			add(o.Expr)
		}
		for _, st := range s.Settings {
			add(st.Value)
		}
	}
	return out
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
