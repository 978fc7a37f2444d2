package exec

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// TestLatestMatchesFullScan checks the newest-first path for
// "last() ... GROUP BY symbol" against the full aggregation (which an
// extra count(*) forces), on data with out-of-order and duplicate
// timestamps, NULLs, filters, several partitions and many small chunks.
func TestLatestMatchesFullScan(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	_, _, mustRun := testExecutor(t, 2048, Options{})
	mustRun("CREATE TABLE t (ts TIMESTAMP, s SYMBOL, v BIGINT, w DOUBLE) PARTITION BY HOUR")
	const hour = int64(3600e9)
	id := 0
	for batch := 0; batch < 30; batch++ {
		var rows []string
		for i := 0; i < 400; i++ {
			ts := int64(batch)*hour/10 + int64(i)*1000
			switch rng.Intn(6) {
			case 0:
				ts = rng.Int63n(4 * hour) // out of order, any partition
			case 1:
				ts -= ts % 50000 // duplicates
			}
			w := fmt.Sprint(rng.Intn(100))
			if rng.Intn(7) == 0 {
				w = "NULL"
			}
			sym := fmt.Sprintf("'S%d'", rng.Intn(5))
			if rng.Intn(40) == 0 {
				sym = "NULL"
			}
			rows = append(rows, fmt.Sprintf("(%d, %s, %d, %s)", ts, sym, id, w))
			id++
		}
		mustRun("INSERT INTO t VALUES " + strings.Join(rows, ","))
	}
	// Ties at the newest timestamp, within a batch and across batches:
	// the later-stored row must win, as in the full scan.
	for batch := 0; batch < 3; batch++ {
		var rows []string
		for i := 0; i < 10; i++ {
			rows = append(rows, fmt.Sprintf("(%d, 'S%d', %d, %d)", 5*hour, i%5, id, i))
			id++
		}
		mustRun("INSERT INTO t VALUES " + strings.Join(rows, ","))
	}
	for _, where := range []string{"", "WHERE v % 3 = 0", "WHERE w > 50", "WHERE s IN ('S1', 'S3')", "WHERE ts < 7200000000000"} {
		fast := fmt.Sprintf("SELECT s, last(v), last(w), last(ts) FROM t %s GROUP BY s ORDER BY s", where)
		slow := fmt.Sprintf("SELECT s, last(v), last(w), last(ts), count(*) FROM t %s GROUP BY s ORDER BY s", where)
		got := renderRows(mustRun(fast))
		want := renderRows(mustRun(slow))
		for i := range want {
			want[i] = want[i][:strings.LastIndexByte(want[i], '\t')] // drop count(*)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s\ngot:\n%s\nwant:\n%s", fast, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
