// Command bench compares ZeptoDB with DuckDB on market tick data.
//
// It generates a deterministic trades table (-rows rows over 100 symbols,
// see gen.go), loads it into a ZeptoDB server over HTTP (zepto.go) and into
// an in-process DuckDB through its Appender (duck.go), runs the queries of
// queries.go on both, checks every answer against one computed in Go from the
// generated data and against the other engine, and prints a Markdown report
// (report.go) with ingest rates and median/min query times. With -quotes N
// it also loads N quotes, and -suite tick runs the tick-analytics queries of
// tick.go (ASOF joins, latest quote, last trade, filled bars).
//
// Usage, from this directory:
//
//	go run . -engines duck                       # DuckDB only
//	go run . -zepto-url http://127.0.0.1:8123    # against a running server
//	go run . -zepto-bin ../zeptodb -rows 10000000 -out results.md
//	go run . -zepto-bin ../zeptodb -quotes 2000000 -suite tick
//
// A wrong answer from either engine prints MISMATCH, keeps the numbers out
// of the table and makes the exit status 2; a failed query shows ERROR and
// makes it 1. Progress goes to stderr, the report to stdout.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

type options struct {
	rows         int
	seed         uint64
	engines      string
	zeptoURL     string
	zeptoBin     string
	readyTimeout time.Duration
	batch        int
	loadConns    int
	duckPath     string
	duckThreads  int
	duckSorted   bool
	warmup       int
	runs         int
	quotes       int
	suite        string
	only         string
	timeout      time.Duration
	out          string
}

func main() {
	var o options
	flag.IntVar(&o.rows, "rows", 1_000_000, "number of trades to generate and load")
	flag.Uint64Var(&o.seed, "seed", 1, "generator seed")
	flag.StringVar(&o.engines, "engines", "zepto,duck", "comma-separated engines to run: zepto, duck")
	flag.StringVar(&o.zeptoURL, "zepto-url", "http://127.0.0.1:8123", "URL of a running ZeptoDB server (ignored with -zepto-bin)")
	flag.StringVar(&o.zeptoBin, "zepto-bin", "", "start this ZeptoDB binary (serve --port P --data-dir TMP --wal-sync sync --query-cache-size 0) and stop it at the end")
	flag.DurationVar(&o.readyTimeout, "ready-timeout", time.Minute, "how long to wait for a started server's GET /ready")
	flag.IntVar(&o.batch, "batch", 10_000, "rows per ZeptoDB INSERT statement")
	flag.IntVar(&o.loadConns, "load-conns", 4, "concurrent connections loading ZeptoDB")
	flag.StringVar(&o.duckPath, "duck-path", "", "DuckDB database file (default: in memory)")
	flag.IntVar(&o.duckThreads, "duck-threads", 0, "DuckDB threads (0 = DuckDB's default, all cores)")
	flag.BoolVar(&o.duckSorted, "duck-sorted", false, "also run DuckDB on a copy of trades sorted by symbol, ts")
	flag.IntVar(&o.warmup, "warmup", 2, "untimed runs of each query per engine")
	flag.IntVar(&o.runs, "runs", 10, "timed runs of each query per engine")
	flag.IntVar(&o.quotes, "quotes", 0, "also generate and load this many quotes, over the trades' time span (needed by -suite tick)")
	flag.StringVar(&o.suite, "suite", "default", "query suite: default, tick (ASOF joins, latest, filled bars; needs -quotes) or all")
	flag.StringVar(&o.only, "queries", "", "comma-separated substrings; run only queries whose name contains one")
	flag.DurationVar(&o.timeout, "timeout", 10*time.Minute, "timeout of one statement")
	flag.StringVar(&o.out, "out", "", "also append the report to this file")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "bench: unexpected arguments %q\n", flag.Args())
		os.Exit(64)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code, err := run(ctx, &o)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// engine is one system under test.
