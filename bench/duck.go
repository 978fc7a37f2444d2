package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// The DuckDB side: an in-process database (in memory unless -duck-path),
// loaded with the Appender API into trades(ts BIGINT, symbol VARCHAR, price
// DOUBLE, volume BIGINT). ts stays integer ns so the bar queries use the same
// integer arithmetic as ZeptoDB's xbar.

type duckDB struct {
	db      *sql.DB
	conn    *sql.Conn // every statement runs on this one connection
	Version string
}

// openDuck opens the database at path ("" = in memory) and, if threads > 0,
// sets DuckDB's thread count.
func openDuck(ctx context.Context, path string, threads int) (*duckDB, error) {
	connector, err := duckdb.NewConnector(path, nil)
	if err != nil {
		return nil, fmt.Errorf("duckdb: %w", err)
	}
	db := sql.OpenDB(connector)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("duckdb: %w", err)
	}
	d := &duckDB{db: db, conn: conn}
	if threads > 0 {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET threads = %d", threads)); err != nil {
			d.close()
			return nil, fmt.Errorf("duckdb: %w", err)
		}
	}
	if err := conn.QueryRowContext(ctx, "SELECT version()").Scan(&d.Version); err != nil {
		d.close()
		return nil, fmt.Errorf("duckdb: %w", err)
	}
	return d, nil
}

func (d *duckDB) close() {
	d.conn.Close()
	d.db.Close()
}

// threads returns DuckDB's current thread count.
func (d *duckDB) threads(ctx context.Context) (int64, error) {
	var n int64
	err := d.conn.QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&n)
	return n, err
}

// load recreates trades and appends all of t through one Appender; the
// returned time covers appending and the final flush (Close).
func (d *duckDB) load(ctx context.Context, t *Trades) (time.Duration, error) {
	return d.appendTable(ctx, "trades",
		`CREATE TABLE trades (ts BIGINT, symbol VARCHAR, price DOUBLE, volume BIGINT)`,
		t.Len(), func(app *duckdb.Appender, i int) error {
			return app.AppendRow(t.TS[i], SymbolNames[t.Sym[i]], t.Price[i], t.Volume[i])
		})
}

// loadQuotes recreates quotes (ts BIGINT of ns, like trades) and appends all
// of q, as load does.
func (d *duckDB) loadQuotes(ctx context.Context, q *Quotes) (time.Duration, error) {
	return d.appendTable(ctx, "quotes",
		`CREATE TABLE quotes (ts BIGINT, symbol VARCHAR, bid DOUBLE, ask DOUBLE, bid_size BIGINT, ask_size BIGINT)`,
		q.Len(), func(app *duckdb.Appender, i int) error {
			return app.AppendRow(q.TS[i], SymbolNames[q.Sym[i]], q.Bid[i], q.Ask[i], q.BidSize[i], q.AskSize[i])
		})
}

// appendTable recreates table with create and appends rows 0..n-1 with
// appendRow through one Appender, timing the appends and the final flush.
func (d *duckDB) appendTable(ctx context.Context, table, create string, n int, appendRow func(*duckdb.Appender, int) error) (time.Duration, error) {
	for _, s := range []string{`DROP TABLE IF EXISTS ` + table, create} {
		if _, err := d.conn.ExecContext(ctx, s); err != nil {
			return 0, fmt.Errorf("duckdb: %s: %w", s, err)
		}
	}
	var elapsed time.Duration
	err := d.conn.Raw(func(dc any) error {
		start := time.Now()
		app, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", table)
		if err != nil {
			return err
		}
		for i := range n {
			if err := appendRow(app, i); err != nil {
				app.Close()
				return fmt.Errorf("row %d: %w", i, err)
			}
			if i&0xffff == 0 && ctx.Err() != nil {
				app.Close()
				return ctx.Err()
			}
		}
		if err := app.Close(); err != nil {
			return err
		}
		elapsed = time.Since(start)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("duckdb appender (%s): %w", table, err)
	}
	return elapsed, nil
}

// makeSorted creates trades_sorted, a copy of trades ordered by symbol, ts.
func (d *duckDB) makeSorted(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	if _, err := d.conn.ExecContext(ctx, `DROP TABLE IF EXISTS trades_sorted`); err != nil {
		return 0, err
	}
	if _, err := d.conn.ExecContext(ctx, `CREATE TABLE trades_sorted AS SELECT * FROM trades ORDER BY symbol, ts`); err != nil {
		return 0, fmt.Errorf("duckdb: %w", err)
	}
	return time.Since(start), nil
}

// query runs sql and scans every row into fresh []any values.
func (d *duckDB) query(ctx context.Context, sql string) ([][]any, error) {
	rows, err := d.conn.QueryContext(ctx, sql)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]any
	ptrs := make([]any, len(cols))
	for rows.Next() {
		row := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// countRows returns count(*) of table.
func (d *duckDB) countRows(ctx context.Context, table string) (int64, error) {
	var n int64
	err := d.conn.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n)
	return n, err
}

// duckEngine runs benchmark queries against one DuckDB table.
type duckEngine struct {
	d     *duckDB
	table string
	label string
}

func (e *duckEngine) name() string { return e.label }

// run times one query: executing it and scanning all result rows.
// Normalising the cells is not timed.
func (e *duckEngine) run(ctx context.Context, q *Query) (time.Duration, [][]val, float64, error) {
	start := time.Now()
	raw, err := e.d.query(ctx, q.DuckSQL(e.table))
	elapsed := time.Since(start)
	if err != nil {
		return 0, nil, 0, fmt.Errorf("duckdb: %w", err)
	}
	rows, err := normRows(raw, normDuck)
	if err != nil {
		return 0, nil, 0, fmt.Errorf("duckdb result: %w", err)
	}
	return elapsed, rows, 0, nil
}
