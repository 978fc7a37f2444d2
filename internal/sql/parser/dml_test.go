package parser

import (
	"sort"
	"strings"
	"testing"
)

func TestParseDML(t *testing.T) {
	one := &Select{Items: items(num("1"))}
	checkParseTrees(t, []struct {
		name string
		sql  string
		want Statement
	}{
		{"update", "UPDATE trades SET price = price * 2, venue = 'X' WHERE sym = 'A'", &Update{
			Table: "trades",
			Set: []Assignment{
				{Column: "price", Value: bin("*", col("price"), num("2"))},
				{Column: "venue", Value: str("X")},
			},
			Where: bin("=", col("sym"), str("A")),
		}},
		{"update without WHERE, columns named set and update", "update set set set = 1, update = (SELECT 1)", &Update{
			Table: "set",
			Set:   []Assignment{{Column: "set", Value: num("1")}, {Column: "update", Value: &SubqueryExpr{Query: one}}},
		}},
		{"delete", "DELETE FROM trades WHERE ts < 5", &Delete{Table: "trades", Where: bin("<", col("ts"), num("5"))}},
		{"delete everything", "delete from trades;", &Delete{Table: "trades"}},
		{"truncate table", "TRUNCATE TABLE trades", &Truncate{Table: "trades"}},
		{"truncate", "truncate trades", &Truncate{Table: "trades"}},
		{"alter table add column", "ALTER TABLE t ADD COLUMN c DOUBLE PRECISION NOT NULL", &AlterTable{
			Table: "t", Actions: []AlterAction{&AddColumn{Column: ColumnDef{Name: "c", Type: "DOUBLE PRECISION", NotNull: true}}},
		}},
		{"alter table, several actions", "ALTER TABLE t ADD COLUMN IF NOT EXISTS c VARCHAR(10), DROP COLUMN IF EXISTS d, DROP COLUMN if, RENAME COLUMN a TO b", &AlterTable{
			Table: "t", Actions: []AlterAction{
				&AddColumn{IfNotExists: true, Column: ColumnDef{Name: "c", Type: "VARCHAR", TypeArgs: []string{"10"}}},
				&DropColumn{Name: "d", IfExists: true},
				&DropColumn{Name: "if"},
				&RenameColumn{Old: "a", New: "b"},
			},
		}},
		{"alter table set ttl", "ALTER TABLE trades SET TTL 90 DAYS", &AlterTable{Table: "trades", Actions: []AlterAction{&SetTTL{Value: 90, Unit: "DAY"}}}},
		{"alter table set ttl interval", "ALTER TABLE t SET TTL INTERVAL 1 month, REMOVE TTL", &AlterTable{Table: "t", Actions: []AlterAction{&SetTTL{Value: 1, Unit: "MONTH"}, &RemoveTTL{}}}},
		{"create table as select", "CREATE TABLE t2 AS SELECT 1", &CreateTable{Name: "t2", Query: one}},
		{"create table with columns and options, as select", "CREATE TABLE IF NOT EXISTS t2 (a INT) TIMESTAMP(a) PARTITION BY DAY AS SELECT 1", &CreateTable{
			Name: "t2", IfNotExists: true, Columns: []ColumnDef{{Name: "a", Type: "INT"}},
			TimestampColumn: "a", PartitionBy: "DAY", Query: one,
		}},
		{"create table as (query) with QuestDB's options after it", "CREATE TABLE t2 AS (SELECT 1) TIMESTAMP(ts) PARTITION BY HOUR", &CreateTable{
			Name: "t2", TimestampColumn: "ts", PartitionBy: "HOUR", Query: one,
		}},
		{"options after an unparenthesized query", "CREATE TABLE t2 AS SELECT 1 FROM t TIMESTAMP(ts) PARTITION BY DAY ENGINE = Memory", &CreateTable{
			Name: "t2", TimestampColumn: "ts", PartitionBy: "DAY", Engine: "Memory", Query: selectFrom("t", num("1")),
		}},
		{"insert select", "INSERT INTO t (a, b) SELECT 1, 2", &Insert{
			Table: "t", Columns: []string{"a", "b"}, Query: &Select{Items: items(num("1"), num("2"))},
		}},
		{"insert parenthesized query", "INSERT INTO t (SELECT 1)", &Insert{Table: "t", Query: one}},
		{"insert with", "INSERT INTO t WITH x AS (SELECT 1) SELECT * FROM x", &Insert{Table: "t", Query: &Select{
			With: []CTE{{Name: "x", Query: one}}, Items: starItems(), From: tbl("x", ""), Source: tbl("x", ""),
		}}},
		{"insert set operation", "INSERT INTO t SELECT 1 UNION ALL SELECT 1", &Insert{Table: "t", Query: &SetOp{Op: "UNION", All: true, L: one, R: one}}},
		{"insert into a column called with", "INSERT INTO t (with) VALUES (1)", &Insert{Table: "t", Columns: []string{"with"}, Rows: [][]Expr{{num("1")}}}},
		{"explain analyze", "EXPLAIN ANALYZE SELECT 1", &Explain{Analyze: true, Stmt: one}},
		{"explain analyze insert", "EXPLAIN ANALYZE INSERT INTO t SELECT 1", &Explain{Analyze: true, Stmt: &Insert{Table: "t", Query: one}}},
		{"explain a parenthesized query", "EXPLAIN (SELECT 1)", &Explain{Stmt: one}},
	})
}