type engine interface {
	name() string
	// run executes q once and returns the client-side time, the normalised
	// result and the server-reported execution time in µs (0 if none).
	run(ctx context.Context, q *Query) (time.Duration, [][]val, float64, error)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func run(ctx context.Context, o *options) (int, error) {
	useZepto, useDuck := false, false
	for _, e := range strings.Split(o.engines, ",") {
		switch strings.TrimSpace(e) {
		case "zepto", "zeptodb":
			useZepto = true
		case "duck", "duckdb":
			useDuck = true
		case "":
		default:
			return 64, fmt.Errorf("unknown engine %q (want zepto, duck)", e)
		}
	}
	switch {
	case !useZepto && !useDuck:
		return 64, errors.New("no engine selected")
	case o.rows < 1, o.batch < 1, o.loadConns < 1, o.runs < 1, o.warmup < 0, o.quotes < 0:
		return 64, errors.New("-rows, -batch, -load-conns and -runs must be >= 1; -warmup and -quotes >= 0")
	}
	suite, err := suiteQueries(o.suite)
	if err != nil {
		return 64, err
	}
	qs := selectQueries(suite, o.only)
	if len(qs) == 0 {
		return 64, fmt.Errorf("no query of suite %s has a name containing any of %q", o.suite, o.only)
	}
	if o.quotes == 0 {
		for _, q := range qs {
			if q.Quotes {
				return 64, fmt.Errorf("query %q reads quotes: give -quotes N (e.g. -quotes %d, two per trade)", q.Name, 2*o.rows)
			}
		}
	}

	rep := &report{Date: time.Now(), Rows: o.rows, Quotes: o.quotes, Seed: o.seed, Warmup: o.warmup, Runs: o.runs}

	start := time.Now()
	trades := GenTrades(o.rows, o.seed)
	logf("generated %s trades in %v (%s .. %s)", fmtInt(int64(o.rows)), time.Since(start).Round(time.Millisecond),
		time.Unix(0, trades.TS[0]).UTC().Format(time.TimeOnly), time.Unix(0, trades.TS[trades.Len()-1]).UTC().Format(time.TimeOnly))
	var quotes *Quotes
	if o.quotes > 0 {
		start = time.Now()
		quotes = GenQuotes(o.quotes, o.seed, o.rows)
		logf("generated %s quotes in %v (%s .. %s)", fmtInt(int64(quotes.Len())), time.Since(start).Round(time.Millisecond),
			time.Unix(0, quotes.TS[0]).UTC().Format(time.TimeOnly), time.Unix(0, quotes.TS[quotes.Len()-1]).UTC().Format(time.TimeOnly))
	}

	var engines []engine

	if useZepto {
		url := o.zeptoURL
		if o.zeptoBin != "" {
			logf("starting %s", o.zeptoBin)
			srv, err := startZeptoServer(ctx, o.zeptoBin, o.readyTimeout)
			if err != nil {
				return 1, err
			}
			defer srv.stop()
			url = srv.URL
			logf("server ready at %s (log: %s)", url, srv.logPath)
		}
		c := newZeptoClient(url, o.loadConns)
		defer c.close()
		z := &zeptoEngine{c: c}
		sctx, cancel := context.WithTimeout(ctx, o.timeout)
		err := c.createTrades(sctx)
		cancel()
		if err != nil {
			return 1, fmt.Errorf("zeptodb at %s: %w (is the server running? -engines duck runs DuckDB alone)", url, err)
		}
		logf("loading ZeptoDB: batches of %d rows over %d connections", o.batch, o.loadConns)
		d, err := c.load(ctx, trades, o.batch, o.loadConns)
		if err != nil {
			return 1, fmt.Errorf("loading zeptodb: %w", err)
		}
		if err := checkCount(ctx, o.timeout, "ZeptoDB trades", func(ctx context.Context) (int64, error) { return z.countRows(ctx, "trades") }, o.rows); err != nil {
			return 1, err
		}
		how := fmt.Sprintf("HTTP multi-row INSERT, %d rows/statement, %d connections, ", o.batch, o.loadConns)
		if o.zeptoBin != "" {
			how += "server started by the harness with --wal-sync sync --query-cache-size 0"
		} else {
			how += "server at " + url
		}
		rep.Ingest = append(rep.Ingest, ingestLine{"ZeptoDB", "", o.rows, d, how})
		logf("ZeptoDB loaded in %v (%s rows/s)", d.Round(time.Millisecond), fmtInt(int64(float64(o.rows)/d.Seconds())))
		if quotes != nil {
			sctx, cancel := context.WithTimeout(ctx, o.timeout)
			err := c.createQuotes(sctx)
			cancel()
			if err != nil {
				return 1, fmt.Errorf("zeptodb: creating quotes: %w", err)
			}
			logf("loading ZeptoDB quotes")
			d, err := c.loadQuotes(ctx, quotes, o.batch, o.loadConns)
			if err != nil {
				return 1, fmt.Errorf("loading zeptodb quotes: %w", err)
			}
			if err := checkCount(ctx, o.timeout, "ZeptoDB quotes", func(ctx context.Context) (int64, error) { return z.countRows(ctx, "quotes") }, o.quotes); err != nil {
				return 1, err
			}
			rep.Ingest = append(rep.Ingest, ingestLine{"ZeptoDB", "quotes", o.quotes, d,
				fmt.Sprintf("quotes(ts, symbol, bid, ask, bid_size, ask_size), HTTP multi-row INSERT, %d rows/statement, %d connections", o.batch, o.loadConns)})
			logf("ZeptoDB quotes loaded in %v (%s rows/s)", d.Round(time.Millisecond), fmtInt(int64(float64(o.quotes)/d.Seconds())))
		}
		engines = append(engines, z)
		rep.ZeptoServerUS = true
	}

	if useDuck {
		dd, err := openDuck(ctx, o.duckPath, o.duckThreads)
		if err != nil {
			return 1, err
		}
		defer dd.close()
		rep.DuckVersion = dd.Version
		threads, _ := dd.threads(ctx)
		logf("loading DuckDB %s (%d threads) through the Appender", dd.Version, threads)
		d, err := dd.load(ctx, trades)
		if err != nil {
			return 1, err
		}
		if err := checkCount(ctx, o.timeout, "DuckDB trades", func(ctx context.Context) (int64, error) { return dd.countRows(ctx, "trades") }, o.rows); err != nil {
			return 1, err
		}
		where := "in memory"
		if o.duckPath != "" {
			where = o.duckPath
		}
		rep.Ingest = append(rep.Ingest, ingestLine{"DuckDB", "", o.rows, d,
			fmt.Sprintf("in-process Appender, one row per AppendRow, %s, %d threads", where, threads)})
		logf("DuckDB loaded in %v (%s rows/s)", d.Round(time.Millisecond), fmtInt(int64(float64(o.rows)/d.Seconds())))
		if quotes != nil {
			d, err := dd.loadQuotes(ctx, quotes)
			if err != nil {
				return 1, err
			}
			if err := checkCount(ctx, o.timeout, "DuckDB quotes", func(ctx context.Context) (int64, error) { return dd.countRows(ctx, "quotes") }, o.quotes); err != nil {
				return 1, err
			}
			rep.Ingest = append(rep.Ingest, ingestLine{"DuckDB", "quotes", o.quotes, d, "quotes(ts, symbol, bid, ask, bid_size, ask_size), in-process Appender"})
			logf("DuckDB quotes loaded in %v (%s rows/s)", d.Round(time.Millisecond), fmtInt(int64(float64(o.quotes)/d.Seconds())))
		}
		engines = append(engines, &duckEngine{d: dd, table: "trades", label: "DuckDB"})
		if o.duckSorted {
			d, err := dd.makeSorted(ctx)
			if err != nil {
				return 1, err
			}
			logf("DuckDB trades_sorted (ORDER BY symbol, ts) built in %v", d.Round(time.Millisecond))
			rep.Notes = append(rep.Notes, fmt.Sprintf("DuckDB sorted: a copy made with CREATE TABLE trades_sorted AS SELECT * FROM trades ORDER BY symbol, ts (%.2f s).", d.Seconds()))
			engines = append(engines, &duckEngine{d: dd, table: "trades_sorted", label: "DuckDB sorted"})
		}
	}

	for _, e := range engines {
		rep.Engines = append(rep.Engines, e.name())
	}

	failed, mismatched := false, false
	for qi := range qs {
		q := &qs[qi]
		ref := q.Expected(trades, quotes)
		qr := queryReport{Name: q.Name, M: make([]measurement, len(engines))}
		results := make([][][]val, len(engines))
		for ei, e := range engines {
			runtime.GC()
			m, res, err := measure(ctx, e, q, ref, o.warmup, o.runs, o.timeout)
			if ctx.Err() != nil {
				return 130, ctx.Err()
			}
			var mm *mismatchError
			switch {
			case errors.As(err, &mm):
				m.Mismatch = mm.Error()
				mismatched = true
				fmt.Fprintf(os.Stderr, "\n!!!!!!!! MISMATCH: %s on %q: %s\n    SQL: %s\n\n", e.name(), q.Name, mm.Error(), engineSQL(e, q))
			case err != nil:
				m.Err = err.Error()
				failed = true
				logf("ERROR: %s on %q: %v", e.name(), q.Name, err)
			default:
				results[ei] = res
				logf("%-30s %-14s median %8s ms  min %8s ms  rows %d", q.Name, e.name(), fmtMS(m.Median), fmtMS(m.Min), m.Rows)
			}
			qr.M[ei] = m
		}
		// Each engine already matched the reference; check them against each
		// other too, so agreement does not rest on the reference alone.
		for a := range engines {
			for b := a + 1; b < len(engines); b++ {
				if results[a] == nil || results[b] == nil {
					continue
				}
				if d := diffResults(engines[a].name(), results[a], engines[b].name(), results[b]); d != "" {
					mismatched = true
					qr.M[a].Mismatch, qr.M[b].Mismatch = d, d
					fmt.Fprintf(os.Stderr, "\n!!!!!!!! MISMATCH between %s and %s on %q: %s\n\n", engines[a].name(), engines[b].name(), q.Name, d)
				}
			}
		}
		rep.Queries = append(rep.Queries, qr)
	}

	md := rep.markdown()
	fmt.Print(md)
	switch {
	case mismatched:
		fmt.Fprintln(os.Stderr, "\nbench: MISMATCH: the engines disagree (see above); the report was not appended to -out")
		return 2, nil
	case o.out != "":
		if err := appendToFile(o.out, md); err != nil {
			return 1, err
		}
		logf("appended the report to %s", o.out)
	}
	if failed {
		return 1, errors.New("some queries failed (ERROR in the table)")
	}
	return 0, nil
}

// suiteQueries returns the queries of a -suite value.
func suiteQueries(suite string) ([]Query, error) {
	switch strings.TrimSpace(suite) {
	case "", "default":
		return queries, nil
	case "tick":
		return tickQueries, nil
	case "all":
		return slices.Concat(queries, tickQueries), nil
	}
	return nil, fmt.Errorf("unknown suite %q (want default, tick or all)", suite)
}

// selectQueries returns the queries of suite whose name contains one of the
// comma-separated words of only (all of them if only is empty).
func selectQueries(suite []Query, only string) []Query {
	if strings.TrimSpace(only) == "" {
		return slices.Clone(suite)
	}
	var out []Query
	for _, q := range suite {
		for _, w := range strings.Split(only, ",") {
			if w = strings.TrimSpace(w); w != "" && strings.Contains(q.Name, w) {
				out = append(out, q)
				break
			}
		}
	}
	return out
}

func engineSQL(e engine, q *Query) string {
	if d, ok := e.(*duckEngine); ok {
		return q.DuckSQL(d.table)
	}
	return q.Zepto
}

// checkCount fails unless count(*) of the loaded table is want.
func checkCount(ctx context.Context, timeout time.Duration, name string, count func(context.Context) (int64, error), want int) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	n, err := count(ctx)
	if err != nil {
		return fmt.Errorf("%s count(*) after load: %w", name, err)
	}
	if n != int64(want) {
		return fmt.Errorf("%s holds %d rows after loading %d", name, n, want)
	}
	return nil
}

