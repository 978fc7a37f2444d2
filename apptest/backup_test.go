package apptest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestOnlineBackupAndRestore takes backups of a running server through
// `zeptodb backup` while clients insert, restores them with `zeptodb
// restore --verify`, and checks that a server started on each restore
// has every row acknowledged before the backup began, once.
func TestOnlineBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir, "--checkpoint-seconds", "1", "--hot-partitions", "1")
	s.mustPost(createTrades)
	day := int64(24 * time.Hour)
	base := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	var mu sync.Mutex
	acked := map[int64]bool{}
	nextID := int64(0)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	w := &writers{url: s.url, batch: 40, ts: func(id int64) int64 { return base + (id/3000)*day + id }, pause: time.Millisecond,
		mu: &mu, nextID: &nextID, acked: acked}
	w.start(2, &wg, stop)
	defer func() { close(stop); wg.Wait() }()

	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(binary, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("zeptodb %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	work := t.TempDir()
	for i, to := range []string{filepath.Join(work, "b.tar.gz"), filepath.Join(work, "bdir")} {
		time.Sleep(1200 * time.Millisecond)
		mu.Lock()
		before := make(map[int64]bool, len(acked))
		for id := range acked {
			before[id] = true
		}
		mu.Unlock()
		run("backup", "--url", s.url, "--to", to)
		restored := filepath.Join(work, "restored", string(rune('a'+i)))
		out := run("restore", "--from", to, "--data-dir", restored, "--verify")
		if !strings.Contains(out, "restored and verified") {
			t.Fatalf("restore said %s", out)
		}
		r := start(t, restored)
		seen := map[int64]bool{}
		for _, id := range allIDs(t, r) {
			if seen[id] {
				t.Fatalf("%s: row %d twice", to, id)
			}
			seen[id] = true
		}
		for id := range before {
			if !seen[id] {
				t.Fatalf("%s: row %d, acknowledged before the backup, missing (%d before, %d restored)", to, id, len(before), len(seen))
			}
		}
		t.Logf("%s: %d rows acknowledged before, %d restored", to, len(before), len(seen))
		r.kill()
	}

	// Refusals: a non-empty target, a truncated archive.
	if out, err := exec.Command(binary, "restore", "--from", filepath.Join(work, "b.tar.gz"), "--data-dir", dir).CombinedOutput(); err == nil || !strings.Contains(string(out), "not empty") {
		t.Fatalf("restore over a live data directory: %v %s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(work, "b.tar.gz"))
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(work, "cut.tar.gz")
	os.WriteFile(cut, data[:len(data)*2/3], 0o644)
	if out, err := exec.Command(binary, "restore", "--from", cut, "--data-dir", filepath.Join(work, "x")).CombinedOutput(); err == nil {
		t.Fatalf("a truncated archive restored: %s", out)
	}
	if entries, _ := os.ReadDir(filepath.Join(work, "x")); len(entries) != 0 {
		t.Fatalf("a failed restore left files behind: %v", entries)
	}
}
