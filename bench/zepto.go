package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The ZeptoDB side: an HTTP client for the server's SQL endpoint, the bulk
// loader, and (with -zepto-bin) starting and stopping a server process.
//
// Contract: POST /?default_format=JSONCompact with the SQL statement as the
// body (ClickHouse's HTTP interface); a success is 200 with ClickHouse's
// JSONCompact document ({"meta":[...],"data":[[...],...],"rows":N,
// "statistics":{"elapsed":seconds,...}}), or an empty body for a statement
// without a result; an error is a 4xx/5xx status with ClickHouse's one-line
// exception text.

// zeptoResult is the decoded response body.
type zeptoResult struct {
	Meta       []struct{ Name, Type string }
	Data       [][]any // cells decoded with UseNumber
	Rows       int64
	Statistics struct {
		Elapsed float64 // seconds
	}
}

// zeptoClient talks to one server over keep-alive connections.
type zeptoClient struct {
	base string
	hc   *http.Client
}

func newZeptoClient(base string, conns int) *zeptoClient {
	tr := &http.Transport{
		Proxy:               nil, // loopback only; ignore HTTP_PROXY
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns + 4,
		MaxIdleConnsPerHost: conns + 4,
		IdleConnTimeout:     5 * time.Minute,
		DisableCompression:  true,
	}
	return &zeptoClient{base: strings.TrimRight(base, "/") + "/?default_format=JSONCompact&output_format_json_quote_64bit_integers=0", hc: &http.Client{Transport: tr}}
}

func (c *zeptoClient) close() { c.hc.CloseIdleConnections() }

// bodyReader is a request body that says when the transport is done with it
// (the transport closes the body after writing it, possibly after Do has
// returned), so the loader can safely reuse the bytes behind it.
type bodyReader struct {
	*bytes.Reader
	once sync.Once
	done chan struct{}
}

func newBodyReader(b []byte) *bodyReader {
	return &bodyReader{Reader: bytes.NewReader(b), done: make(chan struct{})}
}

func (b *bodyReader) Close() error {
	b.once.Do(func() { close(b.done) })
	return nil
}

// post sends body as one statement. With out != nil a 200 response is decoded
// into it; otherwise it is drained. The response body is always read to the
// end so the connection goes back to the pool.
func (c *zeptoClient) post(ctx context.Context, body []byte, out *zeptoResult) error {
	br := newBodyReader(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base, br)
	if err != nil {
		return err
	}
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := c.hc.Do(req)
	if err != nil {
		<-br.done
		return err
	}
	defer func() {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		<-br.done
	}()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return &zeptoError{Status: resp.StatusCode, Body: strings.TrimSpace(string(msg))}
	}
	if out == nil {
		return nil
	}
	dec := json.NewDecoder(resp.Body)
	dec.UseNumber()
	if err := dec.Decode(out); err != nil && !errors.Is(err, io.EOF) { // EOF: no result
		return fmt.Errorf("zeptodb: decoding response: %w", err)
	}
	return nil
}

// zeptoError is a non-200 answer from the server.
type zeptoError struct {
	Status int
	Body   string
}

func (e *zeptoError) Error() string {
	return fmt.Sprintf("zeptodb: HTTP %d: %s", e.Status, e.Body)
}

// query runs one statement and returns its decoded result.
func (c *zeptoClient) query(ctx context.Context, sql string) (*zeptoResult, error) {
	var res zeptoResult
	if err := c.post(ctx, []byte(sql), &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// exec runs one statement and ignores its result.
func (c *zeptoClient) exec(ctx context.Context, sql string) error {
	return c.post(ctx, []byte(sql), nil)
}

// appendInsert appends `INSERT INTO trades VALUES (...),(...)` for rows
// [lo, hi) to buf, without fmt or per-row allocation. Prices are whole cents,
// so two decimals print them exactly.
func appendInsert(buf []byte, t *Trades, lo, hi int) []byte {
	buf = append(buf, "INSERT INTO trades VALUES "...)
	for i := lo; i < hi; i++ {
		if i > lo {
			buf = append(buf, ',')
		}
		buf = append(buf, '(')
		buf = strconv.AppendInt(buf, t.TS[i], 10)
		buf = append(buf, ",'"...)
		buf = append(buf, SymbolNames[t.Sym[i]]...)
		buf = append(buf, "',"...)
		buf = strconv.AppendFloat(buf, t.Price[i], 'f', 2, 64)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, t.Volume[i], 10)
		buf = append(buf, ')')
	}
	return buf
}

// appendQuoteInsert appends `INSERT INTO quotes VALUES (...),(...)` for
// rows [lo, hi) of q to buf, like appendInsert.
func appendQuoteInsert(buf []byte, q *Quotes, lo, hi int) []byte {
	buf = append(buf, "INSERT INTO quotes VALUES "...)
	for i := lo; i < hi; i++ {
		if i > lo {
			buf = append(buf, ',')
		}
		buf = append(buf, '(')
		buf = strconv.AppendInt(buf, q.TS[i], 10)
		buf = append(buf, ",'"...)
		buf = append(buf, SymbolNames[q.Sym[i]]...)
		buf = append(buf, "',"...)
		buf = strconv.AppendFloat(buf, q.Bid[i], 'f', 2, 64)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, q.Ask[i], 'f', 2, 64)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, q.BidSize[i], 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, q.AskSize[i], 10)
		buf = append(buf, ')')
	}
	return buf
}

// createTrades recreates the trades table.
func (c *zeptoClient) createTrades(ctx context.Context) error {
	if err := c.exec(ctx, `DROP TABLE IF EXISTS trades`); err != nil {
		return err
	}
	return c.exec(ctx, `CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT)`)
}

