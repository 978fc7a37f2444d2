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
// rows spread over many days and the server checkpoints every second,
// sealing all but the newest partition into the HDB and removing WAL
// segments. After every restart each acknowledged row is there exactly
// once; at the end the HDB holds sealed partitions and the WAL was cut.
func TestKill9WhileSealing(t *testing.T) {
	const nWriters, batch = 3, 40
	rounds := 50 // ZEPTODB_CRASH_ROUNDS=n for a longer run
	if n, err := strconv.Atoi(os.Getenv("ZEPTODB_CRASH_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	dir := t.TempDir()
	flags := []string{"--checkpoint-seconds", "1", "--hot-partitions", "1", "--wal-segment-size", "1MiB"}
	s := start(t, dir, flags...)
	s.mustPost(createTrades)
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	day := int64(24 * time.Hour)
	base := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	// Row id lands on day id/2000: the days move on as the test runs, so
	// old partitions fall out of the hot window and get sealed, and some
	// rows go to sealed days (late data), out of order within their day.
	ts := func(id int64) int64 {
		d := id / 5000
		if id%13 == 0 && d > 0 {
			d -= 1 + id%3
		}
		return base + max(d, 0)*day + (id*7919)%day
	}
	var mu sync.Mutex
	checkpoints := 0
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
			if !seen[id] {
				t.Fatalf("round %d: acknowledged row %d lost (%d acked, %d present)", round, id, len(acked), len(ids))
			}
		}
		for id := range seen {
			acked[id] = true
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
	t.Logf("%d rounds, %d rows acknowledged, %d checkpoints logged, %d sealed partition directories, %d WAL segments left", rounds, len(acked), checkpoints, sealed, len(segs))
	if sealed == 0 {
		t.Fatal("no partition was ever sealed")
	}
	if got := s.scalar("SELECT count(*) FROM trades"); got != fmt.Sprint(len(acked)) {
		t.Fatalf("count(*) = %s, want %d", got, len(acked))
	}
}
