package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDifferentialDuckDB builds the real server, loads the same seeded data
// into it and into an in-process DuckDB, and checks that every query of
// diffQueries (diffqueries_test.go) gives the same answer on both. The
// queries of knownDiffs are ZeptoDB bugs that are not fixed yet: they are run
// and logged, and the test fails if one of them starts agreeing (move it to
// diffQueries then).
//
// DIFF_SEED=n overrides the data seed.
func TestDifferentialDuckDB(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the server")
	}
	seed := uint64(20261102)
	if s := os.Getenv("DIFF_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("DIFF_SEED: %v", err)
		}
		seed = n
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	dir := t.TempDir()
	bin := buildZeptoForDiff(t, dir)
	data := genDiffData(seed)
	duck, err := openDuck(ctx, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer duck.close()
	if err := data.loadDuck(ctx, duck); err != nil {
		t.Fatal(err)
	}
	queries, known := diffQueries(data), knownDiffs(data)
	names := map[string]bool{}
	for _, q := range append(slices.Clone(queries), known...) {
		if names[q.name] {
			t.Fatalf("duplicate query name %q", q.name)
		}
		names[q.name] = true
	}
	for _, q := range known {
		for _, c := range q.configs {
			if !slices.ContainsFunc(diffConfigs, func(dc diffConfig) bool { return dc.name == c }) {
				t.Fatalf("known diff %q: unknown config %q", q.name, c)
			}
		}
	}

	// Each configuration gets its own server, loaded with the same
	// statements; the DuckDB answer of a query is computed once.
	duckCache := map[string]*result{}
	duckRun := func(sql string) (*result, error) {
		if r, ok := duckCache[sql]; ok {
			return r, nil
		}
		qctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		r, err := duckQueryTyped(qctx, duck, sql)
		if err == nil {
			duckCache[sql] = r
		}
		return r, err
	}
	for ci, cfg := range diffConfigs {
		dataDir := filepath.Join(dir, fmt.Sprintf("data%d", ci))
		srv := startDiffServer(t, bin, dataDir, cfg.flags...)
		for _, s := range diffZeptoDDL {
			if _, err := srv.query(ctx, s); err != nil {
				t.Fatalf("[%s] %s: %v", cfg.name, s, err)
			}
		}
		for _, s := range data.zeptoInserts() {
			if _, err := srv.query(ctx, s); err != nil {
				t.Fatalf("[%s] seed %d: insert: %v\n%.300s", cfg.name, seed, err, s)
			}
		}
		if cfg.restart {
			srv.stop()
			srv = startDiffServer(t, bin, dataDir, cfg.flags...)
		}

		run := func(q diffQuery) (string, error) {
			d, derr := duckRun(q.duckSQL())
			if derr != nil {
				return "", fmt.Errorf("DuckDB failed (translation bug?): %v", derr)
			}
			qctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			z, zerr := srv.query(qctx, q.zepto)
			if zerr != nil {
				return fmt.Sprintf("ZeptoDB error: %v\n    DuckDB:  %s", zerr, fmtResult(d, 10)), nil
			}
			if testing.Verbose() && ci == 0 {
				t.Logf("%-34s %4d rows %v", q.name, len(d.rows), d.types)
			}
			return compareResults(z, d, q.ordered()), nil
		}
		report := func(q diffQuery, diff string) string {
			return fmt.Sprintf("[server: %s] seed %d, query %q\n  zeptodb: %s\n  duckdb:  %s\n  %s",
				cfg.name, seed, q.name, q.zepto, q.duckSQL(), diff)
		}
		for _, q := range queries {
			diff, err := run(q)
			switch {
			case err != nil:
				t.Errorf("%s", report(q, err.Error()))
			case diff != "":
				t.Errorf("MISMATCH %s", report(q, diff))
			}
		}
		for _, q := range known {
			diff, err := run(q)
			expected := len(q.configs) == 0 || slices.Contains(q.configs, cfg.name)
			switch {
			case err != nil:
				t.Errorf("%s", report(q, err.Error()))
			case diff != "" && expected:
				t.Logf("known ZeptoDB bug (%s) still present: %s", q.bug, report(q, diff))
			case diff != "":
				t.Errorf("MISMATCH (known diff, but not expected on this server) %s", report(q, diff))
			case expected:
				t.Errorf("known diff %q now agrees with DuckDB [server: %s, seed %d]: remove it from knownDiffs or narrow its configs; move it to diffQueries once fixed",
					q.name, cfg.name, seed)
			}
		}
		srv.stop()
	}
	t.Logf("seed %d: %d queries and %d known diffs compared on %d server configurations (%d DuckDB queries)",
		seed, len(queries), len(known), len(diffConfigs), len(duckCache))
}

