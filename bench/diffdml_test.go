package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDifferentialMutations runs the same UPDATE, DELETE and ALTER TABLE
// statements on ZeptoDB and DuckDB over the differential data set and
// compares the rows each statement reports and the whole table after
// every step, and once more after a restart that rebuilds ZeptoDB from
// its WAL.
func TestDifferentialMutations(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	m := newMutationPair(ctx, t, 20261125)
	data, srv, duck := m.data, m.srv, m.duck
	cut := data.nthTS(len(data.t) / 3)
	steps := []diffQuery{
		{name: "update one symbol", zepto: "UPDATE t SET price = price * 2 WHERE symbol = 'S1' AND volume > 500"},
		{name: "delete by LIKE", zepto: "DELETE FROM t WHERE note LIKE 'buy%'"},
		{name: "update to NULL and upper", zepto: "UPDATE t SET qty = NULL, note = upper(note) WHERE flag"},
		{name: "delete old NULL prices", zepto: fmt.Sprintf("DELETE FROM t WHERE ts < %d AND price IS NULL", cut)},
		{name: "update by scalar subquery", zepto: "UPDATE t SET volume = volume + 1 WHERE price > (SELECT avg(price) FROM t)"},
		{name: "delete by IN subquery", zepto: "DELETE FROM t WHERE symbol IN (SELECT symbol FROM t GROUP BY symbol HAVING count(*) < 300)"},
		{name: "update CASE", zepto: "UPDATE t SET qty = CASE WHEN qty > 50 THEN qty - 50 ELSE qty END, flag = NOT flag WHERE symbol <> 'S5'"},
		{name: "add column", zepto: "ALTER TABLE t ADD COLUMN extra DOUBLE"},
		{name: "fill new column", zepto: "UPDATE t SET extra = price / 2 WHERE qty > 10"},
		{name: "drop column", zepto: "ALTER TABLE t DROP COLUMN note"},
		{name: "rename column", zepto: "ALTER TABLE t RENAME COLUMN volume TO vol"},
		{name: "delete on renamed", zepto: "DELETE FROM t WHERE vol % 5 = 0"},
		{name: "update everything", zepto: "UPDATE t SET extra = coalesce(extra, 0) + 1"},
	}
	whole := diffQuery{name: "whole table", zepto: "SELECT * FROM t"}
	compare := func(step string) {
		t.Helper()
		z, err := srv.query(ctx, whole.zepto)
		if err != nil {
			t.Fatalf("after %s: %v", step, err)
		}
		d, err := duckQueryTyped(ctx, duck, whole.zepto)
		if err != nil {
			t.Fatalf("after %s: DuckDB: %v", step, err)
		}
		if diff := compareResults(z, d, false); diff != "" {
			t.Fatalf("after %s: tables differ: %s", step, diff)
		}
	}
	for _, s := range steps {
		zn, err := srv.written(ctx, s.zepto)
		if err != nil {
			t.Fatalf("%s: ZeptoDB: %v", s.name, err)
		}
		res, err := duck.conn.ExecContext(ctx, s.duckSQL())
		if err != nil {
			t.Fatalf("%s: DuckDB: %v", s.name, err)
		}
		dn, _ := res.RowsAffected()
		if !strings.HasPrefix(s.zepto, "ALTER") && zn != dn {
			t.Errorf("%s: ZeptoDB touched %d rows, DuckDB %d", s.name, zn, dn)
		}
		compare(s.name)
		t.Logf("%-26s %5d rows", s.name, zn)
	}
	srv = m.restart()
	compare("restart")
	t.Logf("%d mutations agree with DuckDB, before and after a restart", len(steps))
}

// written runs a statement and returns the rows it reports written
// (X-ClickHouse-Summary's written_rows).
func (s *diffServer) written(ctx context.Context, sql string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/", strings.NewReader(sql))
	if err != nil {
		return 0, err
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("HTTP %d: %.300s", resp.StatusCode, body)
	}
	var r struct {
		Written int64 `json:"written_rows,string"`
	}
	if err := json.Unmarshal([]byte(resp.Header.Get("X-ClickHouse-Summary")), &r); err != nil {
		return 0, fmt.Errorf("X-ClickHouse-Summary %q: %w", resp.Header.Get("X-ClickHouse-Summary"), err)
	}
	return r.Written, nil
}

// mutationPair is the differential data loaded into DuckDB and into a
// server with small chunks and parallel scans, for mutation tests.
type mutationPair struct {
	t            *testing.T
	data         *diffData
	srv          *diffServer
	duck         *duckDB
	bin, dataDir string
	flags        []string
}

func newMutationPair(ctx context.Context, t *testing.T, seed uint64) *mutationPair {
	t.Helper()
	dir := t.TempDir()
	m := &mutationPair{t: t, bin: buildZeptoForDiff(t, dir), data: genDiffData(seed), dataDir: filepath.Join(dir, "data"),
		flags: []string{"--chunk-rows", "64", "--parallel-threshold", "1", "--worker-threads", "3"}}
	duck, err := openDuck(ctx, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(duck.close)
	if err := m.data.loadDuck(ctx, duck); err != nil {
		t.Fatal(err)
	}
	m.duck = duck
	m.srv = startDiffServer(t, m.bin, m.dataDir, m.flags...)
	for _, s := range append(append([]string{}, diffZeptoDDL...), m.data.zeptoInserts()...) {
		if _, err := m.srv.query(ctx, s); err != nil {
			t.Fatalf("load: %v", err)
		}
	}
	return m
}

// restart stops the server and starts it again on its data directory.
func (m *mutationPair) restart() *diffServer {
	m.srv.stop()
	m.srv = startDiffServer(m.t, m.bin, m.dataDir, m.flags...)
	return m.srv
}
