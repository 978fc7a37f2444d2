package main

import (
	"context"
	"database/sql/driver"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// The data set of TestDifferentialDuckDB: table t (the tick table) and
// table u (a small table whose designated symbol is sometimes NULL), both
// generated from one seed and loaded identically into ZeptoDB (shuffled,
// in several INSERT batches) and DuckDB (Appender).

// diffBase is 2026-11-02 00:00:00 UTC; t spans diffDays days from it.
var diffBase = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC).UnixNano()

const (
	diffDays    = 3
	diffRowsT   = 3000
	diffRowsU   = 300
	diffNullPct = 5 // percent of NULLs in each nullable column of t
	nsPerMinute = int64(time.Minute)
	nsPerHour   = int64(time.Hour)
	nsPerDay    = 24 * nsPerHour
)

// diffSymbols are t's symbols, deliberately not in sorted order of first
// insertion (the generator picks them with uneven weights).
var diffSymbols = []string{"S5", "S1", "S8", "S3", "S2", "S7", "S4", "S6"}

// diffNotes are t's note values: LIKE metacharacters, a quote, non-ASCII
// text, an empty string and upper/lower case variants.
var diffNotes = []string{"buy", "sell", "Buy", "SELL", "buy_block", "sell%odd", "cross", "", "O'Neil", "café", "a_b", "axb", "abc", "zz top"}

// tRow is one row of t; a nil pointer is NULL.
type tRow struct {
	ts     int64
	symbol string
	price  *float64
	volume *int64
	qty    *int32
	flag   *bool
	note   *string
}

// uRow is one row of u(ts TIMESTAMP, symbol SYMBOL, venue SYMBOL, v BIGINT).
type uRow struct {
	ts     int64
	symbol *string
	venue  *string
	v      *int64
}

type diffData struct {
	seed uint64
	t    []tRow // in generation order
	u    []uRow
}

func ptr[T any](v T) *T { return &v }

// genDiffData generates both tables from seed.
func genDiffData(seed uint64) *diffData {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	d := &diffData{seed: seed}
	seen := map[int64]bool{}
	span := int64(diffDays) * nsPerDay
	nextTS := func(i int) int64 {
		for {
			var ts int64
			switch {
			case i < 24: // exactly on hour (and day) boundaries: xbar edges
				ts = diffBase + int64(r.IntN(diffDays*24))*nsPerHour
			case i < 48: // exactly on minute boundaries
				ts = diffBase + r.Int64N(span/nsPerMinute)*nsPerMinute
			case i < 72: // one nanosecond before a 5-minute boundary
				ts = diffBase + (1+r.Int64N(span/(5*nsPerMinute)-1))*5*nsPerMinute - 1
			case i < 400: // a burst of trades within one minute
				ts = diffBase + 30*nsPerHour + 17*nsPerMinute + r.Int64N(nsPerMinute)
			default:
				ts = diffBase + r.Int64N(span)
			}
			if !seen[ts] {
				seen[ts] = true
				return ts
			}
		}
	}
	null := func() bool { return r.IntN(100) < diffNullPct }
	weights := []int{5, 4, 3, 3, 2, 2, 1, 1} // uneven symbol frequencies
	totalW := 0
	for _, w := range weights {
		totalW += w
	}
	pickSym := func() string {
		x := r.IntN(totalW)
		for i, w := range weights {
			if x < w {
				return diffSymbols[i]
			}
			x -= w
		}
		panic("unreachable")
	}
	for i := range diffRowsT {
		row := tRow{ts: nextTS(i), symbol: pickSym()}
		if !null() {
			// Four decimals, mostly positive, a few negative prices for
			// abs/floor/ceil/round; some exact halves for round.
			p := float64(r.IntN(2_100_000)-100_000) / 10_000
			if r.IntN(20) == 0 {
				p = float64(r.IntN(4000)-200) / 8
			}
			row.price = &p
		}
		if !null() {
			v := int64(r.IntN(5000) + 1)
			if r.IntN(25) == 0 {
				v = 0
			}
			row.volume = &v
		}
		if !null() {
			q := int32(r.IntN(201) - 100) // includes 0: division by zero
			row.qty = &q
		}
		if !null() {
			row.flag = ptr(r.IntN(2) == 0)
		}
		if !null() {
			row.note = ptr(diffNotes[r.IntN(len(diffNotes))])
		}
		d.t = append(d.t, row)
	}
	for range diffRowsU {
		row := uRow{ts: nextTS(1000)}
		if r.IntN(10) != 0 {
			row.symbol = ptr([]string{"A", "B", "C"}[r.IntN(3)])
		}
		if r.IntN(8) != 0 {
			row.venue = ptr([]string{"X", "Y"}[r.IntN(2)])
		}
		if r.IntN(15) != 0 {
			row.v = ptr(int64(r.IntN(1000) - 300))
		}
		d.u = append(d.u, row)
	}
	return d
}

