package main

import (
	"hash/fnv"
	"math"
	"slices"
	"testing"
	"time"
)

func TestGenTradesDeterministic(t *testing.T) {
	a, b := GenTrades(50_000, 7), GenTrades(50_000, 7)
	if !slices.Equal(a.TS, b.TS) || !slices.Equal(a.Sym, b.Sym) ||
		!slices.Equal(a.Price, b.Price) || !slices.Equal(a.Volume, b.Volume) {
		t.Fatal("two runs with the same seed differ")
	}
	c := GenTrades(50_000, 8)
	if slices.Equal(a.Sym, c.Sym) || slices.Equal(a.Volume, c.Volume) {
		t.Fatal("different seeds give the same data")
	}
	// A smaller run is a prefix of a larger one.
	p := GenTrades(10_000, 7)
	if !slices.Equal(p.TS, a.TS[:10_000]) || !slices.Equal(p.Sym, a.Sym[:10_000]) ||
		!slices.Equal(p.Price, a.Price[:10_000]) || !slices.Equal(p.Volume, a.Volume[:10_000]) {
		t.Fatal("10k rows are not a prefix of 50k rows")
	}
}

// TestGenTradesGolden pins the generator's output: if it changes, results
// recorded before the change are no longer comparable with new ones.
func TestGenTradesGolden(t *testing.T) {
	tr := GenTrades(10_000, 1)
	h := fnv.New64a()
	var b [8]byte
	put := func(v uint64) {
		for i := range b {
			b[i] = byte(v >> (8 * i))
		}
		h.Write(b[:])
	}
	for i := range tr.Len() {
		put(uint64(tr.TS[i]))
		put(uint64(tr.Sym[i]))
		put(math.Float64bits(tr.Price[i]))
		put(uint64(tr.Volume[i]))
	}
	const want = 0xc174faec9bb1a036
	if got := h.Sum64(); got != want {
		t.Fatalf("generator output changed: hash %#x, want %#x", got, uint64(want))
	}
}

func TestGenTradesShape(t *testing.T) {
	const n = 200_000
	tr := GenTrades(n, 1)
	if tr.Len() != n || len(tr.Sym) != n || len(tr.Price) != n || len(tr.Volume) != n {
		t.Fatal("column lengths differ")
	}
	if want := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC).UnixNano(); tr.TS[0] != want {
		t.Fatalf("first ts %d, want %d", tr.TS[0], want)
	}
	var seen [NumSymbols]bool
	for i := range n {
		if i > 0 && tr.TS[i] <= tr.TS[i-1] {
			t.Fatalf("row %d: ts %d not after %d", i, tr.TS[i], tr.TS[i-1])
		}
		if int(tr.Sym[i]) >= NumSymbols {
			t.Fatalf("row %d: symbol %d", i, tr.Sym[i])
		}
		seen[tr.Sym[i]] = true
		if v := tr.Volume[i]; v < 1 || v > maxVolume {
			t.Fatalf("row %d: volume %d", i, v)
		}
		p := tr.Price[i]
		if p < 0.01 || math.Round(p*100)/100 != p {
			t.Fatalf("row %d: price %v is not whole cents >= 0.01", i, p)
		}
	}
	for s, ok := range seen {
		if !ok {
			t.Fatalf("symbol %s never drawn", SymbolNames[s])
		}
	}
	// Each symbol's first trade is at 100.00 and later steps are ±0.01..0.05.
	var last [NumSymbols]float64
	for i := range n {
		s := tr.Sym[i]
		if last[s] == 0 {
			if tr.Price[i] != 100 {
				t.Fatalf("first price of %s is %v", SymbolNames[s], tr.Price[i])
			}
		} else if d := math.Abs(tr.Price[i] - last[s]); d < 0.005 || d > 0.055 {
			t.Fatalf("row %d: price step %v", i, d)
		}
		last[s] = tr.Price[i]
	}
	// 10M rows should span a few hours of one day: check the mean step.
	span := time.Duration(tr.TS[n-1] - tr.TS[0])
	if per10M := span * 50; per10M < 2*time.Hour || per10M > 4*time.Hour {
		t.Fatalf("10M rows would span %v", per10M)
	}
	if SymbolNames[0] != "S000" || SymbolNames[42] != "S042" || SymbolNames[99] != "S099" {
		t.Fatal("symbol names")
	}
}

func TestGenQuotes(t *testing.T) {
	a, b := GenQuotes(20_000, 3, 10_000), GenQuotes(20_000, 3, 10_000)
	if !slices.Equal(a.TS, b.TS) || !slices.Equal(a.Bid, b.Bid) || !slices.Equal(a.AskSize, b.AskSize) {
		t.Fatal("quotes not deterministic")
	}
	for i := range a.Len() {
		if i > 0 && a.TS[i] <= a.TS[i-1] {
			t.Fatalf("row %d: ts not increasing", i)
		}
		if !(a.Bid[i] > 0 && a.Ask[i] > a.Bid[i]) {
			t.Fatalf("row %d: bid %v ask %v", i, a.Bid[i], a.Ask[i])
		}
		if a.BidSize[i] < 100 || a.BidSize[i] > 10_000 || a.AskSize[i]%100 != 0 {
			t.Fatalf("row %d: sizes %d %d", i, a.BidSize[i], a.AskSize[i])
		}
	}
	// With the same quotes-per-trade ratio a smaller run is a prefix.
	p := GenQuotes(4_000, 3, 2_000)
	if !slices.Equal(p.TS, a.TS[:4_000]) || !slices.Equal(p.Sym, a.Sym[:4_000]) || !slices.Equal(p.Ask, a.Ask[:4_000]) {
		t.Fatal("4k quotes are not a prefix of 20k quotes")
	}
}

// TestGenQuotesSpan checks that quotes interleave with the trades: they
// start together and end within a few percent of each other, for several
// quotes-per-trade ratios.
func TestGenQuotesSpan(t *testing.T) {
	const trades = 100_000
	tr := GenTrades(trades, 1)
	tspan := float64(tr.TS[trades-1] - tr.TS[0])
	for _, n := range []int{50_000, 100_000, 200_000, 500_000} {
		q := GenQuotes(n, 1, trades)
		if q.TS[0] != tr.TS[0] {
			t.Fatalf("%d quotes: first ts %d, trades start at %d", n, q.TS[0], tr.TS[0])
		}
		if r := float64(q.TS[n-1]-q.TS[0]) / tspan; r < 0.97 || r > 1.03 {
			t.Fatalf("%d quotes span %.3f × the trades' span", n, r)
		}
	}
}