func TestDMLString(t *testing.T) {
	tests := []struct{ sql, want string }{
		{"update t set a = 1, \"B\" = b + 1 where c", "UPDATE t SET a = 1, B = b + 1 WHERE c"},
		{"delete from \"order\"", `DELETE FROM "order"`},
		{"truncate t", "TRUNCATE TABLE t"},
		{"alter table t add column if not exists c Decimal(18,4) not null, drop column if exists d, rename column \"from\" to x",
			`ALTER TABLE t ADD COLUMN IF NOT EXISTS c DECIMAL(18, 4) NOT NULL, DROP COLUMN IF EXISTS d, RENAME COLUMN "from" TO x`},
		{"alter table t set ttl 12 hours, remove ttl", "ALTER TABLE t SET TTL 12 HOURS, REMOVE TTL"},
		{"create table t as (select 1) partition by day timestamp(ts)", "CREATE TABLE t TIMESTAMP(ts) PARTITION BY DAY AS SELECT 1"},
		{"create table if not exists q (ts timestamp not null, s LowCardinality(String)) engine MergeTree()",
			"CREATE TABLE IF NOT EXISTS q (ts TIMESTAMP NOT NULL, s LOWCARDINALITY(STRING)) ENGINE = MergeTree"},
		{"drop table if exists t", "DROP TABLE IF EXISTS t"},
		{"insert into t (a) values (1, -2), (NULL, 'x')", "INSERT INTO t (a) VALUES (1, -2), (NULL, 'x')"},
		{"insert into t (select 1)", "INSERT INTO t SELECT 1"},
		{"insert into t ((select 1 limit 1) union select 2)", "INSERT INTO t (SELECT 1 LIMIT 1) UNION SELECT 2"},
		{"insert into table t format TSV", "INSERT INTO t FORMAT TSV"},
		{"show tables", "SHOW TABLES"},
		{"desc table \"select\"", `DESCRIBE "select"`},
		{"explain analyze update t set a = 1", "EXPLAIN ANALYZE UPDATE t SET a = 1"},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) { checkStatementString(t, tt.sql, tt.want) })
	}
	// INSERT ... FORMAT keeps its data after a line break.
	ins := mustParse(t, "INSERT INTO t FORMAT CSV 1,2\n3,4").(*Insert)
	if got, want := ins.String(), "INSERT INTO t FORMAT CSV\n1,2\n3,4"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if again := mustParse(t, ins.String()).(*Insert); again.Data != ins.Data {
		t.Errorf("data changed: %q -> %q", ins.Data, again.Data)
	}
}

