package exec

import (
	"fmt"
	"strings"
	"testing"
)

func TestSampleIsDeterministicAndPartitionsTheRows(t *testing.T) {
	x, _, mustRun := testExecutor(t, 1024, Options{Workers: 3, ParallelThreshold: 1})
	_ = x
	mustRun("CREATE TABLE s (ts TIMESTAMP, sym SYMBOL, v BIGINT) PARTITION BY HOUR")
	const n = 20000
	for b := 0; b < n; b += 1000 {
		var sb strings.Builder
		sb.WriteString("INSERT INTO s VALUES ")
		for i := b; i < b+1000; i++ {
			if i > b {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, "(%d, 'S%d', %d)", int64(i)*1e9, i%7, i)
		}
		mustRun(sb.String())
	}
	countSum := func(sql string) (int64, int64) {
		res := mustRun(sql)
		return res.Columns[0].Data.Int64[0], res.Columns[1].Data.Int64[0]
	}
	total, totalSum := countSum("SELECT count(*), sum(v) FROM s")
	c1, s1 := countSum("SELECT count(*), sum(v) FROM s SAMPLE 1/2")
	c2, s2 := countSum("SELECT count(*), sum(v) FROM s SAMPLE 1/2 OFFSET 1/2")
	if c1+c2 != total || s1+s2 != totalSum {
		t.Fatalf("halves %d+%d rows, sums %d+%d; table %d rows, sum %d", c1, c2, s1, s2, total, totalSum)
	}
	if again, againSum := countSum("SELECT count(*), sum(v) FROM s SAMPLE 1/2"); again != c1 || againSum != s1 {
		t.Fatalf("SAMPLE 1/2 changed between runs: %d/%d then %d/%d", c1, s1, again, againSum)
	}
	tests := []struct {
		sql    string
		lo, hi int64
	}{
		{"SELECT count(*), sum(v) FROM s SAMPLE 0.1", 1700, 2300},
		{"SELECT count(*), sum(v) FROM s SAMPLE 500", 350, 650},
		{"SELECT count(*), sum(v) FROM s SAMPLE 1", n, n},
		{"SELECT count(*), sum(v) FROM s SAMPLE 0.5 WHERE sym = 'S3'", 1200, 1650},
		{"SELECT count(*), sum(v) FROM s SAMPLE 0.25 OFFSET 0.9", 1700, 2300},
	}
	for _, tt := range tests {
		if c, _ := countSum(tt.sql); c < tt.lo || c > tt.hi {
			t.Errorf("%s: %d rows, want %d..%d", tt.sql, c, tt.lo, tt.hi)
		}
	}
	// The sample of a symbol is the symbol's rows of the whole sample.
	cs, ss := countSum("SELECT count(*), sum(v) FROM s SAMPLE 0.5 WHERE sym = 'S3'")
	res := mustRun("SELECT sym, count(*), sum(v) FROM s SAMPLE 0.5 GROUP BY sym ORDER BY sym")
	if got := res.Columns[1].Data.Int64[3]; got != cs || res.Columns[2].Data.Int64[3] != ss {
		t.Fatalf("S3 in the grouped sample: %d rows, alone: %d", got, cs)
	}
}

func TestSampleRejectsBadFractions(t *testing.T) {
	x, _, mustRun := testExecutor(t, 1024, Options{})
	mustRun("CREATE TABLE s (ts TIMESTAMP, v BIGINT)")
	for _, sql := range []string{
		"SELECT count(*) FROM s SAMPLE 0",
		"SELECT count(*) FROM s SAMPLE 1/0",
		"SELECT count(*) FROM s SAMPLE 0.5 OFFSET 2",
	} {
		if _, err := run(x, sql); err == nil || !strings.Contains(err.Error(), "SAMPLE") {
			t.Errorf("%s: %v", sql, err)
		}
	}
}
