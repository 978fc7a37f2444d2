package exec

import (
	"context"
	"log/slog"
	"testing"

	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/wal"
)

func TestResultCacheInvalidation(t *testing.T) {
	eng, err := engine.Open(engine.Options{Dir: t.TempDir(), WALSync: wal.SyncNone, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	x := New(eng, Options{CacheSize: 2})
	ctx := context.Background()
	exec := func(sql string) *Result {
		t.Helper()
		res, err := x.ExecuteText(ctx, sql, false)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return res
	}
	count := func() int64 { return exec("SELECT count(*) FROM t").Columns[0].Data.Int64[0] }
	exec("CREATE TABLE t (ts TIMESTAMP, s SYMBOL)")
	exec("INSERT INTO t VALUES (1, 'a')")
	first := exec("SELECT count(*) FROM t")
	if again := exec(" SELECT count(*) FROM t; "); again != first {
		t.Fatal("same query with blanks and ; was not served from the cache")
	}
	exec("INSERT INTO t VALUES (2, 'b')")
	if got := count(); got != 2 {
		t.Fatalf("after insert count = %d, want 2 (stale cache)", got)
	}
	exec("DROP TABLE t")
	exec("CREATE TABLE t (ts TIMESTAMP, s SYMBOL)")
	if got := count(); got != 0 {
		t.Fatalf("after re-create count = %d, want 0 (stale cache)", got)
	}
	exec("SELECT 1 FROM t")
	exec("SELECT 2 FROM t")
	exec("SELECT 3 FROM t")
	if n := x.cache.lru.Len(); n != 2 {
		t.Fatalf("cache holds %d entries, limit 2", n)
	}
	if x.cache.hits == 0 || x.cache.misses == 0 {
		t.Fatalf("hits %d misses %d", x.cache.hits, x.cache.misses)
	}
}
