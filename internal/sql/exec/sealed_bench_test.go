package exec

import (
	"fmt"
	"log/slog"
	"math/rand"
	"testing"

	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/wal"
)

// BenchmarkSealedVsHot runs the same queries over 2M trades spread over
// five days, first as loaded (hot, appended out of time order by four
// interleaved feeds), then after a checkpoint sealed four days and the
// engine was reopened from the HDB (sorted by symbol and time).
func BenchmarkSealedVsHot(b *testing.B) {
	dir := b.TempDir()
	opts := engine.Options{Dir: dir, WALSync: wal.SyncNone, Logger: slog.New(slog.DiscardHandler), HotPartitions: 1}
	eng, err := engine.Open(opts)
	if err != nil {
		b.Fatal(err)
	}
	x := New(eng, Options{Workers: 2, ParallelThreshold: 100000})
	if _, err := run(x, "CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT)"); err != nil {
		b.Fatal(err)
	}
	loadSpread(b, eng, 2_000_000, 5)
	queries := []struct{ name, sql string }{
		{"vwap_per_symbol", "SELECT symbol, vwap(price, volume) FROM trades GROUP BY symbol"},
		{"bars_one_symbol", "SELECT xbar(ts, 60000000000) AS bar, first(price), max(price), min(price), last(price) FROM trades WHERE symbol = 'S042' GROUP BY bar"},
		{"count_filter", "SELECT count(*) FROM trades WHERE price > 101 AND volume > 500"},
		{"last_100_one_symbol", "SELECT ts, price FROM trades WHERE symbol = 'S007' ORDER BY ts DESC LIMIT 100"},
	}
	bench := func(state string) {
		for _, q := range queries {
			b.Run(state+"/"+q.name, func(b *testing.B) {
				for range b.N {
					if _, err := run(x, q.sql); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	bench("hot")
	if st, err := eng.Checkpoint(); err != nil || st.Sealed != 4 {
		b.Fatalf("%+v %v", st, err)
	}
	eng.Close()
	if eng, err = engine.Open(opts); err != nil {
		b.Fatal(err)
	}
	defer eng.Close()
	x = New(eng, Options{Workers: 2, ParallelThreshold: 100000})
	bench("sealed")
}

// loadSpread inserts n trades over the given number of days, four feeds
// interleaved in 10,000-row batches as concurrent clients leave them.
func loadSpread(b *testing.B, eng *engine.Engine, n, days int) {
	t, _ := eng.Table("trades")
	rng := rand.New(rand.NewSource(1))
	prices := make([]float64, 100)
	for i := range prices {
		prices[i] = 100
	}
	step := int64(days) * 86400_000_000_000 / int64(n)
	const feeds, batchRows = 4, 10000
	for done := 0; done < n; done += feeds * batchRows {
		for f := range feeds {
			bt := newIngestBatch(t.Schema, batchRows)
			for i := 0; i < batchRows && done+f*batchRows+i < n; i++ {
				row := int64(done + i*feeds + f) // the feeds' rows interleave in time
				s := rng.Intn(100)
				prices[s] += float64(rng.Intn(11)-5) * 0.01
				bt.Vectors[0].Int64 = append(bt.Vectors[0].Int64, 1762041600000000000+row*step)
				bt.Vectors[1].String = append(bt.Vectors[1].String, fmt.Sprintf("S%03d", s))
				bt.Vectors[2].Float64 = append(bt.Vectors[2].Float64, prices[s])
				bt.Vectors[3].Int64 = append(bt.Vectors[3].Int64, 1+rng.Int63n(1000))
			}
			if _, err := eng.Insert("trades", bt); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkFirstQueryAfterRestart: the first queries after a restart,
// when every sealed partition is still on disk: each iteration opens the
// engine from the HDB (2M trades, four sealed days and a hot one), runs
// one query and closes it.
func BenchmarkFirstQueryAfterRestart(b *testing.B) {
	dir := b.TempDir()
	opts := engine.Options{Dir: dir, WALSync: wal.SyncNone, Logger: slog.New(slog.DiscardHandler), HotPartitions: 1}
	eng, err := engine.Open(opts)
	if err != nil {
		b.Fatal(err)
	}
	x := New(eng, Options{Workers: 2, ParallelThreshold: 100000})
	if _, err := run(x, "CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT)"); err != nil {
		b.Fatal(err)
	}
	loadSpread(b, eng, 2_000_000, 5)
	if st, err := eng.Checkpoint(); err != nil || st.Sealed != 4 {
		b.Fatalf("%+v %v", st, err)
	}
	eng.Close()
	queries := []struct{ name, sql string }{
		{"open_only", ""},
		{"vwap_one_symbol", "SELECT vwap(price, volume) FROM trades WHERE symbol = 'S042'"},
		{"bars_one_symbol", "SELECT xbar(ts, 60000000000) AS bar, first(price), max(price), min(price), last(price) FROM trades WHERE symbol = 'S042' GROUP BY bar"},
		{"vwap_per_symbol", "SELECT symbol, vwap(price, volume) FROM trades GROUP BY symbol"},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			for range b.N {
				eng, err := engine.Open(opts)
				if err != nil {
					b.Fatal(err)
				}
				if q.sql != "" {
					if _, err := run(New(eng, Options{Workers: 2, ParallelThreshold: 100000}), q.sql); err != nil {
						b.Fatal(err)
					}
				}
				eng.Close()
			}
		})
	}
}
