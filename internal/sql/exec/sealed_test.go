package exec

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/wal"
)

// TestSealedOnlyValues: after a restart sealed partitions stay on disk
// until read, yet a symbol or a SYMBOL value that only they hold is
// found by the very first query that names it, and a query naming one
// symbol reads that series only.
func TestSealedOnlyValues(t *testing.T) {
	dir := t.TempDir()
	opts := engine.Options{Dir: dir, WALSync: wal.SyncNone, Logger: slog.New(slog.DiscardHandler), HotPartitions: 1}
	eng, err := engine.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	x := New(eng, Options{})
	for _, q := range []string{
		"CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, venue SYMBOL, price DOUBLE)",
		"INSERT INTO trades VALUES ('2024-01-01 10:00:00', 'OLD', 'XLON', 1), ('2024-01-01 11:00:00', 'BOTH', 'XNYS', 2), ('2024-01-01 12:00:00', 'OLD2', 'XNYS', 4)",
		"INSERT INTO trades VALUES ('2024-01-05 10:00:00', 'BOTH', 'XNYS', 3)",
	} {
		if _, err := run(x, q); err != nil {
			t.Fatal(err)
		}
	}
	if st, err := eng.Checkpoint(); err != nil || st.Sealed != 1 {
		t.Fatalf("%+v %v", st, err)
	}
	eng.Close()
	queries := []struct{ sql, want string }{
		{"SELECT sum(price) FROM trades WHERE symbol = 'OLD'", "1"},
		{"SELECT count(*) FROM trades WHERE venue = 'XLON'", "1"},
		{"SELECT symbol FROM trades WHERE venue = 'XLON'", "OLD"},
		{"SELECT count(*) FROM trades WHERE symbol IN ('OLD', 'BOTH')", "3"},
		{"SELECT count(*) FROM trades WHERE venue IN ('XLON')", "1"},
		{"SELECT count(*) FROM trades WHERE venue <> 'XLON'", "3"},
		{"SELECT count(*) FROM trades WHERE symbol = 'NONE'", "0"},
	}
	for _, q := range queries {
		eng, err := engine.Open(opts) // every query is the first after a restart
		if err != nil {
			t.Fatal(err)
		}
		res, err := run(New(eng, Options{}), q.sql)
		if err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
		if got := strings.Join(renderRows(res), "\n"); got != q.want {
			t.Errorf("%s = %q, want %q", q.sql, got, q.want)
		}
		if strings.Contains(q.sql, "symbol = 'OLD'") {
			if st := eng.ColdStats(); st.Loads != 1 {
				t.Errorf("%s read %d series or partitions, want 1", q.sql, st.Loads)
			}
		}
		eng.Close()
	}
}
