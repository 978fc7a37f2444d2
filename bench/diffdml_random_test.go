package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDifferentialRandomMutations runs seeded random UPDATE and DELETE
// statements (predicates and values from the grammar fuzz) on ZeptoDB and
// DuckDB and compares the whole table after every one, and once more
// after a restart. DIFF_DML_SEED=n picks the seed, DIFF_DML_N=n the count.
func TestDifferentialRandomMutations(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the server")
	}
	seed, n := uint64(1), 40
	if s := os.Getenv("DIFF_DML_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	if s := os.Getenv("DIFF_DML_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	m := newMutationPair(ctx, t, 20261102)
	srv, duck := m.srv, m.duck
	compare := func(after string) {
		t.Helper()
		z, err := srv.query(ctx, "SELECT * FROM t")
		if err != nil {
			t.Fatalf("after %s: %v", after, err)
		}
		d, err := duckQueryTyped(ctx, duck, "SELECT * FROM t")
		if err != nil {
			t.Fatalf("after %s: DuckDB: %v", after, err)
		}
		if diff := compareResults(z, d, false); diff != "" {
			t.Fatalf("DIFF_DML_SEED=%d: tables differ after %s: %s", seed, after, diff)
		}
	}
	g := newFuzzGen(seed, m.data)
	touched := 0
	for i := range n {
		z, d := g.mutation()
		zn, err := srv.written(ctx, z)
		if err != nil {
			t.Fatalf("DIFF_DML_SEED=%d statement %d: ZeptoDB: %v\n  %s", seed, i, err, z)
		}
		res, err := duck.conn.ExecContext(ctx, d)
		if err != nil {
			t.Fatalf("DIFF_DML_SEED=%d statement %d: DuckDB: %v\n  %s", seed, i, err, d)
		}
		if dn, _ := res.RowsAffected(); dn != zn {
			t.Fatalf("DIFF_DML_SEED=%d statement %d touched %d rows on ZeptoDB, %d on DuckDB\n  %s", seed, i, zn, dn, z)
		}
		touched += int(zn)
		compare(fmt.Sprintf("statement %d: %s", i, z))
	}
	srv = m.restart()
	compare("restart")
	t.Logf("DIFF_DML_SEED=%d: %d random mutations touching %d rows agree with DuckDB, also after a restart", seed, n, touched)
}

// mutation is a random DELETE or UPDATE of t in both dialects. DELETEs
// also need volume % 5 = k, so that the table does not empty too fast.
func (g *fuzzGen) mutation() (string, string) {
	p := g.pred(2)
	if g.chance(35) {
		k := g.between(0, 4)
		return fmt.Sprintf("DELETE FROM t WHERE (%s) AND volume %% 5 = %d", p.z, k),
			fmt.Sprintf("DELETE FROM t WHERE (%s) AND volume %% 5 = %d", p.d, k)
	}
	var sz, sd []string
	for _, col := range g.r.Perm(3)[:g.between(1, 3)] {
		switch col {
		case 0:
			e := g.num(2)
			sz, sd = append(sz, "price = "+e.z), append(sd, "price = "+e.d)
		case 1:
			e := g.str(1)
			sz, sd = append(sz, "note = "+e.z), append(sd, "note = "+e.d)
		case 2:
			b := g.pred(1)
			sz, sd = append(sz, "flag = "+b.z), append(sd, "flag = "+b.d)
		}
	}
	return fmt.Sprintf("UPDATE t SET %s WHERE %s", strings.Join(sz, ", "), p.z), fmt.Sprintf("UPDATE t SET %s WHERE %s", strings.Join(sd, ", "), p.d)
}
