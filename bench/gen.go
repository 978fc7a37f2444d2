package main

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"time"
)

// Data generation. Everything here is a pure function of (rows, seed): the
// same flags give bit-identical data on every machine and Go version, and a
// smaller run is a prefix of a larger one (1M rows = the first 1M of 10M).
//
// The generator draws from a PCG stream and reduces to a range with its own
// multiply-shift, instead of rand.IntN & co., so that the output depends only
// on the PCG algorithm (fixed by its spec), not on math/rand's helpers.

const (
	// NumSymbols is the number of distinct symbols, named S000..S099.
	NumSymbols = 100
	// maxStepNS bounds the timestamp step: each row is 1..maxStepNS ns after
	// the previous one (mean ≈ 1 ms), so 10M rows span ≈ 2.8 hours.
	maxStepNS = 2_000_000
	// startCents is the first price of every symbol (100.00).
	startCents = 10_000
	// maxTick bounds a price step: ±0.01·k with k in 1..maxTick.
	maxTick = 5
	// maxVolume bounds a trade's volume: 1..maxVolume.
	maxVolume = 1000
)

// StartTS is the timestamp of the first generated row, 2026-11-02 09:30:00 UTC, in ns.
var StartTS = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC).UnixNano()

// SymbolNames maps a symbol index to its name ("S000".."S099").
var SymbolNames = func() [NumSymbols]string {
	var s [NumSymbols]string
	for i := range s {
		s[i] = fmt.Sprintf("S%03d", i)
	}
	return s
}()

// Trades is trades(ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT)
// held column-wise. Sym holds an index into SymbolNames. Prices are whole
// cents (cents/100.0), so they print exactly with two decimals and parse
// back to the same float64.
type Trades struct {
	TS     []int64 // ns since the Unix epoch, strictly increasing
	Sym    []uint8
	Price  []float64
	Volume []int64
}

// Len returns the number of rows.
func (t *Trades) Len() int { return len(t.TS) }

// Quotes is quotes(ts TIMESTAMP, symbol SYMBOL, bid DOUBLE, ask DOUBLE,
// bid_size BIGINT, ask_size BIGINT) held column-wise, like Trades. Loaded
// with -quotes N and used by the tick suite (ASOF joins, latest quote).
type Quotes struct {
	TS      []int64
	Sym     []uint8
	Bid     []float64
	Ask     []float64
	BidSize []int64
	AskSize []int64
}

// Len returns the number of rows.
func (q *Quotes) Len() int { return len(q.TS) }

// rng wraps PCG with a fixed reduction to [0, n).
type rng struct{ p *rand.PCG }

func newRNG(seed, stream uint64) rng { return rng{rand.NewPCG(seed, stream)} }

// below returns a number in [0, n) (multiply-shift; the bias is < n/2^64).
func (r rng) below(n uint64) uint64 {
	hi, _ := bits.Mul64(r.p.Uint64(), n)
	return hi
}

// tick returns a price step in cents: ±k, k in 1..maxTick.
func (r rng) tick() int64 {
	v := r.p.Uint64()
	k := int64(1 + (v>>1)%maxTick)
	if v&1 == 0 {
		return -k
	}
	return k
}

// walk applies step to cents, reflecting so a price never drops below 0.01.
func walk(cents, step int64) int64 {
	if cents+step < 1 {
		return cents - step
	}
	return cents + step
}

// Distinct PCG streams so trades and quotes are independent for one seed.
const (
	tradeStream = 0x7472616465730001 // "trades"
	quoteStream = 0x71756f7465730001 // "quotes"
)

// GenTrades generates n trades. Row i's symbol is drawn uniformly; each
// symbol's price is a random walk starting at 100.00 (a row carries the
// price before its step is applied, so each symbol's first trade is 100.00).
func GenTrades(n int, seed uint64) *Trades {
	t := &Trades{
		TS:     make([]int64, n),
		Sym:    make([]uint8, n),
		Price:  make([]float64, n),
		Volume: make([]int64, n),
	}
	r := newRNG(seed, tradeStream)
	var cents [NumSymbols]int64
	for i := range cents {
		cents[i] = startCents
	}
	ts := StartTS
	for i := 0; i < n; i++ {
		if i > 0 {
			ts += 1 + int64(r.below(maxStepNS))
		}
		s := r.below(NumSymbols)
		t.TS[i] = ts
		t.Sym[i] = uint8(s)
		t.Price[i] = float64(cents[s]) / 100
		t.Volume[i] = 1 + int64(r.below(maxVolume))
		cents[s] = walk(cents[s], r.tick())
	}
	return t
}

// QuoteMaxStep returns the bound of the quote timestamp step for n quotes
// over the span of tradeRows trades: each quote is 1..step ns after the
// previous one, so the quotes cover about the same time as the trades
// (quotes per trade r: steps average 1 ms / r). With the same ratio a
// smaller run is again a prefix of a larger one.
func QuoteMaxStep(n, tradeRows int) int64 {
	if n < 1 || tradeRows < 1 {
		return maxStepNS
	}
	return max(1, int64(float64(maxStepNS)*float64(tradeRows)/float64(n)))
}

// GenQuotes generates n quotes spread over the time span of tradeRows trades
// (QuoteMaxStep), starting at StartTS like the trades, so trades and quotes
// interleave. Timestamps are strictly increasing, hence unique per symbol.
// Row i's symbol is drawn uniformly; per symbol the bid is a random walk
// from 100.00 (steps as the trades'), the ask 1..5 cents above it, and the
// sizes multiples of 100 in 100..10000.
func GenQuotes(n int, seed uint64, tradeRows int) *Quotes {
	q := &Quotes{
		TS:      make([]int64, n),
		Sym:     make([]uint8, n),
		Bid:     make([]float64, n),
		Ask:     make([]float64, n),
		BidSize: make([]int64, n),
		AskSize: make([]int64, n),
	}
	r := newRNG(seed, quoteStream)
	step := uint64(QuoteMaxStep(n, tradeRows))
	var bid [NumSymbols]int64
	for i := range bid {
		bid[i] = startCents
	}
	ts := StartTS
	for i := 0; i < n; i++ {
		if i > 0 {
			ts += 1 + int64(r.below(step))
		}
		s := r.below(NumSymbols)
		spread := 1 + int64(r.below(5))
		q.TS[i] = ts
		q.Sym[i] = uint8(s)
		q.Bid[i] = float64(bid[s]) / 100
		q.Ask[i] = float64(bid[s]+spread) / 100
		q.BidSize[i] = 100 * (1 + int64(r.below(100)))
		q.AskSize[i] = 100 * (1 + int64(r.below(100)))
		bid[s] = walk(bid[s], r.tick())
	}
	return q
}
