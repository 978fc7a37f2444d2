package exec

import (
	"fmt"
	"strings"
	"testing"
)

// TestJoinSplitsBigProducts checks that joins whose output is much larger
// than a chunk (a CROSS join, a many-to-many key) give the same answers
// serially and in parallel, with left chunks split into pieces.
func TestJoinSplitsBigProducts(t *testing.T) {
	for _, opts := range []Options{{Workers: 1}, {Workers: 3, ParallelThreshold: 1}} {
		_, _, run := testExecutor(t, 512, opts)
		run("CREATE TABLE a (ts TIMESTAMP, k BIGINT, x BIGINT)")
		run("CREATE TABLE b (ts TIMESTAMP, k BIGINT, y BIGINT)")
		var av, bv []string
		for i := range 3000 {
			av = append(av, fmt.Sprintf("(%d, %d, %d)", i+1, i%3, i))
		}
		for i := range 400 {
			bv = append(bv, fmt.Sprintf("(%d, %d, %d)", i+1, i%4, i))
		}
		run("INSERT INTO a VALUES " + strings.Join(av, ", "))
		run("INSERT INTO b VALUES " + strings.Join(bv, ", "))
		cases := []struct{ sql, want string }{
			{"SELECT count(*), sum(a.x), sum(b.y) FROM a CROSS JOIN b", "1200000\t1799400000\t239400000"},
			// Keys 0..2 of a (1000 rows each) meet 100 rows of b each, whose y
			// sum to 19800, 19900 and 20000; key 3 of b meets nothing.
			{"SELECT count(*), sum(b.y) FROM a JOIN b ON a.k = b.k", "300000\t59700000"},
			{"SELECT count(*), count(a.ts) FROM a FULL JOIN b ON a.k = b.k", "300100\t300000"},
		}
		for _, c := range cases {
			if got := strings.Join(renderRows(run(c.sql)), "\n"); got != c.want {
				t.Errorf("workers=%d: %s: got %s, want %s", opts.Workers, c.sql, got, c.want)
			}
		}
	}
}
