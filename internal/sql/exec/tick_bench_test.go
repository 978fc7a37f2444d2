package exec

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand"
	"testing"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
	"github.com/zeptodb/zeptodb/internal/wal"
)

// tickExecutor loads n trades and 2n quotes shaped like bench/'s tick
// suite: 100 symbols, random walks, interleaved rising timestamps.
func tickExecutor(b *testing.B, n int) *Executor {
	b.Helper()
	eng, err := engine.Open(engine.Options{Dir: b.TempDir(), WALSync: wal.SyncNone, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { eng.Close() })
	x := New(eng, Options{})
	for _, ddl := range []string{
		"CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT)",
		"CREATE TABLE quotes (ts TIMESTAMP, symbol SYMBOL, bid DOUBLE, ask DOUBLE, bid_size BIGINT, ask_size BIGINT)",
	} {
		if _, err := run(x, ddl); err != nil {
			b.Fatal(err)
		}
	}
	rng := rand.New(rand.NewSource(1))
	// Batches of 10000 time-ordered rows, each group of four inserted in
	// a shuffled order, as the harness's four loading connections do.
	const batchRows = 10000
	ins := func(table string, rows int, step int64, fill func(vs []*column.Vector, s int)) {
		t, err := eng.Table(table)
		if err != nil {
			b.Fatal(err)
		}
		ts := int64(1762075800000000000)
		var group []*column.Batch
		flush := func() {
			rng.Shuffle(len(group), func(i, j int) { group[i], group[j] = group[j], group[i] })
			for _, bt := range group {
				if _, err := eng.Insert(table, bt); err != nil {
					b.Fatal(err)
				}
			}
			group = group[:0]
		}
		for done := 0; done < rows; done += batchRows {
			bt := newIngestBatch(t.Schema, batchRows)
			for i := 0; i < batchRows && done+i < rows; i++ {
				s := rng.Intn(100)
				ts += 1 + rng.Int63n(step)
				bt.Vectors[0].Int64 = append(bt.Vectors[0].Int64, ts)
				bt.Vectors[1].String = append(bt.Vectors[1].String, fmt.Sprintf("S%03d", s))
				fill(bt.Vectors, s)
			}
			if group = append(group, bt); len(group) == 4 {
				flush()
			}
		}
		flush()
	}
	prices := make([]float64, 100)
	bids := make([]float64, 100)
	for i := range prices {
		prices[i], bids[i] = 100, 100
	}
	ins("trades", n, 2000000, func(vs []*column.Vector, s int) {
		prices[s] += float64(rng.Intn(11)-5) * 0.01
		vs[2].Float64 = append(vs[2].Float64, prices[s])
		vs[3].Int64 = append(vs[3].Int64, 1+rng.Int63n(1000))
	})
	ins("quotes", 2*n, 1000000, func(vs []*column.Vector, s int) {
		bids[s] += float64(rng.Intn(11)-5) * 0.01
		vs[2].Float64 = append(vs[2].Float64, bids[s])
		vs[3].Float64 = append(vs[3].Float64, bids[s]+float64(1+rng.Intn(5))*0.01)
		vs[4].Int64 = append(vs[4].Int64, 100*(1+rng.Int63n(100)))
		vs[5].Int64 = append(vs[5].Int64, 100*(1+rng.Int63n(100)))
	})
	return x
}

var tickBenchQueries = []struct{ name, sql string }{
	{"asof_one", "SELECT count(*), avg(q.ask - q.bid), sum(t.volume * (t.price - (q.bid + q.ask) / 2)) FROM trades t ASOF JOIN quotes q ON t.symbol = q.symbol AND t.ts >= q.ts WHERE t.symbol = 'S042'"},
	{"asof_all", "SELECT t.symbol, count(*), avg(q.ask - q.bid), sum(t.volume * (t.price - (q.bid + q.ask) / 2)) FROM trades t ASOF JOIN quotes q ON t.symbol = q.symbol AND t.ts >= q.ts GROUP BY t.symbol"},
	{"ma20_one", "SELECT count(*), sum(ma) FROM (SELECT avg(price) OVER (PARTITION BY symbol ORDER BY ts ROWS 19 PRECEDING) AS ma FROM trades WHERE symbol = 'S042') AS w"},
	{"ema_all", "SELECT symbol, count(*), sum(e), last(e) FROM (SELECT symbol, ts, ema(price, 20) OVER (PARTITION BY symbol ORDER BY ts) AS e FROM trades) AS w GROUP BY symbol"},
}

// BenchmarkTick runs the tick-suite shapes (ASOF join with quotes,
// moving average, EMA) in process at 1M trades and 2M quotes.
func BenchmarkTick(b *testing.B) {
	x := tickExecutor(b, 1_000_000)
	for _, q := range tickBenchQueries {
		stmt, err := parser.Parse(q.sql)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := x.Execute(context.Background(), stmt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