func TestDMLSyntaxErrors(t *testing.T) {
	checkSyntaxErrors(t, []struct{ name, sql, want string }{
		{"UPDATE without SET", "UPDATE t a = 1", `1:10: expected SET, found "a"`},
		{"assignment without =", "UPDATE t SET a 1", `1:16: expected "=", found "1"`},
		{"misspelt WHERE after UPDATE", "UPDATE t SET a = 1 WHER b = 2", `1:20: expected WHERE or end of query, found "WHER"`},
		{"DELETE without FROM", "DELETE t", `1:8: expected FROM, found "t"`},
		{"DELETE with empty WHERE", "DELETE FROM t WHERE", "1:20: unexpected end of query, expected expression"},
		{"misspelt WHERE after DELETE", "DELETE FROM t WERE a = 1", `1:15: expected WHERE or end of query, found "WERE"`},
		{"ADD without COLUMN", "ALTER TABLE t ADD c INT", `1:19: expected COLUMN, found "c"`},
		{"unknown ALTER action", "ALTER TABLE t MODIFY COLUMN c INT", `1:15: expected ADD COLUMN, DROP COLUMN, RENAME COLUMN, SET TTL or REMOVE TTL, found "MODIFY"`},
		{"TTL without a unit", "ALTER TABLE t SET TTL 90", `1:25: unexpected end of query, expected HOURS, DAYS, WEEKS or MONTHS (the TTL unit)`},
		{"TTL in years", "ALTER TABLE t SET TTL 2 YEARS", `1:25: expected HOURS, DAYS, WEEKS or MONTHS (the TTL unit), found "YEARS"`},
		{"TTL of zero", "ALTER TABLE t SET TTL 0 DAYS", `1:23: SET TTL needs a positive count, found 0`},
		{"RENAME without TO", "ALTER TABLE t RENAME COLUMN a b", `1:31: expected TO, found "b"`},
		{"ADD COLUMN without type", "ALTER TABLE t ADD COLUMN c", "1:27: unexpected end of query, expected type name"},
		{"ALTER without TABLE", "ALTER t ADD COLUMN c INT", `1:7: expected TABLE, found "t"`},
		{"TRUNCATE without table", "TRUNCATE", "1:9: unexpected end of query, expected table name"},
		{"CREATE TABLE without columns or query", "CREATE TABLE t", `1:15: unexpected end of query, expected "(" or AS`},
		{"CREATE TABLE AS without query", "CREATE TABLE t AS", "1:18: unexpected end of query, expected SELECT"},
		{"bad option after the query", "CREATE TABLE t AS SELECT 1 PARTITION BY YEAR", `1:41: expected HOUR, DAY, MONTH or NONE, found "YEAR"`},
		{"option twice around the query", "CREATE TABLE t PARTITION BY DAY AS (SELECT 1) PARTITION BY DAY", "1:47: duplicate PARTITION clause"},
		{"EXPLAIN ANALYZE without statement", "EXPLAIN ANALYZE", "1:16: unexpected end of query, expected SELECT, INSERT, CREATE, DROP, SHOW or DESCRIBE"},
		{"INSERT of an expression", "INSERT INTO t (a) (1)", `1:20: expected SELECT, found "1"`},
	})
}

