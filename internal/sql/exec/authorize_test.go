package exec

import (
	"context"
	"errors"
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
	readOnly := WithAuthorize(context.Background(), func(c Class) error {
		asked = append(asked, c)
		if c != ClassRead {
			return denied
		}
		return nil
	})
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
