package apptest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSealedPartitionDamage seals partitions, stops the server, flips a
// byte in a sealed column file, and checks that the damage is found and
// named: by `zeptodb inspect hdb --verify` (exit status 1) and by the
// server, whose queries needing that partition fail instead of answering
// without its rows.
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
	// The server starts (sealed partitions are read on first use); a query
	// needing the damaged day fails naming it, others still answer.
	s = start(t, dir, flags...)
	r := s.post("SELECT sum(volume) FROM trades")
	if r.Status != 500 || r.Error == nil || r.Error.Code != "DATA_CORRUPTION" || !strings.Contains(r.Error.Message, filepath.Base(filepath.Dir(cols[1]))) {
		t.Fatalf("a query over the damaged partition answered %d %+v", r.Status, r.Error)
	}
	name := strings.TrimPrefix(filepath.Base(filepath.Dir(cols[0])), "p")
	day, _ := strconv.ParseInt(name[:strings.Index(name, "-")], 10, 64)
	if got := s.scalar(fmt.Sprintf("SELECT count(*) FROM trades WHERE ts >= %d AND ts < %d", day, day+86400000000000)); got != "50" {
		t.Fatalf("an intact day: count %s", got)
	}
}
