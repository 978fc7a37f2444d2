package exec

import (
	"context"
	"log/slog"
	"testing"

	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/wal"
)

// testExecutor returns an executor over a fresh engine in a temporary
// directory (no fsync) with the given chunk size, and a function that runs
// a statement and fails the test on error.
func testExecutor(t *testing.T, chunkRows int, opts Options) (*Executor, *engine.Engine, func(string) *Result) {
	t.Helper()
	eng, err := engine.Open(engine.Options{Dir: t.TempDir(), WALSync: wal.SyncNone, Logger: slog.New(slog.DiscardHandler), ChunkRows: chunkRows})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	x := New(eng, opts)
	mustRun := func(sql string) *Result {
		t.Helper()
		res, err := x.ExecuteText(context.Background(), sql, false)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return res
	}
	return x, eng, mustRun
}
