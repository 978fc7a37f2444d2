package main

// The tick-analytics suite (-suite tick): ASOF joins of trades with the
// prevailing quote, the latest quote and the last trade per symbol, and
// forward-filled 1-minute bars. Each engine uses its own syntax; every
// answer is checked against one computed in Go from the generated columns,
// and the engines against each other, as for the default suite.

// minuteNS is the bar width of the filled-bars query: 1 minute in ns.
const minuteNS = 60_000_000_000

// asofAggs are the aggregates of the ASOF queries: trades matched, mean
// quoted spread, and volume-weighted distance of the trade price from the
// prevailing mid (the same text on both engines).
const asofAggs = `count(*), avg(q.ask - q.bid), sum(t.volume * (t.price - (q.bid + q.ask) / 2))`

var tickQueries = []Query{
	{
		Name:   "asof one symbol",
		Zepto:  `SELECT ` + asofAggs + ` FROM trades t ASOF JOIN quotes q ON t.symbol = q.symbol AND t.ts >= q.ts WHERE t.symbol = 'S042'`,
		Duck:   `SELECT ` + asofAggs + ` FROM {table} t ASOF JOIN quotes q ON t.symbol = q.symbol AND t.ts >= q.ts WHERE t.symbol = 'S042'`,
		RefQ:   func(t *Trades, q *Quotes) [][]val { return refAsof(t, q, true) },
		Quotes: true,
	},
	{
		Name:   "asof all symbols",
		Zepto:  `SELECT t.symbol, ` + asofAggs + ` FROM trades t ASOF JOIN quotes q ON t.symbol = q.symbol AND t.ts >= q.ts GROUP BY t.symbol`,
		Duck:   `SELECT t.symbol, ` + asofAggs + ` FROM {table} t ASOF JOIN quotes q ON t.symbol = q.symbol AND t.ts >= q.ts GROUP BY t.symbol`,
		RefQ:   func(t *Trades, q *Quotes) [][]val { return refAsof(t, q, false) },
		Quotes: true,
	},
	{
		Name:   "latest quote per symbol",
		Zepto:  `SELECT symbol, bid, ask, ts FROM quotes LATEST ON ts PARTITION BY symbol`,
		Duck:   `SELECT symbol, arg_max(bid, ts), arg_max(ask, ts), max(ts) FROM quotes GROUP BY symbol`,
		RefQ:   refLatestQuote,
		Quotes: true,
	},
	{
		Name:  "last per symbol",
		Zepto: `SELECT symbol, last(price), last(ts) FROM trades GROUP BY symbol`,
		Duck:  `SELECT symbol, arg_max(price, ts), max(ts) FROM {table} GROUP BY symbol`,
		Ref:   refLastPerSymbol,
	},
	{
		// ZeptoDB fills every symbol over the global bucket range, NULL
		// before a symbol's first trade; DuckDB spells that out: the minute
		// grid × symbols, left-joined with the per-minute last price and
		// filled forward.
		Name:  "1m bars fill prev all symbols",
		Zepto: `SELECT ts, symbol, last(price) FROM trades SAMPLE BY 1m FILL(PREV)`,
		Duck: `WITH b AS (SELECT symbol, ts - ts % 60000000000 AS minute, arg_max(price, ts) AS p FROM {table} GROUP BY symbol, minute), ` +
			`g AS (SELECT s.symbol, m.minute FROM (SELECT DISTINCT symbol FROM b) s CROSS JOIN ` +
			`(SELECT unnest(range(min(minute), max(minute) + 60000000000, 60000000000)) AS minute FROM b) m) ` +
			`SELECT g.minute, g.symbol, last_value(b.p IGNORE NULLS) OVER (PARTITION BY g.symbol ORDER BY g.minute ROWS UNBOUNDED PRECEDING) ` +
			`FROM g LEFT JOIN b ON b.symbol = g.symbol AND b.minute = g.minute`,
		Ref: refFillPrevBars,
	},
	{
		// Every S042 trade's 20-trade moving average of price; the count
		// and the sum of all of them depend on every window value.
		Name: "ma20 one symbol",
		Zepto: `SELECT count(*), sum(ma) FROM (SELECT avg(price) OVER (PARTITION BY symbol ORDER BY ts ROWS 19 PRECEDING) AS ma ` +
			`FROM trades WHERE symbol = 'S042') AS w`,
		Duck: `SELECT count(*), sum(ma) FROM (SELECT avg(price) OVER (PARTITION BY symbol ORDER BY ts ROWS BETWEEN 19 PRECEDING AND CURRENT ROW) AS ma ` +
			`FROM {table} WHERE symbol = 'S042') AS w`,
		Ref: refMA20One,
	},
	{
		// The 20-period EMA (alpha = 2/21) of every trade, per symbol: the
		// count, the sum of all EMA values and the last one. DuckDB has no
		// EMA window function, and a recursive CTE needs one iteration per
		// trade of a symbol (100K at 10M rows), which does not finish in
		// useful time; its exact equivalent here folds each symbol's
		// time-ordered prices with list_reduce, carrying [ema, sum of
		// emas] (the first price seeds both, as ZeptoDB's ema does).
		Name: "ema20 all symbols",
		Zepto: `SELECT symbol, count(*), sum(e), last(e) FROM (SELECT symbol, ts, ema(price, 20) OVER (PARTITION BY symbol ORDER BY ts) AS e ` +
			`FROM trades) AS w GROUP BY symbol`,
		Duck: `SELECT symbol, n, r[2], r[1] FROM (SELECT symbol, count(*) AS n, list_reduce(list([price, price] ORDER BY ts), ` +
			`lambda acc, x: [(2::DOUBLE / 21) * x[1] + (1 - 2::DOUBLE / 21) * acc[1], acc[2] + ((2::DOUBLE / 21) * x[1] + (1 - 2::DOUBLE / 21) * acc[1])]) AS r ` +
			`FROM {table} GROUP BY symbol)`,
		Ref: refEMA20,
	},
}

