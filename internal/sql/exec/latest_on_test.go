package exec

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// TestLatestOnNewestRowPerKey runs the LATEST ON executor (keyed by the
// designated symbol, and by a non-symbol column) against the newest row
// per key computed in Go, ties going to the last inserted row.
func TestLatestOnNewestRowPerKey(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	x, eng, mustRun := testExecutor(t, 2048, Options{})
	ctx := context.Background()
	mustRun("CREATE TABLE t (ts TIMESTAMP, s SYMBOL, k BIGINT, v BIGINT) PARTITION BY HOUR")
	type row struct {
		ts, k, v int64
		s        string
	}
	var all []row
	for batch := 0; batch < 20; batch++ {
		var vals []string
		for i := 0; i < 500; i++ {
			r := row{ts: rng.Int63n(3 * 3600e9), s: fmt.Sprintf("S%d", rng.Intn(6)), k: rng.Int63n(4), v: int64(len(all))}
			if rng.Intn(3) == 0 {
				r.ts -= r.ts % 1e9 // ties
			}
			all = append(all, r)
			vals = append(vals, fmt.Sprintf("(%d, '%s', %d, %d)", r.ts, r.s, r.k, r.v))
		}
		mustRun("INSERT INTO t VALUES " + strings.Join(vals, ","))
	}
	tbl, _ := eng.Table("t")
	for _, c := range []struct {
		where string
		keep  func(row) bool
	}{{"", func(row) bool { return true }}, {"WHERE v % 2 = 0", func(r row) bool { return r.v%2 == 0 }}} {
		for _, keyCol := range []string{"s", "k"} {
			stmt, err := parser.Parse("SELECT v FROM t " + c.where + " ORDER BY v")
			if err != nil {
				t.Fatal(err)
			}
			p, err := x.planSelect(ctx, stmt.(*parser.Select), nil)
			if err != nil {
				t.Fatal(err)
			}
			idx := tbl.Schema.ColumnIndex(keyCol)
			p.latestOn = &latestOnPlan{keys: []expr{&colRef{idx: idx, t: execType(tbl.Schema.Columns[idx].Type)}}, bySymbol: keyCol == "s"}
			snap := tbl.Snapshot()
			res, err := x.runLatestOn(ctx, p, p.prune.units(snap, tbl.Schema))
			snap.Release()
			if err != nil {
				t.Fatal(err)
			}
			newest := map[string]row{}
			for _, r := range all {
				if !c.keep(r) {
					continue
				}
				key := r.s
				if keyCol == "k" {
					key = fmt.Sprint(r.k)
				}
				if cur, ok := newest[key]; !ok || r.ts >= cur.ts {
					newest[key] = r
				}
			}
			var want []string
			for _, r := range newest {
				want = append(want, fmt.Sprint(r.v))
			}
			sort.Slice(want, func(i, j int) bool {
				return len(want[i]) < len(want[j]) || (len(want[i]) == len(want[j]) && want[i] < want[j])
			})
			if got := renderRows(res); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("LATEST ON %s %s: got %v want %v", keyCol, c.where, got, want)
			}
		}
	}
}
