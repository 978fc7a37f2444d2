package apptest

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiskFull runs the server on a small tmpfs (it mounts one, so it
// needs root, as CI has) next to a ballast file, inserts until writes are
// refused with 507, checks that nothing acknowledged is lost and queries
// still answer, then deletes the ballast: writes resume without a restart.
func TestDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root; CI runs as root")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
	ballast := filepath.Join(mnt, "ballast")
	if err := os.WriteFile(ballast, make([]byte, 16<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(mnt, "data")
	s := start(t, dir, "--min-free-bytes", "8MiB", "--wal-segment-size", "4MiB", "--checkpoint-seconds", "0")
	s.mustPost(createTrades)
	acked := int64(0)
	var refused result
	for id := int64(0); ; id += 500 {
		var b strings.Builder
		b.WriteString("INSERT INTO trades VALUES ")
		for i := id; i < id+500; i++ {
			if i > id {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "(%d, 'S%d', %d.5, %d)", 1762075800000000000+i, i%7, i%100, i)
		}
		r := s.post(b.String())
		if r.Status != 200 {
			refused = r
			break
		}
		acked += 500
		if acked > 10_000_000 {
			t.Fatal("the disk never filled")
		}
	}
	if refused.Status != 507 || refused.Error == nil || refused.Error.Code != "INSUFFICIENT_STORAGE" {
		t.Fatalf("a full disk answered %d %+v", refused.Status, refused.Error)
	}
	t.Logf("refused after %d rows: %s", acked, refused.Error.Message)
	if got := s.scalar("SELECT count(*) FROM trades"); got != fmt.Sprint(acked) {
		t.Fatalf("count(*) %s, %d acknowledged", got, acked)
	}
	resp, err := http.Get(s.url + "/ready")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/ready on a full disk: %v %v (reads still work, the server is not failed)", resp, err)
	}
	resp.Body.Close()
	if err := os.Remove(ballast); err != nil {
		t.Fatal(err)
	}
	s.mustPost("INSERT INTO trades VALUES (1762075800000000000, 'S1', 1.5, -1)")
	s.stop()
	s = start(t, dir)
	if got := s.scalar("SELECT count(*) FROM trades"); got != fmt.Sprint(acked+1) {
		t.Fatalf("after a restart count(*) %s, want %d", got, acked+1)
	}
}
