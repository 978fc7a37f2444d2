package exec

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestMutationsWhileQuerying runs UPDATE, DELETE and ALTER TABLE while
// other goroutines insert and query (run it with -race). Every query
// either succeeds on a consistent table or fails cleanly; at the end the
// row count is what the writers and the deletes leave.
func TestMutationsWhileQuerying(t *testing.T) {
	x, _, mustRun := testExecutor(t, 1024, Options{Workers: 2, ParallelThreshold: 1, CacheSize: 16})
	mustRun("CREATE TABLE m (ts TIMESTAMP, s SYMBOL, v BIGINT) TIMESTAMP(ts) PARTITION BY HOUR")
	ctx := context.Background()
	var wg sync.WaitGroup
	const writers, batches = 2, 30
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range batches {
				sql := fmt.Sprintf("INSERT INTO m (ts, s, v) VALUES (%d, 'S%d', %d), (%d, 'S%d', -1)", i*1000+w, i%3, i, i*1000+w+1, i%3)
				if _, err := x.ExecuteText(ctx, sql, false); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 20 {
			for _, sql := range []string{
				"DELETE FROM m WHERE v = -1",
				"UPDATE m SET v = v + 1000 WHERE s = 'S1' AND v >= 0 AND v < 1000",
				fmt.Sprintf("ALTER TABLE m ADD COLUMN c%d DOUBLE", i),
				fmt.Sprintf("ALTER TABLE m DROP COLUMN c%d", i),
			} {
				if _, err := x.ExecuteText(ctx, sql, false); err != nil {
					t.Error(sql, err)
					return
				}
			}
		}
	}()
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := x.ExecuteText(ctx, "SELECT s, count(*), sum(v) FROM m WHERE v >= 0 GROUP BY s", true); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	mustRun("DELETE FROM m WHERE v = -1")
	res := mustRun("SELECT count(*), count(DISTINCT ts) FROM m")
	if got := res.Columns[0].Data.Int64[0]; got != writers*batches {
		t.Fatalf("%d rows left, want %d", got, writers*batches)
	}
}
