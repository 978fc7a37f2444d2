package apptest

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestKill9WhileSealing kills the server with SIGKILL while clients insert
// rows spread over many days, the server checkpoints every second
// (sealing all but the newest partition into the HDB and removing WAL
// segments) and a TTL drops the oldest days every second while late rows
// keep landing in them. After every restart each acknowledged row is
// there exactly once, except rows of days the TTL may have dropped; at
// the end the HDB holds sealed partitions, the WAL was cut and the
// expired days are empty.
func TestKill9WhileSealing(t *testing.T) {
	const nWriters, batch = 3, 40
	rounds := 50 // ZEPTODB_CRASH_ROUNDS=n for a longer run
	if n, err := strconv.Atoi(os.Getenv("ZEPTODB_CRASH_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	dir := t.TempDir()
	flags := []string{"--checkpoint-seconds", "1", "--hot-partitions", "1", "--wal-segment-size", "1MiB", "--ttl-check-seconds", "1"}
	s := start(t, dir, flags...)
	s.mustPost(createTrades)
	s.mustPost("ALTER TABLE trades SET TTL 5 DAYS")
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	day := int64(24 * time.Hour)
	// Day 0 is ten days ago: days 0-4 ended more than five days ago, so
	// the TTL drops them; the rest stay however long the test runs.
	base := time.Now().UTC().Truncate(24*time.Hour).UnixNano() - 10*day
	// Row id lands on day id/5000: the days move on as the test runs, so
	// old partitions fall out of the hot window and get sealed; some rows
	// go to sealed days (late data) and some to expired days, out of
	// order within their day.
	ts := func(id int64) int64 {
		d := id / 5000
		switch {
		case id%101 == 0:
			d = id % 5
		case id%13 == 0 && d > 0:
			d -= 1 + id%3
		}
		return base + max(d, 0)*day + (id*7919)%day
	}
	// A row may be gone only if its day ended more than 5 days ago.
	expirable := func(id int64) bool {
		return base+(ts(id)-base)/day*day+day <= time.Now().Add(-5*24*time.Hour).UnixNano()
	}
	var mu sync.Mutex
	checkpoints, expired := 0, 0
	acked := map[int64]bool{}
	nextID := int64(0)
	for round := 0; round < rounds; round++ {
		var wg sync.WaitGroup
		stop := make(chan struct{})
		w := &writers{url: s.url, batch: batch, ts: ts, pause: 2 * time.Millisecond, mu: &mu, nextID: &nextID, acked: acked}
		w.start(nWriters, &wg, stop)
		// Most rounds outlive a checkpoint (every second), some die in one.
		time.Sleep(time.Duration(300+rng.Intn(1500)) * time.Millisecond)
		s.kill()
		if os.Getenv("ZEPTODB_TEST_LOGS") != "" {
			t.Logf("round %d log:\n%s", round, s.log)
		}
		checkpoints += strings.Count(s.log.String(), "msg=checkpoint ")
		close(stop)
		wg.Wait()

		s = start(t, dir, flags...)
		ids := allIDs(t, s)
		seen := make(map[int64]bool, len(ids))
		for _, id := range ids {
			if seen[id] {
				t.Fatalf("round %d: row %d present twice", round, id)
			}
			seen[id] = true
		}
		for id := range acked {
			if !seen[id] && !expirable(id) {
				t.Fatalf("round %d: acknowledged row %d lost (%d acked, %d present)", round, id, len(acked), len(ids))
			}
		}
		for id := range seen {
			acked[id] = true
		}
		for id := range acked {
			if !seen[id] {
				delete(acked, id) // dropped by the TTL
				expired++
			}
		}
	}
	sealed := 0
	filepath.Walk(filepath.Join(dir, "hdb"), func(path string, info os.FileInfo, err error) error {
		if err == nil && info.IsDir() && strings.HasPrefix(info.Name(), "p") {
			sealed++
		}
		return nil
	})
	segs, _ := filepath.Glob(filepath.Join(dir, "wal", "*.wal"))
	t.Logf("%d rounds, %d rows acknowledged and present at the last restart, %d dropped by the TTL, %d checkpoints logged, %d sealed partition directories, %d WAL segments left",
		rounds, len(acked), expired, checkpoints, sealed, len(segs))
	if sealed == 0 {
		t.Fatal("no partition was ever sealed")
	}
	if expired == 0 {
		t.Fatal("the TTL never dropped a row")
	}
	// The TTL survived every restart: the expired days empty out (late
	// rows written into them last are dropped by the next check), and
	// every other acknowledged row is there.
	cutoff := base + 5*day
	deadline := time.Now().Add(5 * time.Second)
	for s.scalar(fmt.Sprintf("SELECT count(*) FROM trades WHERE ts < %d", cutoff)) != "0" {
		if time.Now().After(deadline) {
			t.Fatalf("rows older than the TTL are still there after 5 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	kept := 0
	for id := range acked {
		if ts(id) >= cutoff {
			kept++
		}
	}
	if got := s.scalar("SELECT count(*) FROM trades"); got != fmt.Sprint(kept) {
		t.Fatalf("count(*) = %s, want %d", got, kept)
	}
}