// diffConfig is one way of running the server: extra serve flags, and
// whether the server is restarted (recovering from its WAL) after loading.
type diffConfig struct {
	name    string
	flags   []string
	restart bool
}

var diffConfigs = []diffConfig{
	{name: "default"},
	// Many small chunks per series and parallel scans of even tiny tables.
	{name: "small chunks, parallel", flags: []string{"--chunk-rows", "64", "--parallel-threshold", "1", "--worker-threads", "4"}},
	// The same after a restart: the data comes back from the WAL.
	{name: "small chunks, parallel, restarted", flags: []string{"--chunk-rows", "64", "--parallel-threshold", "1", "--worker-threads", "4"}, restart: true},
}

// diffQuery is one query in both dialects.
type diffQuery struct {
	name  string
	zepto string
	duck  string // "" = same text as zepto
	// knownDiffs only: what ZeptoDB gets wrong, and the names of the
	// diffConfigs on which it shows (none: all).
	bug     string
	configs []string
}

func (q diffQuery) duckSQL() string {
	if q.duck == "" {
		return q.zepto
	}
	return q.duck
}

// ordered reports whether row order is part of the answer.
func (q diffQuery) ordered() bool {
	return strings.Contains(strings.ToUpper(q.zepto), "ORDER BY")
}

// ---- the server ----

// buildZeptoForDiff builds ../cmd/zeptodb (the parent module, so the build
// runs there) into dir.
func buildZeptoForDiff(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "zeptodb")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/zeptodb")
	cmd.Dir = ".."
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/zeptodb: %v\n%s", err, out)
	}
	t.Logf("built zeptodb in %v", time.Since(start).Round(time.Millisecond))
	return bin
}

type diffServer struct {
	url  string
	hc   *http.Client
	stop func()
}

// startDiffServer runs `bin serve --port P --data-dir dataDir --wal-sync
// none [extra...]` with no ZEPTODB_* variables from the environment and waits
// for GET /ready. The server is stopped by stop (SIGTERM, then SIGKILL after
// 5 s) or, at the latest, when the test ends.
func startDiffServer(t *testing.T, bin, dataDir string, extra ...string) *diffServer {
	t.Helper()
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "ZEPTODB_") {
			env = append(env, e)
		}
	}
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil}}
	t.Cleanup(hc.CloseIdleConnections)
	for attempt := 0; ; attempt++ { // a few attempts: the free port can be taken meanwhile
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		logf, err := os.CreateTemp(filepath.Dir(dataDir), "server-*.log")
		if err != nil {
			t.Fatal(err)
		}
		args := append([]string{"serve", "--port", strconv.Itoa(port), "--data-dir", dataDir, "--wal-sync", "none", "--ilp-port", "0"}, extra...)
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			logf.Close()
			t.Fatal(err)
		}
		logf.Close()
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		stop := func() {
			select {
			case <-exited:
				return
			default:
			}
			cmd.Process.Signal(os.Interrupt)
			select {
			case <-exited:
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				<-exited
			}
		}
		t.Cleanup(stop)
		s := &diffServer{url: fmt.Sprintf("http://127.0.0.1:%d", port), hc: hc, stop: stop}
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			if resp, err := hc.Get(s.url + "/ready"); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return s
				}
			}
			select {
			case <-exited:
				deadline = time.Time{}
			case <-time.After(50 * time.Millisecond):
			}
		}
		stop()
		log, _ := os.ReadFile(logf.Name())
		if attempt == 2 {
			t.Fatalf("%s %s did not become ready; log:\n%s", bin, strings.Join(args, " "), log)
		}
		t.Logf("zeptodb did not become ready, retrying; log:\n%s", log)
	}
}

// result is a decoded answer of either engine: a type class per column and
// the rows.
type result struct {
	types []string // engine's type names
	class []kindD
	rows  [][]cell
}

type kindD uint8

const (
	dNull kindD = iota
	dNum        // int or float cell; as a column class: see dInt/dFloat
	dBool
	dStr
	dInt   // column class only
	dFloat // column class only
)

func (k kindD) String() string {
	return [...]string{"null", "number", "bool", "string", "integer", "float"}[k]
}

// cell is one value. Numbers keep whether they were integers (compared
// exactly) or floats (compared with a tolerance).
type cell struct {
	k     kindD
	isInt bool
	i     int64
	f     float64
	b     bool
	s     string
}

func (c cell) num() float64 {
	if c.isInt {
		return float64(c.i)
	}
	return c.f
}

func (c cell) String() string {
	switch c.k {
	case dNum:
		if c.isInt {
			return strconv.FormatInt(c.i, 10)
		}
		s := strconv.FormatFloat(c.f, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEnN") {
			s += ".0"
		}
		return s
	case dBool:
		return strconv.FormatBool(c.b)
	case dStr:
		return strconv.Quote(c.s)
	}
	return "NULL"
}