// refMA20One returns the count and the sum of the 20-row moving averages
// of S042's prices (fewer rows at the start), in time order.
func refMA20One(t *Trades) [][]val {
	var win []float64
	var n int64
	total := 0.0
	for i, s := range t.Sym {
		if s != benchSymbol {
			continue
		}
		win = append(win, t.Price[i])
		if len(win) > 20 {
			win = win[1:]
		}
		sum := 0.0
		for _, p := range win {
			sum += p
		}
		total += sum / float64(len(win))
		n++
	}
	if n == 0 {
		return [][]val{{vInt(0), {}}}
	}
	return [][]val{{vInt(n), vFloat(total)}}
}

// refEMA20 returns per symbol the trade count, the sum of the 20-period
// EMAs of price (alpha = 2/21: the first price, then alpha*p +
// (1-alpha)*previous) and the last EMA.
func refEMA20(t *Trades) [][]val {
	const alpha = 2.0 / 21
	var ema, sum [NumSymbols]float64
	var n [NumSymbols]int64
	for i, s := range t.Sym {
		if n[s] == 0 {
			ema[s] = t.Price[i]
		} else {
			ema[s] = alpha*t.Price[i] + (1-alpha)*ema[s]
		}
		sum[s] += ema[s]
		n[s]++
	}
	var out [][]val
	for s := range NumSymbols {
		if n[s] > 0 {
			out = append(out, []val{vStr(SymbolNames[s]), vInt(n[s]), vFloat(sum[s]), vFloat(ema[s])})
		}
	}
	return out
}

// refAsof joins every trade with its symbol's latest quote at or before it
// (ts <= the trade's), dropping trades without one, and aggregates per
// symbol (one: S042 only, a single row; count 0 gives NULL aggregates).
// Both tables are time-ordered, so one merge pass keeps the prevailing
// quote of every symbol.
func refAsof(t *Trades, q *Quotes, one bool) [][]val {
	var prevailing [NumSymbols]int // quote index + 1, 0 = none yet
	var n [NumSymbols]int64
	var spread, dev [NumSymbols]float64
	j := 0
	for i, s := range t.Sym {
		for j < q.Len() && q.TS[j] <= t.TS[i] {
			prevailing[q.Sym[j]] = j + 1
			j++
		}
		k := prevailing[s] - 1
		if k < 0 || one && s != benchSymbol {
			continue
		}
		n[s]++
		spread[s] += q.Ask[k] - q.Bid[k]
		dev[s] += float64(t.Volume[i]) * (t.Price[i] - (q.Bid[k]+q.Ask[k])/2)
	}
	if one {
		s := benchSymbol
		if n[s] == 0 {
			return [][]val{{vInt(0), {}, {}}}
		}
		return [][]val{{vInt(n[s]), vFloat(spread[s] / float64(n[s])), vFloat(dev[s])}}
	}
	var out [][]val
	for s := range NumSymbols {
		if n[s] > 0 {
			out = append(out, []val{vStr(SymbolNames[s]), vInt(n[s]), vFloat(spread[s] / float64(n[s])), vFloat(dev[s])})
		}
	}
	return out
}

// refLatestQuote returns each symbol's last quote: symbol, bid, ask, ts.
func refLatestQuote(_ *Trades, q *Quotes) [][]val {
	var last [NumSymbols]int // index + 1
	for i, s := range q.Sym {
		last[s] = i + 1
	}
	var out [][]val
	for s, k := range last {
		if k > 0 {
			k--
			out = append(out, []val{vStr(SymbolNames[s]), vFloat(q.Bid[k]), vFloat(q.Ask[k]), vInt(q.TS[k])})
		}
	}
	return out
}

// refLastPerSymbol returns each symbol's last trade: symbol, price, ts.
func refLastPerSymbol(t *Trades) [][]val {
	var last [NumSymbols]int // index + 1
	for i, s := range t.Sym {
		last[s] = i + 1
	}
	var out [][]val
	for s, k := range last {
		if k > 0 {
			k--
			out = append(out, []val{vStr(SymbolNames[s]), vFloat(t.Price[k]), vInt(t.TS[k])})
		}
	}
	return out
}

// refFillPrevBars returns (minute, symbol, last price) for every symbol that
// has trades and every minute from the first trade's to the last trade's: a
// minute without trades of the symbol carries its previous minute's value,
// NULL before its first trade.
func refFillPrevBars(t *Trades) [][]val {
	if t.Len() == 0 {
		return nil
	}
	lo := t.TS[0] - t.TS[0]%minuteNS
	hi := t.TS[t.Len()-1] - t.TS[t.Len()-1]%minuteNS
	nb := int((hi-lo)/minuteNS) + 1
	var has [NumSymbols]bool
	last := make([][]float64, NumSymbols) // per symbol, per minute; -1 = no trade
	for i, s := range t.Sym {
		if !has[s] {
			has[s] = true
			last[s] = make([]float64, nb)
			for b := range last[s] {
				last[s][b] = -1 // prices are >= 0.01
			}
		}
		last[s][(t.TS[i]-lo)/minuteNS] = t.Price[i] // time-ordered: the last wins
	}
	var out [][]val
	for s := range NumSymbols {
		if !has[s] {
			continue
		}
		cur := val{} // NULL until the first trade
		for b, p := range last[s] {
			if p >= 0 {
				cur = vFloat(p)
			}
			out = append(out, []val{vInt(lo + int64(b)*minuteNS), vStr(SymbolNames[s]), cur})
		}
	}
	return out
}
