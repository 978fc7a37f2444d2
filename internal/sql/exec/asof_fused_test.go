package exec

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// TestAsofFusedMatchesRows checks the fused ASOF aggregation against the
// same join run row by row (through a derived table, which the fused
// path does not take) on random data: small chunks, out-of-order and
// duplicate timestamps, NULL symbols and prices, symbols on one side only.
func TestAsofFusedMatchesRows(t *testing.T) {
	for _, mode := range []asofData{{true, true, 1, 7, false}, {false, false, 1, 7, false}, {false, true, 5, 64, false}, {false, false, 3, 4096, true}} {
		for _, opts := range []Options{{Workers: 1}, {Workers: 3, ParallelThreshold: 1}} {
			t.Run(fmt.Sprintf("%+v/workers=%d", mode, opts.Workers), func(t *testing.T) {
				_, _, run := testExecutor(t, mode.chunkRows, opts)
				loadAsofRandom(run, mode)
				for _, q := range asofFusedQueries {
					fused := resultText(run(q.aggregate()))
					rows := resultText(run(q.derived()))
					if fused != rows {
						t.Errorf("%s\nfused:\n%s\nrow by row:\n%s", q.aggregate(), fused, rows)
					}
				}
			})
		}
	}
}

type asofFusedQuery struct{ join, where, keys, aggs, inner string }

var asofFusedQueries = func() []asofFusedQuery {
	aggs := "count(*), count(q.bid), sum(q.bid), avg(t.px - q.bid), min(q.ts), max(q.sym), sum(t.qty * q.sz), first(q.bid), last(q.bid)"
	inner := "t.ts AS ts, q.bid AS bid, t.px AS px, q.ts AS qts, q.sym AS qsym, t.qty AS qty, q.sz AS sz" // ts first: the designated timestamp of first and last
	innerAggs := "count(*), count(bid), sum(bid), avg(px - bid), min(qts), max(qsym), sum(qty * sz), first(bid), last(bid)"
	var out []asofFusedQuery
	for _, join := range []string{
		"ASOF JOIN qu q ON t.sym = q.sym AND t.ts >= q.ts",
		"ASOF JOIN qu q ON t.sym = q.sym AND t.ts > q.ts",
		"ASOF LEFT JOIN qu q ON t.sym = q.sym AND t.ts >= q.ts",
		"ASOF JOIN qu q ON t.sym = q.sym AND q.ts <= t.ts TOLERANCE INTERVAL 3 NANOSECOND",
		"ASOF LEFT JOIN qu q ON q.sym = t.sym AND t.ts > q.ts TOLERANCE INTERVAL 5 NANOSECOND",
	} {
		for _, where := range []string{"", "WHERE t.px > 10", "WHERE t.sym = 'A'"} {
			out = append(out,
				asofFusedQuery{join, where, "", aggs, inner + ", t.sym AS sym"},
				asofFusedQuery{join, where, "t.sym", aggs, inner + ", t.sym AS sym"})
		}
	}
	for i := range out {
		out[i].aggs = aggs + "|" + innerAggs
	}
	return out
}()

func (q asofFusedQuery) aggregate() string {
	aggs := strings.Split(q.aggs, "|")[0]
	s := "SELECT "
	if q.keys != "" {
		s += q.keys + ", "
	}
	s += aggs + " FROM tr t " + q.join + " " + q.where
	if q.keys != "" {
		s += " GROUP BY " + q.keys + " ORDER BY " + q.keys
	}
	return s
}

func (q asofFusedQuery) derived() string {
	aggs := strings.Split(q.aggs, "|")[1]
	s := "SELECT "
	if q.keys != "" {
		s += "sym, "
	}
	s += aggs + " FROM (SELECT " + q.inner + " FROM tr t " + q.join + " " + q.where + ") AS x"
	if q.keys != "" {
		s += " GROUP BY sym ORDER BY sym"
	}
	return s
}

// asofData shapes the random rows: each table time-ordered or each
// insert shuffled (trades then at unique times: last() among equal times
// depends on scan order), and quotes per trade (many: the right cursor
// jumps further than its linear steps).
type asofData struct {
	sortedTrades, sortedQuotes bool
	quotesPerTrade             int
	chunkRows                  int
	// oneInsert sends all rows in one statement each, shuffled as a
	// whole: far out of order, past what merging runs handles.
	oneInsert bool
}

// loadAsofRandom fills tr and qu with random rows in batches.
func loadAsofRandom(run func(string) *Result, d asofData) {
	run("CREATE TABLE tr (ts TIMESTAMP, sym SYMBOL, px DOUBLE, qty BIGINT)")
	run("CREATE TABLE qu (ts TIMESTAMP, sym SYMBOL, bid DOUBLE, sz BIGINT)")
	rng := rand.New(rand.NewSource(7))
	syms := []string{"'A'", "'B'", "'C'", "NULL"}
	ts, qts := 0, 0
	var allTr, allQu []string
	for batch := 0; batch < 6; batch++ {
		var tr, qu []string
		for i := 0; i < 40; i++ {
			ts += rng.Intn(3)
			if !d.sortedTrades {
				ts++
			}
			t := ts
			px := fmt.Sprint(5 + rng.Intn(10))
			if rng.Intn(10) == 0 {
				px = "NULL"
			}
			tr = append(tr, fmt.Sprintf("(%d, %s, %s, %d)", t, syms[rng.Intn(4)], px, 1+rng.Intn(9)))
			for range d.quotesPerTrade {
				qu = append(qu, randomQuote(rng, &qts, d.quotesPerTrade))
			}
		}
		if !d.sortedTrades {
			rng.Shuffle(len(tr), func(i, j int) { tr[i], tr[j] = tr[j], tr[i] })
		}
		if !d.sortedQuotes {
			rng.Shuffle(len(qu), func(i, j int) { qu[i], qu[j] = qu[j], qu[i] })
		}
		allTr, allQu = append(allTr, tr...), append(allQu, qu...)
		if !d.oneInsert {
			run("INSERT INTO tr VALUES " + strings.Join(tr, ", "))
			run("INSERT INTO qu VALUES " + strings.Join(qu, ", "))
		}
	}
	if d.oneInsert {
		rng.Shuffle(len(allTr), func(i, j int) { allTr[i], allTr[j] = allTr[j], allTr[i] })
		rng.Shuffle(len(allQu), func(i, j int) { allQu[i], allQu[j] = allQu[j], allQu[i] })
		run("INSERT INTO tr VALUES " + strings.Join(allTr, ", "))
		run("INSERT INTO qu VALUES " + strings.Join(allQu, ", "))
	}
}

// randomQuote returns a quote after *qts (ties included: the later-stored
// quote wins), mostly of A and B, never of a NULL symbol.
func randomQuote(rng *rand.Rand, qts *int, perTrade int) string {
	if rng.Intn(perTrade) == 0 {
		*qts += rng.Intn(3)
	}
	bid := fmt.Sprint(1 + rng.Intn(20))
	if rng.Intn(8) == 0 {
		bid = "NULL"
	}
	syms := []string{"'A'", "'A'", "'B'", "'C'"}
	return fmt.Sprintf("(%d, %s, %s, %d)", *qts, syms[rng.Intn(4)], bid, rng.Intn(5))
}

// resultText renders a result row by row.
func resultText(r *Result) string { return strings.Join(renderRows(r), "\n") }
