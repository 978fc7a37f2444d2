package apptest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSealedPartitionDamage seals partitions, stops the server, flips a
// byte in a sealed column file, and checks that the damage is found and
// named: by `zeptodb inspect hdb --verify` (exit status 1) and by the
// server, which refuses to start rather than answer from damaged data.
func TestSealedPartitionDamage(t *testing.T) {
	dir := t.TempDir()
	flags := []string{"--checkpoint-seconds", "1", "--hot-partitions", "1"}
	s := start(t, dir, flags...)
	s.mustPost(createTrades)
	var values []string
	for d := 0; d < 4; d++ {
		for i := 0; i < 50; i++ {
			values = append(values, fmt.Sprintf("('2100-01-%02d 10:%02d:00', 'S%d', %d.5, %d)", d+1, i, i%3, i, d*100+i))
		}
	}
	s.mustPost("INSERT INTO trades VALUES " + strings.Join(values, ", "))
	var cols []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		cols, _ = filepath.Glob(filepath.Join(dir, "hdb", "trades", "p*", "c0002.col"))
		if manifests, _ := filepath.Glob(filepath.Join(dir, "hdb", "manifest-*")); len(manifests) == 1 && len(cols) == 3 {
			break
		}
	}
	if len(cols) != 3 {
		t.Fatalf("sealed column files: %v", cols)
	}
	before := s.scalar("SELECT sum(volume) FROM trades")
	s.stop()

	out, err := exec.Command(binary, "inspect", "hdb", "--data-dir", dir, "--verify").CombinedOutput()
	if err != nil || strings.Count(string(out), " ok\n") != 3 {
		t.Fatalf("inspect of an intact HDB: %v\n%s", err, out)
	}
	s = start(t, dir, flags...)
	if got := s.scalar("SELECT sum(volume) FROM trades"); got != before {
		t.Fatalf("after a restart from the HDB: sum %s, want %s", got, before)
	}
	s.stop()

	data, err := os.ReadFile(cols[1])
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x40
	if err := os.WriteFile(cols[1], data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(binary, "inspect", "hdb", "--data-dir", dir, "--verify").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "DAMAGED") || !strings.Contains(string(out), "c0002.col") {
		t.Fatalf("inspect missed the damage: %v\n%s", err, out)
	}
	if _, err := tryStart(t, dir, flags...); err == nil || !strings.Contains(err.Error(), "c0002.col") {
		t.Fatalf("the server started on a damaged partition, or did not name the file: %v", err)
	}
}
