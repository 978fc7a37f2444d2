package exec

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

// TestSealedPartitionsUnderLoad runs one-symbol queries, whole-table
// queries, inserts of late rows into sealed days and checkpoints at once,
// with a cold cache so small that every released partition is evicted:
// series are read, evicted, read whole, written, resealed concurrently.
// Counts never go wrong. Run under -race.
func TestSealedPartitionsUnderLoad(t *testing.T) {
	dir := t.TempDir()
	opts := engine.Options{Dir: dir, WALSync: wal.SyncNone, Logger: slog.New(slog.DiscardHandler), HotPartitions: 1, ColdCacheBytes: 1}
	eng, err := engine.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	x := New(eng, Options{Workers: 2, ParallelThreshold: 1000})
	if _, err := run(x, "CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT)"); err != nil {
		t.Fatal(err)
	}
	const perSymbol = 400 // rows of each of S0..S9, over four days
	var rows []string
	for i := 0; i < 10*perSymbol; i++ {
		rows = append(rows, fmt.Sprintf("(%d, 'S%d', %d, 1)", int64(i%4)*86400e9+int64(i)*1e6, i%10, i))
	}
	if _, err := run(x, "INSERT INTO trades VALUES "+strings.Join(rows, ",")); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	eng.Close()
	if eng, err = engine.Open(opts); err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	x = New(eng, Options{Workers: 2, ParallelThreshold: 1000})

	count := func(sql string) int64 {
		res, err := run(x, sql)
		if err != nil {
			t.Error(sql, err)
			return -1
		}
		n, _ := strconv.ParseInt(renderRows(res)[0], 10, 64)
		return n
	}
	const lateRows = 60
	var wg sync.WaitGroup
	done := make(chan struct{})
	loop := func(f func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
					f()
				}
			}
		}()
	}
	loop(func() {
		if n := count("SELECT count(*) FROM trades WHERE symbol = 'S3'"); n != perSymbol {
			t.Errorf("S3 has %d rows, want %d", n, perSymbol)
		}
	})
	var lastAll atomic.Int64
	loop(func() {
		n := count("SELECT count(*) FROM trades")
		if n < 10*perSymbol || n > 10*perSymbol+lateRows || n < lastAll.Load() {
			t.Errorf("count(*) = %d after %d", n, lastAll.Load())
		}
		lastAll.Store(n)
	})
	loop(func() {
		if _, err := eng.Checkpoint(); err != nil {
			t.Error(err)
		}
		time.Sleep(5 * time.Millisecond)
	})
	for i := 0; i < lateRows; i++ { // late rows for the sealed days
		sql := fmt.Sprintf("INSERT INTO trades VALUES (%d, 'LATE', 1, 1)", int64(i%3)*86400e9+int64(i))
		if _, err := run(x, sql); err != nil {
			t.Fatal(err)
		}
		if n := count("SELECT count(*) FROM trades WHERE symbol = 'LATE'"); n != int64(i+1) {
			t.Fatalf("LATE has %d rows after %d inserts", n, i+1)
		}
	}
	close(done)
	wg.Wait()
	if n := count("SELECT count(*) FROM trades"); n != 10*perSymbol+lateRows {
		t.Fatalf("count(*) = %d, want %d", n, 10*perSymbol+lateRows)
	}
	// Under load a busy table or a partition with late rows not yet
	// sealed is skipped by eviction; once quiet and checkpointed, a read
	// must leave the cache within its one-byte budget.
	if _, err := eng.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if n := count("SELECT count(*) FROM trades"); n != 10*perSymbol+lateRows {
		t.Fatalf("count(*) after the checkpoint = %d, want %d", n, 10*perSymbol+lateRows)
	}
	if st := eng.ColdStats(); st.Loads == 0 || st.Evictions == 0 {
		t.Fatalf("the cold cache never loaded or evicted: %+v", st)
	}
}

// TestSealedSeriesPrunedByZone: a symbol whose sealed rows all lie
// outside a query's time range is not read, with the zones from the
// partition's metadata after a restart and from the rows just sealed.
func TestSealedSeriesPrunedByZone(t *testing.T) {
	dir := t.TempDir()
	opts := engine.Options{Dir: dir, WALSync: wal.SyncNone, Logger: slog.New(slog.DiscardHandler), HotPartitions: 1, ColdCacheBytes: 1}
	eng, err := engine.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	x := New(eng, Options{})
	for _, q := range []string{
		"CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE)",
		"INSERT INTO trades VALUES ('2024-01-01 09:00:00', 'AM', 1), ('2024-01-01 09:30:00', 'AM', 2), ('2024-01-01 14:00:00', 'PM', 3), ('2024-01-01 15:00:00', 'PM', 4), ('2024-01-02 10:00:00', 'AM', 5)",
	} {
		if _, err := run(x, q); err != nil {
			t.Fatal(err)
		}
	}
	if st, err := eng.Checkpoint(); err != nil || st.Sealed != 1 {
		t.Fatalf("%+v %v", st, err)
	}
	queries := []struct {
		sql, want string
		reads     int64
	}{
		{"SELECT count(*) FROM trades WHERE symbol = 'AM' AND ts >= '2024-01-01 12:00:00' AND ts < '2024-01-02'", "0", 0},
		{"SELECT count(*) FROM trades WHERE symbol = 'PM' AND ts BETWEEN '2024-01-01 14:30:00' AND '2024-01-01 23:00:00'", "1", 1},
		{"SELECT sum(price) FROM trades WHERE symbol IN ('AM', 'PM') AND ts < '2024-01-01 10:00:00'", "3", 1},
		{"SELECT count(*) FROM trades WHERE symbol = 'AM'", "3", 1},
	}
	check := func(eng *engine.Engine, when string) {
		for _, q := range queries {
			before := eng.ColdStats().Loads
			res, err := run(New(eng, Options{}), q.sql)
			if err != nil {
				t.Fatalf("%s: %s: %v", when, q.sql, err)
			}
			if got := strings.Join(renderRows(res), "\n"); got != q.want {
				t.Errorf("%s: %s = %q, want %q", when, q.sql, got, q.want)
			}
			if reads := eng.ColdStats().Loads - before; reads != q.reads {
				t.Errorf("%s: %s read %d series, want %d", when, q.sql, reads, q.reads)
			}
		}
	}
	check(eng, "just sealed") // the 1-byte cache drops every partition a query released
	eng.Close()
	if eng, err = engine.Open(opts); err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	check(eng, "after a restart")
}