// createQuotes recreates the quotes table.
func (c *zeptoClient) createQuotes(ctx context.Context) error {
	if err := c.exec(ctx, `DROP TABLE IF EXISTS quotes`); err != nil {
		return err
	}
	return c.exec(ctx, `CREATE TABLE quotes (ts TIMESTAMP, symbol SYMBOL, bid DOUBLE, ask DOUBLE, bid_size BIGINT, ask_size BIGINT)`)
}

// load inserts all of t in batches of batch rows over conns concurrent
// connections and returns the wall time from the first send to the last
// acknowledgement. Batches are handed out in order; the first error stops it.
func (c *zeptoClient) load(ctx context.Context, t *Trades, batch, conns int) (time.Duration, error) {
	return c.loadRows(ctx, t.Len(), batch, conns, 40, func(buf []byte, lo, hi int) []byte {
		return appendInsert(buf, t, lo, hi)
	})
}

// loadQuotes inserts all of q into quotes, as load does for trades.
func (c *zeptoClient) loadQuotes(ctx context.Context, q *Quotes, batch, conns int) (time.Duration, error) {
	return c.loadRows(ctx, q.Len(), batch, conns, 64, func(buf []byte, lo, hi int) []byte {
		return appendQuoteInsert(buf, q, lo, hi)
	})
}

// loadRows sends the INSERT statements that build makes for rows [lo, hi)
// of n rows, batch rows each, over conns connections (rowBytes sizes the
// buffers).
func (c *zeptoClient) loadRows(ctx context.Context, n, batch, conns, rowBytes int, build func(buf []byte, lo, hi int) []byte) (time.Duration, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range conns {
		wg.Go(func() {
			buf := make([]byte, 0, batch*rowBytes+64)
			for ctx.Err() == nil {
				lo := int(next.Add(int64(batch))) - batch
				if lo >= n {
					return
				}
				hi := min(lo+batch, n)
				buf = build(buf[:0], lo, hi)
				if err := c.post(ctx, buf, nil); err != nil {
					cancel(fmt.Errorf("insert rows [%d,%d): %w", lo, hi, err))
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := context.Cause(ctx); err != nil {
		return 0, err
	}
	return elapsed, nil
}

// zeptoServer is a server process started by the harness.
type zeptoServer struct {
	URL     string
	cmd     *exec.Cmd
	dataDir string
	logPath string
	exited  chan struct{}
	waitErr error
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startZeptoServer runs `bin serve --port P --data-dir TMP --wal-sync sync`
// and waits until GET /ready answers 200. Its output goes to a log file that
// is kept (its path is printed) so a failed run can be diagnosed.
func startZeptoServer(ctx context.Context, bin string, readyTimeout time.Duration) (*zeptoServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dataDir, err := os.MkdirTemp("", "zeptodb-bench-data-")
	if err != nil {
		return nil, err
	}
	logf, err := os.CreateTemp("", "zeptodb-bench-server-*.log")
	if err != nil {
		os.RemoveAll(dataDir)
		return nil, err
	}
	defer logf.Close() // the child holds its own descriptor
	s := &zeptoServer{
		URL:     fmt.Sprintf("http://127.0.0.1:%d", port),
		dataDir: dataDir,
		logPath: logf.Name(),
		exited:  make(chan struct{}),
	}
	// The result cache is off: every timed run must execute the query, as
	// DuckDB's does.
	s.cmd = exec.Command(bin, "serve", "--port", strconv.Itoa(port), "--data-dir", dataDir, "--ilp-port", "0",
		"--wal-sync", "sync", "--query-cache-size", "0")
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dataDir)
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	go func() { s.waitErr = s.cmd.Wait(); close(s.exited) }()

	hc := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil}}
	defer hc.CloseIdleConnections()
	deadline := time.Now().Add(readyTimeout)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/ready", nil)
		if resp, err := hc.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case <-s.exited:
			err := fmt.Errorf("%s exited before it was ready (%v); log: %s", bin, s.waitErr, s.logPath)
			os.RemoveAll(dataDir)
			return nil, err
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("%s not ready after %v; log: %s", bin, readyTimeout, s.logPath)
		}
	}
}

// stop ends the server (SIGTERM, then SIGKILL after 10 s) and removes its
// data directory.
func (s *zeptoServer) stop() {
	select {
	case <-s.exited:
	default:
		_ = s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	}
	os.RemoveAll(s.dataDir)
}

// zeptoEngine runs benchmark queries against a server.
type zeptoEngine struct{ c *zeptoClient }

func (z *zeptoEngine) name() string { return "ZeptoDB" }

// run times one query as a client sees it: the whole HTTP round trip,
// including decoding the JSON response. Normalising the cells is not timed.
func (z *zeptoEngine) run(ctx context.Context, q *Query) (time.Duration, [][]val, float64, error) {
	start := time.Now()
	res, err := z.c.query(ctx, q.Zepto)
	elapsed := time.Since(start)
	if err != nil {
		return 0, nil, 0, err
	}
	rows, err := normRows(res.Data, normJSON)
	if err != nil {
		return 0, nil, 0, fmt.Errorf("zeptodb result: %w", err)
	}
	return elapsed, rows, math.Round(res.Statistics.Elapsed*1e9) / 1e3, nil
}

// countRows returns count(*) of table.
func (z *zeptoEngine) countRows(ctx context.Context, table string) (int64, error) {
	res, err := z.c.query(ctx, `SELECT count(*) FROM `+table)
	if err != nil {
		return 0, err
	}
	rows, err := normRows(res.Data, normJSON)
	if err != nil {
		return 0, err
	}
	if len(rows) != 1 || len(rows[0]) != 1 || rows[0][0].k != kInt {
		return 0, errors.New("count(*) did not return one integer")
	}
	return rows[0][0].i, nil
}
