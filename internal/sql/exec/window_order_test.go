package exec

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// TestWindowOrderFast checks the run-merging window order against the
// general sort: a second ORDER BY key equal to the first keeps the
// meaning but takes the general path. Rows come in shuffled batches with
// equal timestamps, over several time partitions and chunks.
func TestWindowOrderFast(t *testing.T) {
	_, _, run := testExecutor(t, 16, Options{Workers: 2, ParallelThreshold: 1})
	run("CREATE TABLE w (ts TIMESTAMP, sym SYMBOL, g BIGINT, px DOUBLE) PARTITION BY HOUR")
	rng := rand.New(rand.NewSource(3))
	ts := int64(0)
	for batch := 0; batch < 12; batch++ {
		var rows []string
		for i := 0; i < 50; i++ {
			ts += int64(rng.Intn(2)) * 400_000_000_000 / 300 // ties, and about 2 hours in all
			px := fmt.Sprint(rng.Intn(100))
			if rng.Intn(10) == 0 {
				px = "NULL"
			}
			rows = append(rows, fmt.Sprintf("(%d, '%c', %d, %s)", ts, 'A'+rune(rng.Intn(3)), rng.Intn(3), px))
		}
		if batch%3 != 0 {
			rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		}
		run("INSERT INTO w VALUES " + strings.Join(rows, ", "))
	}
	var rows []string // and one insert far out of order: the general sort
	for i := 0; i < 400; i++ {
		rows = append(rows, fmt.Sprintf("(%d, '%c', %d, %d)", rng.Int63n(ts), 'A'+rune(rng.Intn(3)), rng.Intn(3), rng.Intn(100)))
	}
	run("INSERT INTO w VALUES " + strings.Join(rows, ", "))
	calls := []string{
		"avg(px) OVER (PARTITION BY sym ORDER BY ts ROWS 3 PRECEDING)",
		"sum(px) OVER (PARTITION BY sym ORDER BY ts)",
		"count(*) OVER (PARTITION BY g ORDER BY ts ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)",
		"ema(px, 5) OVER (PARTITION BY sym ORDER BY ts)",
		"lag(px) OVER (PARTITION BY sym ORDER BY ts)",
		"row_number() OVER (PARTITION BY g ORDER BY ts)",
		"max(px) OVER (ORDER BY ts ROWS 4 PRECEDING)",
		"first_value(px) OVER (PARTITION BY sym ORDER BY ts)",
		"rank() OVER (PARTITION BY sym ORDER BY ts)",
	}
	for _, c := range calls {
		general := strings.Replace(c, "ORDER BY ts", "ORDER BY ts, ts", 1)
		q := "SELECT count(*), sum(a), sum(b), count(a), sum(CASE WHEN a = b OR a IS NULL AND b IS NULL THEN 1 ELSE 0 END) FROM (SELECT " +
			c + " AS a, " + general + " AS b FROM w) AS x"
		got := resultText(run(q))
		f := strings.Split(got, "\t")
		if f[0] != f[4] {
			t.Errorf("%s: %s rows, %s equal to the general path's (%s)", c, f[0], f[4], got)
		}
	}
}
