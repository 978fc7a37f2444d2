package main

import (
	"math"
	"strings"
)

// The benchmark queries. Each has the ZeptoDB text, the DuckDB equivalent
// ({table} stands for the DuckDB table, so the same text runs on the
// symbol-sorted copy) and Ref, the answer computed in Go straight from the
// generated columns, which both engines are checked against.

// barNS is the bar width of the bar queries: 5 minutes in ns.
const barNS = 300_000_000_000

// benchSymbol is the symbol of the one-symbol queries.
const benchSymbol = 42 // S042

// Query is one benchmark query.
type Query struct {
	Name  string
	Zepto string
	Duck  string // with {table} for trades (quotes is always quotes)
	// Ref computes the expected answer from the trades; RefQ, used instead
	// when set, from the trades and the quotes.
	Ref    func(t *Trades) [][]val
	RefQ   func(t *Trades, q *Quotes) [][]val
	Quotes bool // reads the quotes table (needs -quotes N)
}

// Expected returns the answer computed in Go from the generated data.
func (q *Query) Expected(t *Trades, qs *Quotes) [][]val {
	if q.RefQ != nil {
		return q.RefQ(t, qs)
	}
	return q.Ref(t)
}

// DuckSQL returns the DuckDB text for table.
func (q *Query) DuckSQL(table string) string {
	return strings.ReplaceAll(q.Duck, "{table}", table)
}

// queries is the default suite; tickQueries (tick.go) is -suite tick.
var queries = []Query{
	{
		Name:  "count(*)",
		Zepto: `SELECT count(*) FROM trades`,
		Duck:  `SELECT count(*) FROM {table}`,
		Ref:   func(t *Trades) [][]val { return [][]val{{vInt(int64(t.Len()))}} },
	},
	{
		Name:  "vwap one symbol",
		Zepto: `SELECT vwap(price, volume) FROM trades WHERE symbol = 'S042'`,
		Duck:  `SELECT sum(price*volume)/sum(volume) FROM {table} WHERE symbol = 'S042'`,
		Ref:   refVwapOne,
	},
	{
		Name:  "vwap per symbol",
		Zepto: `SELECT symbol, vwap(price, volume) FROM trades GROUP BY symbol`,
		Duck:  `SELECT symbol, sum(price*volume)/sum(volume) FROM {table} GROUP BY symbol`,
		Ref:   refVwapPerSymbol,
	},
	{
		Name: "5-min bars one symbol",
		Zepto: `SELECT xbar(ts, 300000000000) AS bar, first(price), max(price), min(price), last(price), sum(volume) ` +
			`FROM trades WHERE symbol = 'S042' GROUP BY bar ORDER BY bar`,
		Duck: `SELECT ts - ts % 300000000000 AS bar, arg_min(price, ts), max(price), min(price), arg_max(price, ts), sum(volume) ` +
			`FROM {table} WHERE symbol = 'S042' GROUP BY bar ORDER BY bar`,
		Ref: func(t *Trades) [][]val { return refBars(t, true) },
	},
	{
		Name: "5-min bars all symbols",
		Zepto: `SELECT symbol, xbar(ts, 300000000000) AS bar, first(price), max(price), min(price), last(price), sum(volume) ` +
			`FROM trades GROUP BY symbol, bar ORDER BY symbol, bar`,
		Duck: `SELECT symbol, ts - ts % 300000000000 AS bar, arg_min(price, ts), max(price), min(price), arg_max(price, ts), sum(volume) ` +
			`FROM {table} GROUP BY symbol, bar ORDER BY symbol, bar`,
		Ref: func(t *Trades) [][]val { return refBars(t, false) },
	},
	{
		Name:  "filter count",
		Zepto: `SELECT count(*) FROM trades WHERE price > 101 AND volume > 500`,
		Duck:  `SELECT count(*) FROM {table} WHERE price > 101 AND volume > 500`,
		Ref:   refFilterCount,
	},
	{
		Name:  "last 100 trades one symbol",
		Zepto: `SELECT * FROM trades WHERE symbol = 'S042' ORDER BY ts DESC LIMIT 100`,
		Duck:  `SELECT * FROM {table} WHERE symbol = 'S042' ORDER BY ts DESC LIMIT 100`,
		Ref:   refLast100,
	},
}

func refVwapOne(t *Trades) [][]val {
	var pv float64
	var v int64
	for i, s := range t.Sym {
		if s == benchSymbol {
			pv += t.Price[i] * float64(t.Volume[i])
			v += t.Volume[i]
		}
	}
	if v == 0 {
		return [][]val{{{}}} // NULL, as sum() over no rows
	}
	return [][]val{{vFloat(pv / float64(v))}}
}

func refVwapPerSymbol(t *Trades) [][]val {
	var pv [NumSymbols]float64
	var v [NumSymbols]int64
	for i, s := range t.Sym {
		pv[s] += t.Price[i] * float64(t.Volume[i])
		v[s] += t.Volume[i]
	}
	var out [][]val
	for s := range NumSymbols {
		if v[s] > 0 { // volume >= 1, so v > 0 iff the symbol has rows
			out = append(out, []val{vStr(SymbolNames[s]), vFloat(pv[s] / float64(v[s]))})
		}
	}
	return out
}

type bar struct {
	sym                 uint8
	start               int64
	first, hi, lo, last float64
	volume              int64
}

// refBars computes OHLC+volume bars per (symbol, 5-min bucket), for S042
// only if one is set. Rows are time-ordered, so a bar's first row gives the
// open and its last row the close.
func refBars(t *Trades, one bool) [][]val {
	idx := map[[2]int64]int{}
	var bars []bar
	for i, s := range t.Sym {
		if one && s != benchSymbol {
			continue
		}
		start := t.TS[i] - t.TS[i]%barNS
		p := t.Price[i]
		k := [2]int64{int64(s), start}
		j, ok := idx[k]
		if !ok {
			idx[k] = len(bars)
			bars = append(bars, bar{sym: s, start: start, first: p, hi: p, lo: p, last: p, volume: t.Volume[i]})
			continue
		}
		b := &bars[j]
		b.hi = math.Max(b.hi, p)
		b.lo = math.Min(b.lo, p)
		b.last = p
		b.volume += t.Volume[i]
	}
	out := make([][]val, 0, len(bars))
	for _, b := range bars {
		row := []val{vInt(b.start), vFloat(b.first), vFloat(b.hi), vFloat(b.lo), vFloat(b.last), vInt(b.volume)}
		if !one {
			row = append([]val{vStr(SymbolNames[b.sym])}, row...)
		}
		out = append(out, row)
	}
	return out
}

func refFilterCount(t *Trades) [][]val {
	var n int64
	for i, p := range t.Price {
		if p > 101 && t.Volume[i] > 500 {
			n++
		}
	}
	return [][]val{{vInt(n)}}
}

func refLast100(t *Trades) [][]val {
	var out [][]val
	for i := t.Len() - 1; i >= 0 && len(out) < 100; i-- {
		if t.Sym[i] == benchSymbol {
			out = append(out, []val{vInt(t.TS[i]), vStr(SymbolNames[benchSymbol]), vFloat(t.Price[i]), vInt(t.Volume[i])})
		}
	}
	return out
}