func (s *diffServer) query(ctx context.Context, sql string) (*result, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/?default_format=JSONCompact&output_format_json_quote_64bit_integers=0", strings.NewReader(sql))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		if code := resp.Header.Get("X-ZeptoDB-Error-Code"); code != "" {
			return nil, fmt.Errorf("HTTP %d %s: %s", resp.StatusCode, code, bytes.TrimSpace(body))
		}
		return nil, fmt.Errorf("HTTP %d: %.300s", resp.StatusCode, body)
	}
	var raw struct {
		Meta    []struct{ Name, Type string }
		Columns []string
		Types   []string
		Data    [][]any
		Rows    int
	}
	if len(body) == 0 {
		return &result{}, nil // a statement without a result
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("decoding %.300s: %w", body, err)
	}
	for _, m := range raw.Meta {
		raw.Columns, raw.Types = append(raw.Columns, m.Name), append(raw.Types, m.Type)
	}
	if raw.Rows != len(raw.Data) || len(raw.Types) != len(raw.Columns) {
		return nil, fmt.Errorf("inconsistent response: rows=%d, %d data rows, %d columns, %d types",
			raw.Rows, len(raw.Data), len(raw.Columns), len(raw.Types))
	}
	r := &result{types: raw.Types}
	for _, ty := range raw.Types {
		switch ty {
		case "Int64", "Int32", "DateTime64(9, 'UTC')":
			r.class = append(r.class, dInt)
		case "Float64", "Float32":
			r.class = append(r.class, dFloat)
		case "Bool":
			r.class = append(r.class, dBool)
		case "LowCardinality(String)", "String":
			r.class = append(r.class, dStr)
		default:
			return nil, fmt.Errorf("unknown ZeptoDB type %q", ty)
		}
	}
	for _, row := range raw.Data {
		if len(row) != len(raw.Columns) {
			return nil, fmt.Errorf("row with %d cells, %d columns", len(row), len(raw.Columns))
		}
		out := make([]cell, len(row))
		for i, x := range row {
			switch v := x.(type) {
			case nil:
			case json.Number:
				if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
					out[i] = cell{k: dNum, isInt: true, i: n}
				} else if f, err := strconv.ParseFloat(string(v), 64); err == nil {
					out[i] = cell{k: dNum, f: f}
				} else {
					return nil, fmt.Errorf("bad number %q", v)
				}
			case bool:
				out[i] = cell{k: dBool, b: v}
			case string:
				out[i] = cell{k: dStr, s: v}
				if raw.Types[i] == "DateTime64(9, 'UTC')" { // nanoseconds, as DuckDB's side has them
					ts, err := time.Parse("2006-01-02 15:04:05.999999999", v)
					if err != nil {
						return nil, fmt.Errorf("bad timestamp %q: %w", v, err)
					}
					out[i] = cell{k: dNum, isInt: true, i: ts.UnixNano()}
				}
			default:
				return nil, fmt.Errorf("unexpected JSON cell %T", x)
			}
			if out[i].k == dNum && r.class[i] == dFloat {
				out[i] = cell{k: dNum, f: out[i].num()} // 3 in a FLOAT64 column is 3.0
			}
		}
		r.rows = append(r.rows, out)
	}
	return r, nil
}

// duckQueryTyped runs sql on DuckDB and returns its rows and column types.
func duckQueryTyped(ctx context.Context, d *duckDB, sql string) (*result, error) {
	rows, err := d.conn.QueryContext(ctx, sql)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	r := &result{}
	for _, ct := range cts {
		ty := ct.DatabaseTypeName()
		r.types = append(r.types, ty)
		switch {
		case slices.Contains([]string{"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
			"UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"}, ty):
			r.class = append(r.class, dInt)
		case ty == "DOUBLE" || ty == "FLOAT":
			r.class = append(r.class, dFloat)
		case ty == "BOOLEAN":
			r.class = append(r.class, dBool)
		case ty == "VARCHAR":
			r.class = append(r.class, dStr)
		default:
			return nil, fmt.Errorf("DuckDB column type %s not handled by the test", ty)
		}
	}
	ptrs := make([]any, len(cts))
	for rows.Next() {
		raw := make([]any, len(cts))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out := make([]cell, len(raw))
		for i, x := range raw {
			switch v := x.(type) {
			case nil:
			case int64:
				out[i] = cell{k: dNum, isInt: true, i: v}
			case int32:
				out[i] = cell{k: dNum, isInt: true, i: int64(v)}
			case int16:
				out[i] = cell{k: dNum, isInt: true, i: int64(v)}
			case int8:
				out[i] = cell{k: dNum, isInt: true, i: int64(v)}
			case uint64, uint32, uint16, uint8:
				n, _ := strconv.ParseInt(fmt.Sprint(v), 10, 64)
				out[i] = cell{k: dNum, isInt: true, i: n}
			case *big.Int:
				if !v.IsInt64() {
					return nil, fmt.Errorf("HUGEINT %v out of int64 range", v)
				}
				out[i] = cell{k: dNum, isInt: true, i: v.Int64()}
			case float64:
				out[i] = cell{k: dNum, f: v}
			case float32:
				out[i] = cell{k: dNum, f: float64(v)}
			case bool:
				out[i] = cell{k: dBool, b: v}
			case string:
				out[i] = cell{k: dStr, s: v}
			default:
				return nil, fmt.Errorf("unexpected DuckDB cell %T %v", x, x)
			}
		}
		r.rows = append(r.rows, out)
	}
	return r, rows.Err()
}

