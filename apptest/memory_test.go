package apptest

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestQueryMemoryLimit: statements that would hold ever more rows (a
// cross join collected without bound) fail alone with MEMORY_LIMIT while
// other statements run beside them and succeed, and the process never
// grows anywhere near what those statements asked for.
func TestQueryMemoryLimit(t *testing.T) {
	buildBinary(t)
	s := start(t, filepath.Join(t.TempDir(), "data"), "--max-query-memory-bytes", strconv.Itoa(64<<20), "--max-result-rows", "0")
	s.mustPost("CREATE TABLE t (ts TIMESTAMP, v BIGINT)")
	var rows []string
	for i := range 4000 {
		rows = append(rows, fmt.Sprintf("(%d, %d)", i, i))
	}
	s.mustPost("INSERT INTO t VALUES " + strings.Join(rows, ","))

	huge := []string{ // each would hold 64e9 rows, or 16e6 groups
		"SELECT x.v, y.v, z.v FROM t x CROSS JOIN t y CROSS JOIN t z",
		"SELECT x.v, y.v, z.v FROM t x CROSS JOIN t y CROSS JOIN t z ORDER BY x.v + y.v",
		"SELECT x.v * 4000 + y.v AS k, count(*) FROM t x CROSS JOIN t y GROUP BY k",
	}
	var wg sync.WaitGroup
	failures := make(chan string, 1000)
	for i := range 6 { // the huge statements, twice each, all at once
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, body := post(s.url, huge[i%len(huge)])
			if code != 400 || !strings.Contains(body, "(MEMORY_LIMIT_EXCEEDED)") {
				failures <- fmt.Sprintf("%s: %d %s, want 400 MEMORY_LIMIT", huge[i%len(huge)], code, cut(body))
			}
		}()
	}
	small := map[string]string{
		"SELECT count(*), sum(v) FROM t":                 "4000\t7998000\n",
		"SELECT v FROM t ORDER BY ts DESC LIMIT 2":       "3999\n3998\n",
		"SELECT count(*) FROM t x JOIN t y ON x.v = y.v": "4000\n",
	}
	for w := range 3 { // and ordinary statements beside them, over and over
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 30 {
				for sql, want := range small {
					if code, body := post(s.url, sql); code != 200 || body != want {
						failures <- fmt.Sprintf("worker %d: %s: %d %s, want %s", w, sql, code, cut(body), want)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	if got := s.scalar("SELECT count(*) FROM t"); got != "4000" {
		t.Fatalf("after: count %s", got)
	}
	if peak := peakRSS(t, s.cmd.Process.Pid); peak > 1<<30 {
		t.Errorf("peak resident memory %d MB: the limit did not hold the statements back", peak>>20)
	} else {
		t.Logf("peak resident memory %d MB", peak>>20)
	}
}

// post sends a statement from any goroutine and returns status and body.
func post(url, sql string) (int, string) {
	resp, err := http.Post(url+"/", "text/plain", strings.NewReader(sql))
	if err != nil {
		return -1, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func cut(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

// peakRSS reads the process's high-water resident set (Linux VmHWM).
func peakRSS(t *testing.T, pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}
