package exec

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// TestMemoryLimit: a statement that would hold more than its budget in
// sorted rows, groups or a join table fails with MEMORY_LIMIT; small
// statements under the same budget, and the same statements without one,
// run.
func TestMemoryLimit(t *testing.T) {
	x, eng, mustRun := testExecutor(t, 0, Options{Workers: 2})
	mustRun("CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT)")
	mustRun("CREATE TABLE quotes (ts TIMESTAMP, symbol SYMBOL, bid DOUBLE, ask DOUBLE)")
	const rows = 200_000
	tab, err := eng.Table("trades")
	if err != nil {
		t.Fatal(err)
	}
	b := newIngestBatch(tab.Schema, rows)
	for i := range rows {
		b.Vectors[0].Int64 = append(b.Vectors[0].Int64, int64(i+1)*1000)
		b.Vectors[1].String = append(b.Vectors[1].String, fmt.Sprintf("S%02d", i%50))
		b.Vectors[2].Float64 = append(b.Vectors[2].Float64, float64(i%997))
		b.Vectors[3].Int64 = append(b.Vectors[3].Int64, int64(i))
	}
	if _, err := eng.Insert("trades", b); err != nil {
		t.Fatal(err)
	}
	mustRun("INSERT INTO quotes SELECT ts, symbol, price, price + 1 FROM trades")

	const limit = 1 << 20 // 200,000 rows of 8-byte values are 1.6 MB
	big := []string{
		"SELECT volume, price FROM trades ORDER BY price DESC, volume",
		"SELECT volume, count(*) FROM trades GROUP BY volume",
		"SELECT * FROM trades",
		"SELECT t.ts, q.bid FROM trades t JOIN quotes q ON t.volume = q.ts / 1000 - 1 LIMIT 5",
		"SELECT count(*) FROM (SELECT volume FROM trades GROUP BY volume)",
		"SELECT volume, sum(price) OVER (ORDER BY ts) FROM trades",
	}
	small := []string{
		"SELECT symbol, count(*), vwap(price, volume) FROM trades GROUP BY symbol",
		"SELECT volume, price FROM trades ORDER BY ts DESC LIMIT 10",
		"SELECT count(*), sum(volume) FROM trades WHERE price > 500",
		"SELECT * FROM trades t ASOF JOIN quotes q ON t.symbol = q.symbol AND t.ts >= q.ts WHERE t.volume < 100",
	}
	limited := WithMemoryLimit(context.Background(), limit) // a budget per statement
	for _, sql := range big {
		_, err := x.ExecuteText(limited, sql, true)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeMemoryLimit {
			t.Errorf("%s under %d bytes: got %v, want %s", sql, limit, err, CodeMemoryLimit)
		}
		mustRun(sql) // and without a limit it runs
	}
	for _, sql := range small {
		if _, err := x.ExecuteText(limited, sql, true); err != nil {
			t.Errorf("%s under %d bytes: %v", sql, limit, err)
		}
	}
}

// TestMemoryLimitErrorWins: when the budget runs out in one scanning
// goroutine the others stop, and the statement reports the limit, not the
// cancellation that stopped them.
func TestMemoryLimitErrorWins(t *testing.T) {
	x, _, mustRun := testExecutor(t, 1000, Options{Workers: 4})
	mustRun("CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT)")
	for i := range 20 {
		mustRun(fmt.Sprintf("INSERT INTO trades SELECT ts + %d, symbol, price, volume FROM trades", i))
		mustRun(fmt.Sprintf("INSERT INTO trades VALUES (%d, 'S%d', %d, %d)", i, i, i, i))
	}
	for _, sql := range []string{
		"SELECT symbol, count(*) FROM trades GROUP BY symbol",
		"SELECT volume, count(*) FROM trades GROUP BY volume",
		"SELECT * FROM trades ORDER BY price",
	} {
		for range 20 {
			_, err := x.ExecuteText(WithMemoryLimit(context.Background(), 100), sql, true)
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeMemoryLimit {
				t.Fatalf("%s under 100 bytes: got %v, want %s", sql, err, CodeMemoryLimit)
			}
		}
	}
}
