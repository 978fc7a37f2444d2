package apptest

import (
	"errors"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestLiveTarRestores copies the data directory with tar while clients
// insert and the server checkpoints every second, as the guide's backup
// CronJob does, restores the copy elsewhere and checks that the server
// starts on it with every row acknowledged before the tar started, once.
func TestLiveTarRestores(t *testing.T) {
	dir := t.TempDir()
	flags := []string{"--checkpoint-seconds", "1", "--hot-partitions", "1", "--wal-segment-size", "1MiB"}
	s := start(t, dir, flags...)
	s.mustPost(createTrades)
	day := int64(24 * time.Hour)
	base := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	ts := func(id int64) int64 { return base + (id/3000)*day + (id*7919)%day }
	var mu sync.Mutex
	acked := map[int64]bool{}
	nextID := int64(0)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	w := &writers{url: s.url, batch: 40, ts: ts, pause: time.Millisecond, mu: &mu, nextID: &nextID, acked: acked}
	w.start(3, &wg, stop)
	defer func() { close(stop); wg.Wait() }()

	for round := 0; round < 3; round++ {
		time.Sleep(1500 * time.Millisecond)
		mu.Lock()
		before := make(map[int64]bool, len(acked))
		for id := range acked {
			before[id] = true
		}
		mu.Unlock()
		archive := filepath.Join(t.TempDir(), "backup.tar.gz")
		out, err := exec.Command("tar", "-C", dir, "-czf", archive, ".").CombinedOutput()
		var exit *exec.ExitError
		if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) { // 1: files changed while read
			t.Fatalf("tar: %v\n%s", err, out)
		}
		restored := t.TempDir()
		if out, err := exec.Command("tar", "-C", restored, "-xzf", archive).CombinedOutput(); err != nil {
			t.Fatalf("untar: %v\n%s", err, out)
		}
		r := start(t, restored)
		ids := allIDs(t, r)
		seen := make(map[int64]bool, len(ids))
		for _, id := range ids {
			if seen[id] {
				t.Fatalf("round %d: row %d twice in the restored copy", round, id)
			}
			seen[id] = true
		}
		for id := range before {
			if !seen[id] {
				t.Fatalf("round %d: row %d, acknowledged before the tar started, missing from the restored copy (%d before, %d restored)", round, id, len(before), len(ids))
			}
		}
		t.Logf("round %d: %d rows acknowledged before the tar, %d in the restored copy", round, len(before), len(ids))
		r.kill()
	}
}