// Literal formatting for ZeptoDB's INSERT statements.

func sqlStr(s *string) string {
	if s == nil {
		return "NULL"
	}
	return "'" + strings.ReplaceAll(*s, "'", "''") + "'"
}

func sqlFloat(f *float64) string {
	if f == nil {
		return "NULL"
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func sqlInt[T int32 | int64](v *T) string {
	if v == nil {
		return "NULL"
	}
	return strconv.FormatInt(int64(*v), 10)
}

func sqlBool(b *bool) string {
	if b == nil {
		return "NULL"
	}
	return strconv.FormatBool(*b)
}

// sqlTS writes a timestamp as integer nanoseconds, or (text=true) as
// 'YYYY-MM-DD HH:MM:SS.fffffffff' text, which ZeptoDB converts on insert.
func sqlTS(ns int64, text bool) string {
	if !text {
		return strconv.FormatInt(ns, 10)
	}
	return "'" + time.Unix(0, ns).UTC().Format("2006-01-02 15:04:05.999999999") + "'"
}

// zeptoInserts returns the INSERT statements that load d into ZeptoDB: the
// rows of each table shuffled (so timestamps arrive out of order) and split
// into batches of uneven sizes; every third batch of t writes its
// timestamps as text.
func (d *diffData) zeptoInserts() []string {
	r := rand.New(rand.NewPCG(d.seed+1, d.seed))
	var out []string
	perm := r.Perm(len(d.t))
	for b, lo := 0, 0; lo < len(perm); b++ {
		hi := min(len(perm), lo+200+r.IntN(600))
		var sb strings.Builder
		sb.WriteString("INSERT INTO t VALUES ")
		for k, i := range perm[lo:hi] {
			x := &d.t[i]
			if k > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "(%s, %s, %s, %s, %s, %s, %s)", sqlTS(x.ts, b%3 == 1), sqlStr(&x.symbol),
				sqlFloat(x.price), sqlInt(x.volume), sqlInt(x.qty), sqlBool(x.flag), sqlStr(x.note))
		}
		out = append(out, sb.String())
		lo = hi
	}
	perm = r.Perm(len(d.u))
	for lo := 0; lo < len(perm); lo += 100 {
		var sb strings.Builder
		sb.WriteString("INSERT INTO u (symbol, v, ts, venue) VALUES ")
		for k, i := range perm[lo:min(lo+100, len(perm))] {
			x := &d.u[i]
			if k > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "(%s, %s, %s, %s)", sqlStr(x.symbol), sqlInt(x.v), sqlTS(x.ts, false), sqlStr(x.venue))
		}
		out = append(out, sb.String())
	}
	return out
}

var diffZeptoDDL = []string{
	`CREATE TABLE t (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT, qty INT, flag BOOL, note STRING)`,
	`CREATE TABLE u (ts TIMESTAMP, symbol SYMBOL, venue SYMBOL, v BIGINT)`,
}

var diffDuckDDL = []string{
	`CREATE TABLE t (ts BIGINT, symbol VARCHAR, price DOUBLE, volume BIGINT, qty INTEGER, flag BOOLEAN, note VARCHAR)`,
	`CREATE TABLE u (ts BIGINT, symbol VARCHAR, venue VARCHAR, v BIGINT)`,
}

// anyOf turns a nil pointer into an untyped nil (NULL for the Appender).
func anyOf[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// loadDuck creates t and u in d and appends the rows.
func (dd *diffData) loadDuck(ctx context.Context, d *duckDB) error {
	for _, s := range diffDuckDDL {
		if _, err := d.conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("duckdb: %s: %w", s, err)
		}
	}
	return d.conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "t")
		if err != nil {
			return err
		}
		for i, x := range dd.t {
			if err := app.AppendRow(x.ts, x.symbol, anyOf(x.price), anyOf(x.volume), anyOf(x.qty), anyOf(x.flag), anyOf(x.note)); err != nil {
				app.Close()
				return fmt.Errorf("t row %d: %w", i, err)
			}
		}
		if err := app.Close(); err != nil {
			return err
		}
		app, err = duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "u")
		if err != nil {
			return err
		}
		for i, x := range dd.u {
			if err := app.AppendRow(x.ts, anyOf(x.symbol), anyOf(x.venue), anyOf(x.v)); err != nil {
				app.Close()
				return fmt.Errorf("u row %d: %w", i, err)
			}
		}
		return app.Close()
	})
}

// tsText is ns as the text ZeptoDB compares timestamps with.
func tsText(ns int64) string {
	return time.Unix(0, ns).UTC().Format("2006-01-02 15:04:05.999999999")
}

// nthTS returns the timestamp of the k-th row of t in timestamp order.
func (d *diffData) nthTS(k int) int64 {
	ts := make([]int64, len(d.t))
	for i, x := range d.t {
		ts[i] = x.ts
	}
	slices.Sort(ts)
	return ts[k]
}
