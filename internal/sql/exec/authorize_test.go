package exec

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

func TestClassOf(t *testing.T) {
	tests := []struct {
		sql  string
		want Class
	}{
		{"SELECT 1", ClassRead},
		{"SELECT * FROM trades UNION ALL SELECT * FROM trades", ClassRead},
		{"SHOW TABLES", ClassRead},
		{"DESCRIBE trades", ClassRead},
		{"EXPLAIN SELECT * FROM trades", ClassRead},
		{"EXPLAIN DELETE FROM trades", ClassRead},
		{"EXPLAIN ANALYZE DELETE FROM trades", ClassWrite},
		{"INSERT INTO trades VALUES (1, 'A', 1, 1)", ClassWrite},
		{"INSERT INTO trades SELECT * FROM trades", ClassWrite},
		{"UPDATE trades SET price = 1", ClassWrite},
		{"DELETE FROM trades WHERE price > 1", ClassWrite},
		{"CREATE TABLE t (ts TIMESTAMP)", ClassDDL},
		{"CREATE TABLE t AS SELECT * FROM trades", ClassDDL},
		{"DROP TABLE trades", ClassDDL},
		{"TRUNCATE TABLE trades", ClassDDL},
		{"ALTER TABLE trades ADD COLUMN x INT", ClassDDL},
		{"ALTER TABLE trades SET TTL 90 DAYS", ClassDDL},
	}
	for _, tt := range tests {
		stmt, err := parser.Parse(tt.sql)
		if err != nil {
			t.Fatalf("%s: %v", tt.sql, err)
		}
		if got := ClassOf(stmt); got != tt.want {
			t.Errorf("ClassOf(%s) = %d, want %d", tt.sql, got, tt.want)
		}
	}
}

