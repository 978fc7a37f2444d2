package exec

import (
	"strings"
	"testing"
)

func TestExplain(t *testing.T) {
	_, _, run := testExecutor(t, 1024, Options{Workers: 1})
	run("CREATE TABLE e (ts TIMESTAMP, s SYMBOL, p DOUBLE) PARTITION BY HOUR")
	run("INSERT INTO e VALUES (1, 'A', 1.0), (2, 'B', 2.0), (3600000000000, 'A', 3.0), (7200000000001, 'C', 4.0)")
	run("CREATE TABLE f (ts TIMESTAMP, s SYMBOL, q BIGINT)")
	cases := []struct {
		sql  string
		want []string
	}{
		{"EXPLAIN SELECT count(*) FROM e", []string{
			"scan e: 3 of 3 partitions, 4 of 4 chunks, 4 rows", "  serial", "aggregate: count(*) from chunk sizes"}},
		{"EXPLAIN SELECT s, avg(p) FROM e WHERE s = 'A' AND ts < 3600000000000 GROUP BY s", []string{
			"scan e: 1 of 3 partitions, 1 of 4 chunks, 1 rows",
			"  symbol index: 1 symbol(s) of s",
			"  time range: [unbounded, 1970-01-01 00:59:59.999999999] on ts (partitions and zone maps)",
			"  filter: vectorized predicates over each chunk",
			"aggregate: 1 key(s), 1 aggregate(s), hash groups with run detection"}},
		{"EXPLAIN SELECT count(*) FROM e WHERE ts < 3600000000000 + INTERVAL 1 NANOSECOND - 1", []string{
			"scan e: 1 of 3 partitions", "  time range: [unbounded, 1970-01-01 00:59:59.999999999]"}},
		{"EXPLAIN SELECT * FROM e WHERE s = 'A' ORDER BY ts DESC LIMIT 1", []string{
			"scan e: 2 of 3 partitions, 2 of 4 chunks, 2 rows",
			"top-k: 1 rows by the designated timestamp, chunks and blocks visited best first", "limit: 1 offset 0"}},
		{"EXPLAIN SELECT s, last(p) FROM e GROUP BY s", []string{"aggregate: last() per symbol, newest data first"}},
		{"EXPLAIN SELECT * FROM e LATEST ON ts PARTITION BY s", []string{"latest on: newest row per key, newest chunks and blocks first per symbol"}},
		{"EXPLAIN SELECT e.ts FROM e JOIN f ON e.s = f.s WHERE f.q > 2 AND e.p < 3 AND e.p < f.q", []string{
			"INNER join f: hash on keys e.s = f.s, hash table built once on f",
			"  right filter pushed into the build scan: f.q > 2",
			"  left filter pushed below the join: e.p < 3",
			"  filter: vectorized predicates over each chunk"}},
		{"EXPLAIN SELECT e.ts FROM e LEFT JOIN f ON e.s = f.s WHERE f.q > 2 AND e.p < 3", []string{
			"LEFT join f: hash on keys e.s = f.s", "  left filter pushed below the join: e.p < 3", "  filter: vectorized"}},
		{"EXPLAIN SELECT e.ts FROM e FULL JOIN f USING (s)", []string{"  unmatched right rows emitted with NULLs on the left"}},
		{"EXPLAIN SELECT e.ts FROM e CROSS JOIN f", []string{"CROSS join f: hash on no key (every pair)"}},
		{"EXPLAIN SELECT e.ts FROM e ASOF JOIN f ON e.s = f.s AND e.ts >= f.ts", []string{"asof join f: keys e.s = f.s"}},
		{"EXPLAIN ANALYZE SELECT count(*) FROM e WHERE p > 1", []string{"analyze: 1 rows out in ", "analyze: plan ",
			"analyze: scan 4 chunks, 4 rows read, 3 rows passed", "analyze: aggregate (scan included): 1 rows out", "analyze: finish (having, sort, limit): 1 rows out"}},
		{"EXPLAIN ANALYZE SELECT * FROM e WHERE s = 'A' ORDER BY ts DESC LIMIT 1", []string{"analyze: top-k + finish (scan included): 1 rows out"}},
		{"EXPLAIN ANALYZE SELECT ts, sum(p) OVER (ORDER BY ts) FROM e", []string{"analyze: scan 4 chunks, 4 rows read, 4 rows passed", "analyze: window + finish (scan included): 4 rows out"}},
	}
	for _, c := range cases {
		got := strings.Join(renderRows(run(c.sql)), "\n")
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s:\n%s\nmissing %q", c.sql, got, w)
			}
		}
	}
}
