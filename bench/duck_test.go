package main

import (
	"context"
	"testing"
	"time"
)

// TestDuckQueriesMatchReference loads a small data set into DuckDB and runs
// every query once on both tables, checked against the Go reference.
func TestDuckQueriesMatchReference(t *testing.T) {
	if testing.Short() {
		t.Skip("loads DuckDB")
	}
	ctx := context.Background()
	tr := GenTrades(400_000, 1) // ≈ 6.7 minutes: two 5-minute bars
	d, err := openDuck(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()
	if _, err := d.load(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if _, err := d.makeSorted(ctx); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"trades", "trades_sorted"} {
		e := &duckEngine{d: d, table: table, label: table}
		for i := range queries {
			q := &queries[i]
			m, _, err := measure(ctx, e, q, q.Ref(tr), 0, 1, time.Minute)
			if err != nil {
				t.Errorf("%s %q: %v", table, q.Name, err)
				continue
			}
			if q.Name == "5-min bars one symbol" && m.Rows != 2 {
				t.Errorf("%d bars, want 2", m.Rows)
			}
		}
	}
}

// TestDuckTickQueriesMatchReference runs the tick suite on DuckDB against
// the Go reference: on generated data, and on a hand-made set where symbols
// start trading in later minutes (NULL fills), a minute has no trades at
// all, and trades precede their symbol's first quote or tie with a quote.
func TestDuckTickQueriesMatchReference(t *testing.T) {
	if testing.Short() {
		t.Skip("loads DuckDB")
	}
	const m = minuteNS
	hand := &Trades{
		TS:     []int64{StartTS + 1, StartTS + 2, StartTS + 5, StartTS + m + 7, StartTS + 3*m, StartTS + 3*m + 1, StartTS + 3*m + 2, StartTS + 3*m + 9},
		Sym:    []uint8{3, 42, 42, 3, 7, 42, 99, 3},
		Price:  []float64{100.01, 99, 99.5, 100.02, 50.25, 99.75, 10, 100.5},
		Volume: []int64{10, 1000, 20, 30, 40, 50, 70, 60},
	}
	handQ := &Quotes{
		TS:      []int64{StartTS, StartTS + 5, StartTS + 2*m, StartTS + 3*m + 1, StartTS + 4*m},
		Sym:     []uint8{3, 42, 7, 3, 42},
		Bid:     []float64{100, 99.4, 50.2, 100.4, 99.9},
		Ask:     []float64{100.02, 99.45, 50.3, 100.45, 99.95},
		BidSize: []int64{100, 200, 300, 400, 500},
		AskSize: []int64{100, 200, 300, 400, 500},
	}
	if got := refAsof(hand, handQ, false); len(got) != 3 {
		t.Errorf("asof all symbols: %d rows, want 3 (S099 has no quote): %v", len(got), got)
	}
	ctx := context.Background()
	for _, c := range []struct {
		name string
		tr   *Trades
		q    *Quotes
	}{
		{"generated", GenTrades(200_000, 1), GenQuotes(400_000, 1, 200_000)},
		{"hand-made", hand, handQ},
	} {
		d, err := openDuck(ctx, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.load(ctx, c.tr); err != nil {
			t.Fatal(err)
		}
		if _, err := d.loadQuotes(ctx, c.q); err != nil {
			t.Fatal(err)
		}
		e := &duckEngine{d: d, table: "trades", label: "DuckDB"}
		for i := range tickQueries {
			q := &tickQueries[i]
			ref := q.Expected(c.tr, c.q)
			_, res, err := measure(ctx, e, q, ref, 0, 1, time.Minute)
			if err != nil {
				t.Errorf("%s %q: %v", c.name, q.Name, err)
				continue
			}
			if c.name == "hand-made" {
				t.Logf("%s: %v", q.Name, sortedRows(res))
			}
		}
		d.close()
	}
	// The hand-made set's expected answers, spelled out: S042's trade at +2
	// precedes its first quote (dropped), its trade at +5 ties with a quote
	// (matched); S099 has no quotes.
	if got := refAsof(hand, handQ, true); diffResults("ref", got, "want", [][]val{{vInt(2), vFloat((0.05 + 0.05) / 2), vFloat(20*(99.5-99.425) + 50*(99.75-99.425))}}) != "" {
		t.Errorf("asof one symbol: %v", got)
	}
	bars := refFillPrevBars(hand)
	if len(bars) != 4*4 {
		t.Fatalf("%d filled bars, want 16", len(bars))
	}
	nulls := 0
	for _, r := range bars {
		if r[2].k == kNull {
			nulls++
		}
	}
	if nulls != 6 { // S007 and S099 have no trade before minute 3
		t.Errorf("%d NULL fills, want 6: %v", nulls, bars)
	}
}
