package engine

import (
	"errors"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

// TestPowerLossAcrossOperations runs a seeded random mix of inserts (rows
// across many days), DDL, UPDATE/DELETE, TTL and checkpoints (sealing,
// cutting the WAL) and pulls the plug at a random file-system operation.
// Recovery must succeed and show a state in which every acknowledged
// insert that no acknowledged DELETE, TTL or DROP removed is present once.
func TestPowerLossAcrossOperations(t *testing.T) {
	const seeds = 200
	for seed := int64(1); seed <= seeds; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { powerLossRun(t, seed) })
	}
}

func powerLossRun(t *testing.T, seed int64) {
	rng := rand.New(rand.NewSource(seed))
	mem := vfs.NewMemFS()
	errCrash := errors.New("power lost")
	var crashed *vfs.MemFS
	ops, crashAt := 0, 50+rng.Intn(1500)
	faulty := &vfs.Faulty{FS: mem, Hook: func(vfs.Op, string) error {
		if crashed != nil {
			return errCrash
		}
		if ops++; ops == crashAt {
			crashed = mem.Crash(rng)
			return errCrash
		}
		return nil
	}}
	opts := checkpointOptions(faulty)
	opts.WALSegmentSize = 8 << 10
	e, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	// acked: row id → present in the table as far as acknowledged writes
	// say (false: removed by an acknowledged DELETE/TTL/DROP).
	acked := map[int64]bool{}
	maybe := map[int64]bool{} // written or removed without an answer: either way
	rowTS := map[int64]int64{}
	next := int64(0)
	tableUp := false
	for step := 0; crashed == nil && step < 400; step++ {
		switch op := rng.Intn(20); {
		case !tableUp:
			if e.CreateTable(tradesSchema(t, "trades"), true) == nil {
				tableUp = true
			}
		case op < 11:
			b := spreadBatch(int(next), 1+rng.Intn(60), 8)
			for i := range b.Vectors[0].Int64 { // days move forward with the ids
				b.Vectors[0].Int64[i] += (next / 400) * day
			}
			ids := b.Vectors[3].Int64
			next += int64(len(ids))
			_, err := e.Insert("trades", b)
			for i, id := range ids {
				rowTS[id] = b.Vectors[0].Int64[i]
				if err == nil {
					acked[id] = true
				} else {
					maybe[id] = true
				}
			}
		case op < 13:
			mod := int64(3 + rng.Intn(5))
			_, err := e.Mutate("trades", planWhere(func(v int64) bool { return v%mod == 0 }, nil))
			for id, present := range acked {
				if present && id%mod == 0 {
					if err == nil {
						acked[id] = false
					} else {
						maybe[id] = true
					}
				}
			}
		case op < 15:
			_, err := e.Checkpoint()
			if err != nil && !errors.Is(err, errCrash) {
				t.Fatalf("checkpoint: %v", err)
			}
		case op < 16:
			now := time.Unix(0, (next/400+1)*day).UTC() // drops days older than 3 days before the newest
			_, err := e.SetTTL("trades", TTL{N: 3, Unit: "DAY"}, now)
			cutoff := (next/400 + 1 - 3) * day
			for id, present := range acked {
				if present && rowTS[id]/day*day+day <= cutoff {
					if err == nil {
						acked[id] = false
					} else {
						maybe[id] = true
					}
				}
			}
		case op < 17:
			_ = e.CreateTable(tradesSchema(t, fmt.Sprintf("side%d", rng.Intn(3))), true)
		case op < 18:
			_ = e.DropTable(fmt.Sprintf("side%d", rng.Intn(3)), true)
		}
	}
	e.Close()
	if crashed == nil {
		crashed = mem.Crash(rng) // the run ended first: lose power now
	}
	e2, err := Open(checkpointOptions(crashed))
	if err != nil {
		t.Fatalf("recovery after power loss at operation %d: %v", crashAt, err)
	}
	defer e2.Close()
	if !tableUp {
		return
	}
	got := map[int64]int{}
	if _, err := e2.Table("trades"); err == nil {
		got = volumes(t, e2, "trades")
	}
	for id, n := range got {
		if n != 1 {
			t.Fatalf("row %d present %d times", id, n)
		}
		if !acked[id] && !maybe[id] {
			t.Fatalf("row %d present but its insert was never acknowledged, or an acknowledged write removed it", id)
		}
	}
	kept := 0
	for id, present := range acked {
		if present && got[id] == 0 && !maybe[id] {
			t.Fatalf("acknowledged row %d lost (power loss at operation %d)", id, crashAt)
		}
		if present {
			kept++
		}
	}
	t.Logf("power lost at file operation %d: %d acknowledged rows checked, %d rows recovered", crashAt, kept, len(got))
}