// mismatchError is a result that differs from the reference.
type mismatchError struct{ msg string }

func (e *mismatchError) Error() string { return e.msg }

// measure runs q warmup+runs times on e, checks every result against ref and
// returns the median and minimum of the timed runs and the last result.
func measure(ctx context.Context, e engine, q *Query, ref [][]val, warmup, runs int, timeout time.Duration) (measurement, [][]val, error) {
	var m measurement
	times := make([]time.Duration, 0, runs)
	server := make([]float64, 0, runs)
	var last [][]val
	for i := range warmup + runs {
		rctx, cancel := context.WithTimeout(ctx, timeout)
		d, res, us, err := e.run(rctx, q)
		cancel()
		if err != nil {
			return m, nil, err
		}
		if diff := diffResults(e.name(), res, "expected", ref); diff != "" {
			return m, nil, &mismatchError{fmt.Sprintf("run %d: %s", i+1, diff)}
		}
		if i >= warmup {
			times = append(times, d)
			server = append(server, us)
		}
		last = res
	}
	slices.Sort(times)
	slices.Sort(server)
	m.Median = medianDur(times)
	m.Min = times[0]
	m.ServerMedianUS = medianF(server)
	m.Rows = len(last)
	return m, last, nil
}

func medianDur(s []time.Duration) time.Duration {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func medianF(s []float64) float64 {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