// TestAuthorizeEveryPath: the check runs for parsed statements, cached
// results and the INSERT fast path, before anything happens.
func TestAuthorizeEveryPath(t *testing.T) {
	x, _, mustRun := testExecutor(t, 0, Options{CacheSize: 10})
	mustRun("CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT)")
	mustRun("INSERT INTO trades VALUES (1, 'A', 1, 1)")
	mustRun("SELECT count(*) FROM trades") // now cached
	denied := errors.New("denied")
	var asked []Class
	readOnly := WithAuthorizer(context.Background(), Authorizer{Class: func(c Class) error {
		asked = append(asked, c)
		if c != ClassRead {
			return denied
		}
		return nil
	}})
	for _, sql := range []string{"SELECT count(*) FROM trades", "SELECT sum(price) FROM trades"} {
		if _, err := x.ExecuteText(readOnly, sql, false); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	for _, sql := range []string{"INSERT INTO trades VALUES (2, 'B', 2, 2)", "DELETE FROM trades", "DROP TABLE trades", "INSERT INTO trades SELECT * FROM trades"} {
		if _, err := x.ExecuteText(readOnly, sql, false); !errors.Is(err, denied) {
			t.Fatalf("%s: %v, want denied", sql, err)
		}
	}
	res, err := run(x, "SELECT count(*) FROM trades")
	if err != nil || renderRows(res)[0] != "1" {
		t.Fatalf("a refused statement changed the table: %v %v", renderRows(res), err)
	}
	if len(asked) != 6 {
		t.Fatalf("asked %v", asked)
	}
}

// TestTableAllowList: a request limited to some tables sees the others as
// if they did not exist, wherever a statement names them: FROM, joins of
// every kind, subqueries, CTEs, set operations, INSERT ... SELECT, DDL
// targets, DESCRIBE, SHOW TABLES; the result cache does not leak either.
func TestTableAllowList(t *testing.T) {
	x, _, mustRun := testExecutor(t, 0, Options{CacheSize: 100})
	for _, sql := range []string{
		"CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT)",
		"CREATE TABLE quotes (ts TIMESTAMP, symbol SYMBOL, bid DOUBLE, ask DOUBLE)",
		"CREATE TABLE secret (ts TIMESTAMP, symbol SYMBOL, pnl DOUBLE)",
		"INSERT INTO trades VALUES (10, 'A', 1, 1)",
		"INSERT INTO quotes VALUES (5, 'A', 0.9, 1.1)",
		"INSERT INTO secret VALUES (1, 'A', 1000000)",
		"SELECT count(*) FROM secret", // cached for an unrestricted caller
	} {
		mustRun(sql)
	}
	forbidden := errors.New("forbidden")
	allowed := map[string]bool{"trades": true, "quotes": true, "newtable": true}
	ctx := WithAuthorizer(context.Background(), Authorizer{Table: func(name string) error {
		if !allowed[strings.ToLower(name)] {
			return forbidden
		}
		return nil
	}})
	hidden := []string{
		"SELECT count(*) FROM secret",
		"SELECT count(*) FROM SECRET",
		"SELECT * FROM trades t JOIN secret s ON t.symbol = s.symbol",
		"SELECT * FROM trades t LEFT JOIN secret s ON t.symbol = s.symbol",
		"SELECT * FROM trades t ASOF JOIN secret s ON t.symbol = s.symbol AND t.ts >= s.ts",
		"SELECT * FROM trades t CROSS JOIN secret s",
		"SELECT * FROM trades WHERE price IN (SELECT pnl FROM secret)",
		"SELECT * FROM trades WHERE EXISTS (SELECT 1 FROM secret)",
		"SELECT (SELECT max(pnl) FROM secret) FROM trades",
		"SELECT * FROM trades t WHERE t.price < (SELECT max(s.pnl) FROM secret s WHERE s.symbol = t.symbol)",
		"SELECT * FROM (SELECT * FROM secret) s",
		"WITH s AS (SELECT * FROM secret) SELECT * FROM s",
		"SELECT symbol FROM trades UNION ALL SELECT symbol FROM secret",
		"SELECT symbol FROM trades t JOIN (SELECT symbol FROM trades JOIN secret USING (symbol)) z USING (symbol)",
		"INSERT INTO trades SELECT ts, symbol, pnl, 1 FROM secret",
		"INSERT INTO secret VALUES (2, 'B', 1)",
		"INSERT INTO secret SELECT ts, symbol, price FROM trades",
		"UPDATE secret SET pnl = 0",
		"DELETE FROM secret",
		"TRUNCATE TABLE secret",
		"DROP TABLE secret",
		"ALTER TABLE secret ADD COLUMN x INT",
		"ALTER TABLE secret SET TTL 1 DAYS",
		"DESCRIBE secret",
		"EXPLAIN SELECT * FROM secret",
		"EXPLAIN ANALYZE SELECT * FROM secret",
		"CREATE TABLE newtable AS SELECT * FROM secret",
	}
	for _, sql := range hidden {
		_, err := x.ExecuteText(ctx, sql, false)
		var ee *Error
		if !errors.As(err, &ee) || ee.Code != CodeUnknownTable {
			t.Errorf("%s: %v, want unknown table", sql, err)
		}
	}
	// What a real unknown table says, the hidden one says too.
	_, real := x.ExecuteText(ctx, "SELECT count(*) FROM nosuch", false)
	_, hid := x.ExecuteText(ctx, "SELECT count(*) FROM secret", false)
	if strings.ReplaceAll(real.Error(), "nosuch", "X") != strings.ReplaceAll(hid.Error(), "secret", "X") {
		t.Errorf("a hidden table is told apart: %q vs %q", real, hid)
	}
	if _, err := x.ExecuteText(ctx, "CREATE TABLE other (ts TIMESTAMP)", false); !errors.Is(err, forbidden) {
		t.Errorf("CREATE TABLE of a name not allowed: %v", err)
	}
	for _, sql := range []string{
		"SELECT count(*) FROM trades t JOIN quotes q ON t.symbol = q.symbol",
		"WITH secret AS (SELECT * FROM trades) SELECT count(*) FROM secret", // a CTE named like the table
		"INSERT INTO trades SELECT ts, symbol, bid, 1 FROM quotes",
		"CREATE TABLE newtable AS SELECT * FROM quotes",
	} {
		if _, err := x.ExecuteText(ctx, sql, false); err != nil {
			t.Errorf("%s: %v", sql, err)
		}
	}
	res, err := x.ExecuteText(ctx, "SHOW TABLES", false)
	if err != nil || strings.Join(renderRows(res), ",") != "newtable,quotes,trades" {
		t.Errorf("SHOW TABLES = %v, %v", renderRows(res), err)
	}
	res, _ = run(x, "SELECT count(*) FROM secret")
	if renderRows(res)[0] != "1" {
		t.Fatal("a refused statement changed the hidden table")
	}
}
