package exec

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// TestTopKMatchesFullSort checks the zone-map top-k path (ORDER BY the
// designated timestamp with LIMIT) against the general sort, which an
// expression key (ts + 0) forces, on data with duplicate and
// out-of-order timestamps spread over many small chunks.
func TestTopKMatchesFullSort(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	_, _, mustRun := testExecutor(t, 1024, Options{})
	mustRun("CREATE TABLE t (ts TIMESTAMP, s SYMBOL, v BIGINT)")
	id := 0
	for batch := 0; batch < 20; batch++ {
		var rows []string
		base := int64(batch * 1000)
		for i := 0; i < 500; i++ {
			ts := base + int64(i)
			if rng.Intn(5) == 0 {
				ts = int64(rng.Intn(20000)) // out of order
			}
			if rng.Intn(4) == 0 {
				ts -= ts % 10 // duplicates
			}
			rows = append(rows, fmt.Sprintf("(%d, 'S%d', %d)", ts, rng.Intn(3), id))
			id++
		}
		mustRun("INSERT INTO t VALUES " + strings.Join(rows, ","))
	}
	for i := 0; i < 60; i++ {
		dir := []string{"ASC", "DESC"}[rng.Intn(2)]
		where := []string{"", "WHERE s = 'S1'", "WHERE v % 3 = 0", "WHERE s IN ('S0', 'S2') AND v > 100"}[rng.Intn(4)]
		limit, offset := rng.Intn(300), rng.Intn(50)
		fast := fmt.Sprintf("SELECT ts, s, v FROM t %s ORDER BY ts %s LIMIT %d OFFSET %d", where, dir, limit, offset)
		slow := fmt.Sprintf("SELECT ts, s, v FROM t %s ORDER BY ts + 0 %s LIMIT %d OFFSET %d", where, dir, limit, offset)
		got, want := renderRows(mustRun(fast)), renderRows(mustRun(slow))
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s\ngot %d rows, want %d\nfirst got %v\nfirst want %v", fast, len(got), len(want), head(got), head(want))
		}
	}
}

func head(rows []string) []string {
	if len(rows) > 5 {
		return rows[:5]
	}
	return rows
}
