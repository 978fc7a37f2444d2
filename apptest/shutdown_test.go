package apptest

import (
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSIGTERMDuringInserts stops the server gracefully while clients
// insert: it must exit 0, and every acknowledged row must be there after
// a restart.
func TestSIGTERMDuringInserts(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir)
	s.mustPost(createTrades)
	var mu sync.Mutex
	acked := map[int64]bool{}
	var next int64
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Timeout: 10 * time.Second}
			for {
				mu.Lock()
				first := next
				next += 20
				mu.Unlock()
				if !insertBatch(c, s.url, first, 20) {
					return // the server is going away
				}
				mu.Lock()
				for id := first; id < first+20; id++ {
					acked[id] = true
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	s.stop() // SIGTERM, waits for exit 0
	wg.Wait()
	if !strings.Contains(s.log.String(), "stopped") {
		t.Fatalf("no clean stop in the log:\n%s", s.log)
	}
	s = start(t, dir)
	seen := map[int64]bool{}
	for _, id := range allIDs(t, s) {
		seen[id] = true
	}
	for id := range acked {
		if !seen[id] {
			t.Fatalf("acknowledged row %d lost over a graceful restart (%d acked)", id, len(acked))
		}
	}
	if len(acked) == 0 {
		t.Fatal("no insert was acknowledged before SIGTERM")
	}
}

// TestClient runs `zeptodb client` against the server: one statement with
// -q, and statements on standard input.
func TestClient(t *testing.T) {
	s := start(t, t.TempDir())
	port := strings.TrimPrefix(s.url, "http://127.0.0.1:")
	run := func(stdin string, args ...string) (string, error) {
		cmd := exec.Command(binary, append([]string{"client", "--port", port}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT);\n" +
		"INSERT INTO trades VALUES (1, 'AAPL', 227.5, 100), (2, 'MSFT', 411.25, 7);\n")
	if err != nil || !strings.Contains(out, "OK, 2 rows written") {
		t.Fatalf("client on stdin: %v\n%s", err, out)
	}
	out, err = run("", "-q", "SELECT symbol, price, volume FROM trades ORDER BY symbol")
	want := "symbol | price  | volume\n" +
		"-------+--------+-------\n" +
		"AAPL   |  227.5 |    100\n" +
		"MSFT   | 411.25 |      7\n"
	if err != nil || !strings.HasPrefix(out, want) || !strings.Contains(out, "(2 rows, ") {
		t.Fatalf("client -q: %v\n%s\nwant prefix:\n%s", err, out, want)
	}
	out, err = run("", "-q", "SELECT nope FROM trades")
	if err == nil || !strings.Contains(out, "error UNKNOWN_COLUMN") {
		t.Fatalf("client error: %v\n%s", err, out)
	}
}
