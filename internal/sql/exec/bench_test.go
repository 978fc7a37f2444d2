package exec

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand"
	"testing"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/sql/parser"
	"github.com/zeptodb/zeptodb/internal/wal"
)

// benchTrades loads n trades shaped like bench/'s data: 100 symbols, a
// random walk per symbol, rising timestamps.
func benchTrades(b *testing.B, n int) *Executor {
	b.Helper()
	eng, err := engine.Open(engine.Options{Dir: b.TempDir(), WALSync: wal.SyncNone, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { eng.Close() })
	x := New(eng, Options{})
	if _, err := run(x, "CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT)"); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	prices := make([]float64, 100)
	for i := range prices {
		prices[i] = 100
	}
	ts := int64(1762075800000000000)
	const batchRows = 100000
	for done := 0; done < n; done += batchRows {
		bt := newIngestBatch(mustTable(b, x).Schema, batchRows)
		for i := 0; i < batchRows && done+i < n; i++ {
			s := rng.Intn(100)
			prices[s] += float64(rng.Intn(11)-5) * 0.01
			ts += 1 + rng.Int63n(2000000)
			bt.Vectors[0].Int64 = append(bt.Vectors[0].Int64, ts)
			bt.Vectors[1].String = append(bt.Vectors[1].String, fmt.Sprintf("S%03d", s))
			bt.Vectors[2].Float64 = append(bt.Vectors[2].Float64, prices[s])
			bt.Vectors[3].Int64 = append(bt.Vectors[3].Int64, 1+rng.Int63n(1000))
		}
		if _, err := eng.Insert("trades", bt); err != nil {
			b.Fatal(err)
		}
	}
	return x
}

func mustTable(b *testing.B, x *Executor) *struct{ Schema *model.Schema } {
	t, err := x.eng.Table("trades")
	if err != nil {
		b.Fatal(err)
	}
	return &struct{ Schema *model.Schema }{t.Schema}
}

var benchQueries = []struct{ name, sql string }{
	{"count", "SELECT count(*) FROM trades"},
	{"vwap_one", "SELECT vwap(price, volume) FROM trades WHERE symbol = 'S042'"},
	{"vwap_per_symbol", "SELECT symbol, vwap(price, volume) FROM trades GROUP BY symbol"},
	{"bars_one", "SELECT xbar(ts, 300000000000) AS bar, first(price), max(price), min(price), last(price), sum(volume) FROM trades WHERE symbol = 'S042' GROUP BY bar ORDER BY bar"},
	{"bars_all", "SELECT symbol, xbar(ts, 300000000000) AS bar, first(price), max(price), min(price), last(price), sum(volume) FROM trades GROUP BY symbol, bar ORDER BY symbol, bar"},
	{"filter_count", "SELECT count(*) FROM trades WHERE price > 101 AND volume > 500"},
	{"last_100", "SELECT * FROM trades WHERE symbol = 'S042' ORDER BY ts DESC LIMIT 100"},
	{"latest_per_symbol", "SELECT symbol, last(price), last(ts) FROM trades GROUP BY symbol"},
	{"latest_full_scan", "SELECT symbol, last(price), last(ts), count(*) FROM trades GROUP BY symbol"},
	{"asof_one_symbol", "SELECT count(*), avg(a.price - b.price) FROM trades a ASOF JOIN trades b ON a.symbol = b.symbol AND a.ts > b.ts WHERE a.symbol = 'S042'"},
	{"ma20_one_symbol", "SELECT ts, avg(price) OVER (PARTITION BY symbol ORDER BY ts ROWS 19 PRECEDING) FROM trades WHERE symbol = 'S042' ORDER BY ts DESC LIMIT 10"},
	{"ema_all", "SELECT count(*) FROM (SELECT ema(price, 20) OVER (PARTITION BY symbol ORDER BY ts) AS e FROM trades) AS x WHERE e > 0"},
	{"asof_all", "SELECT count(*), avg(a.price - b.price) FROM trades a ASOF JOIN trades b ON a.symbol = b.symbol AND a.ts > b.ts"},
	{"hash_join", "SELECT count(*), sum(a.price - b.p) FROM trades a JOIN (SELECT symbol, avg(price) AS p FROM trades GROUP BY symbol) b ON a.symbol = b.symbol"},
	{"sort_filtered", "SELECT ts, price FROM trades WHERE volume > 900 ORDER BY price DESC LIMIT 10"},
}

// BenchmarkQueries runs the bench/ queries in process at 1M rows, without
// HTTP, so kernel changes can be measured with benchstat.
func BenchmarkQueries(b *testing.B) {
	x := benchTrades(b, 1_000_000)
	ctx := WithMemoryLimit(context.Background(), 4<<30) // the server's default max_query_memory_bytes
	for _, q := range benchQueries {
		stmt, err := parser.Parse(q.sql)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := x.Execute(ctx, stmt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var _ = column.Batch{}