// TestContextualWords checks that the clause words added with the new
// syntax still work as names wherever they are not followed by their
// clause.
func TestContextualWords(t *testing.T) {
	words := []string{"window", "range", "rows", "current", "sample", "partition", "set", "update", "delete", "value",
		"delta", "ratio", "over", "filter", "qualify", "latest", "asof", "nearest", "left", "right", "full", "inner",
		"cross", "using", "with", "exists", "intersect", "except", "tolerance", "fill", "align", "preceding",
		"following", "unbounded", "truncate", "alter", "prevailing", "include", "analyze", "extract"}
	cols := strings.Join(words, ", ")
	sel := mustParse(t, "SELECT "+cols+" FROM t WHERE "+strings.Join(words, " + ")+" > 0").(*Select)
	for i, it := range sel.Items {
		if c, ok := it.Expr.(*ColumnRef); !ok || c.Name != words[i] || it.Alias != "" {
			t.Errorf("item %d = %#v, want column %s", i, it, words[i])
		}
	}
	mustParse(t, "CREATE TABLE window ("+strings.Join(words, " INT, ")+" INT)")
	mustParse(t, "INSERT INTO sample ("+cols+") VALUES (1)")
	mustParse(t, "UPDATE range SET "+strings.Join(words, " = 1, ")+" = 1")

	aliases := []struct{ sql, alias string }{
		{"SELECT a window FROM t", "window"},
		{"SELECT a over FROM t", "over"},
		{"SELECT count(*) filter FROM t", "filter"},
		{"SELECT a qualify FROM t", "qualify"},
		{"SELECT a except", "except"},
		{"SELECT a sample, b FROM t", "sample"},
	}
	for _, tt := range aliases {
		sel := mustParse(t, tt.sql).(*Select)
		if got := sel.Items[0].Alias; got != tt.alias {
			t.Errorf("Parse(%q): alias %q, want %q", tt.sql, got, tt.alias)
		}
	}
	tableAliases := []struct{ sql, alias string }{
		{"SELECT * FROM t left", "left"},
		{"SELECT * FROM t window", "window"},
		{"SELECT * FROM t window WHERE a", "window"},
		{"SELECT * FROM t sample", "sample"},
		{"SELECT * FROM t sample ORDER BY a", "sample"},
		{"SELECT * FROM t latest", "latest"},
		{"SELECT * FROM t latest GROUP BY a", "latest"},
		{"SELECT * FROM t asof", "asof"},
		{"SELECT * FROM t qualify", "qualify"},
		{"SELECT * FROM t using", "using"},
		{"SELECT * FROM t intersect", "intersect"},
		{"SELECT * FROM t partition", "partition"},
		{`SELECT * FROM t "left" JOIN q ON 1 = 1`, "left"},
	}
	for _, tt := range tableAliases {
		sel := mustParse(t, tt.sql).(*Select)
		ref := sel.From
		if ref == nil {
			ref = sel.Source.(*Join).Left.(*TableRef)
		}
		if ref.Alias != tt.alias {
			t.Errorf("Parse(%q): table alias %q, want %q", tt.sql, ref.Alias, tt.alias)
		}
	}
	// Right of a join, an alias followed by ON is an alias, not LATEST ON.
	sel = mustParse(t, "SELECT * FROM t JOIN q latest ON latest.a = t.a").(*Select)
	if got := sel.Source.(*Join).Right.(*TableRef).Alias; got != "latest" {
		t.Errorf("alias %q, want latest", got)
	}
	// TOLERANCE with nothing after it is an alias.
	sel = mustParse(t, "SELECT * FROM t ASOF JOIN q tolerance").(*Select)
	if j := sel.Source.(*Join); j.Right.(*TableRef).Alias != "tolerance" || j.Tolerance != nil {
		t.Errorf("join = %s, want q aliased tolerance", j)
	}
}

// TestReservedWords pins the reserved set. The new syntax added no
// reserved word; internal/ingest/split.go keeps a copy of this list and
// must change with it.
func TestReservedWords(t *testing.T) {
	var got []string
	for w := range reserved {
		got = append(got, w)
	}
	sort.Strings(got)
	want := "AND AS ASC BETWEEN BY CASE CAST CREATE DESC DISTINCT DROP ELSE END EXPLAIN FALSE FORMAT FROM GROUP " +
		"HAVING ILIKE IN INSERT INTO IS JOIN LIKE LIMIT NOT NULL OFFSET ON OR ORDER SELECT SETTINGS THEN " +
		"TRUE UNION VALUES WHEN WHERE"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("reserved words changed (update internal/ingest/split.go too):\n got: %s\nwant: %s", g, want)
	}
}