// ---- comparison ----

// sameCell: integers exactly, anything with a float within 1e-9 relative or
// 1e-12 absolute, NULL only with NULL.
func sameCell(a, b cell) bool {
	if a.k != b.k {
		return false
	}
	switch a.k {
	case dNum:
		if a.isInt && b.isInt {
			return a.i == b.i
		}
		x, y := a.num(), b.num()
		if x == y || math.IsNaN(x) && math.IsNaN(y) {
			return true
		}
		if math.IsInf(x, 0) || math.IsInf(y, 0) || math.IsNaN(x) || math.IsNaN(y) {
			return false
		}
		d := math.Abs(x - y)
		return d <= 1e-12 || d <= 1e-9*math.Max(math.Abs(x), math.Abs(y))
	case dBool:
		return a.b == b.b
	case dStr:
		return a.s == b.s
	}
	return true
}

// cellOrder is a total order for sorting the rows of unordered results.
func cellOrder(a, b cell) int {
	if a.k != b.k {
		return cmp.Compare(a.k, b.k)
	}
	switch a.k {
	case dNum:
		if a.isInt && b.isInt {
			return cmp.Compare(a.i, b.i)
		}
		return cmp.Compare(a.num(), b.num())
	case dBool:
		return cmp.Compare(fmt.Sprint(a.b), fmt.Sprint(b.b))
	case dStr:
		return strings.Compare(a.s, b.s)
	}
	return 0
}

func sortRows(rows [][]cell) [][]cell {
	s := slices.Clone(rows)
	slices.SortStableFunc(s, func(a, b []cell) int {
		for i := 0; i < len(a) && i < len(b); i++ {
			if c := cellOrder(a[i], b[i]); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(a), len(b))
	})
	return s
}

func fmtCells(r []cell) string {
	parts := make([]string, len(r))
	for i, c := range r {
		parts[i] = c.String()
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// fmtResult shows the types, the row count and the first n rows.
func fmtResult(r *result, n int) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d rows %v", len(r.rows), r.types)
	for i, row := range r.rows {
		if i == n {
			fmt.Fprintf(&sb, "\n      ... %d more", len(r.rows)-n)
			break
		}
		sb.WriteString("\n      " + fmtCells(row))
	}
	return sb.String()
}

// compareResults returns "" if z and d agree, else a description of the
// difference with both results.
func compareResults(z, d *result, ordered bool) string {
	if !ordered {
		z = &result{types: z.types, class: z.class, rows: sortRows(z.rows)}
		d = &result{types: d.types, class: d.class, rows: sortRows(d.rows)}
	}
	what := ""
	switch {
	case len(z.class) != len(d.class):
		what = fmt.Sprintf("column count: ZeptoDB %d, DuckDB %d", len(z.class), len(d.class))
	case len(z.rows) != len(d.rows):
		what = fmt.Sprintf("row count: ZeptoDB %d, DuckDB %d", len(z.rows), len(d.rows))
	}
	if what == "" {
		for c := range z.class {
			if z.class[c] != d.class[c] {
				what = fmt.Sprintf("column %d type: ZeptoDB %s (%s), DuckDB %s (%s)", c, z.types[c], z.class[c], d.types[c], d.class[c])
				break
			}
		}
	}
	if what == "" {
	rows:
		for r := range z.rows {
			for c := range z.rows[r] {
				if !sameCell(z.rows[r][c], d.rows[r][c]) {
					sorted := ""
					if !ordered {
						sorted = "sorted "
					}
					what = fmt.Sprintf("%srow %d column %d: ZeptoDB %s, DuckDB %s\n    ZeptoDB row: %s\n    DuckDB row:  %s",
						sorted, r, c, z.rows[r][c], d.rows[r][c], fmtCells(z.rows[r]), fmtCells(d.rows[r]))
					break rows
				}
			}
		}
	}
	if what == "" {
		return ""
	}
	return fmt.Sprintf("%s\n    ZeptoDB: %s\n    DuckDB:  %s", what, fmtResult(z, 10), fmtResult(d, 10))
}
