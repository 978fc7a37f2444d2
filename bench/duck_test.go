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
