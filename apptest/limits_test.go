package apptest

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestOverload: 10× the allowed concurrency gets 429s at once, the rest
// run until the query timeout stops them (504), a too-large result is
// refused, slow statements are logged, and the server answers afterwards.
func TestOverload(t *testing.T) {
	buildBinary(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "keys.txt")
	a, b := createKey(t, file, "admin", "a"), createKey(t, file, "admin", "b")
	s := start(t, filepath.Join(dir, "data"), "--api-keys-file", file, "--max-concurrent-queries", "2",
		"--max-concurrent-queries-per-key", "1", "--query-timeout-seconds", "1", "--max-result-rows", "1000", "--slow-query-ms", "300",
		"--max-result-bytes", "2000")
	send(t, "POST", s.url+"/", "CREATE TABLE t (ts TIMESTAMP, v BIGINT)", bearer(a))
	var rows []string
	for i := 0; i < 4000; i++ {
		rows = append(rows, fmt.Sprintf("(%d, %d)", i, i))
	}
	if code, body := send(t, "POST", s.url+"/", "INSERT INTO t VALUES "+strings.Join(rows, ","), bearer(a)); code != 200 {
		t.Fatalf("insert: %d %s", code, body)
	}
	const slow = "SELECT count(*) FROM t x CROSS JOIN t y CROSS JOIN t z" // 64e9 pairs: runs until stopped

	// One key: past one running statement, 429.
	codes := burst(t, s.url, slow, []string{a, a, a, a, a, a, a, a, a, a})
	if codes[429] < 9 || codes[504] != 1 || len(codes) != 2 {
		t.Fatalf("ten statements of one key: %v, want one 504 (timed out) and nine 429", codes)
	}
	// Two keys, twenty statements: two run, eighteen get 429.
	keys := make([]string, 20)
	for i := range keys {
		keys[i] = []string{a, b}[i%2]
	}
	codes = burst(t, s.url, slow, keys)
	if codes[429] < 18 || codes[504] > 2 || codes[429]+codes[504] != 20 {
		t.Fatalf("twenty statements of two keys: %v, want at most two 504 and the rest 429", codes)
	}
	if code, body := send(t, "POST", s.url+"/", "SELECT * FROM t", bearer(a)); code != 400 || !strings.Contains(body, "RESULT_TOO_LARGE") {
		t.Errorf("4000 rows over max_result_rows 1000: %d %s", code, body)
	}
	if code, body := send(t, "POST", s.url+"/", "SELECT v FROM t LIMIT 900", bearer(a)); code != 400 || !strings.Contains(body, "max_result_bytes") {
		t.Errorf("900 rows of JSON over max_result_bytes 2000: %d %s", code, body)
	}
	if code, body := send(t, "POST", s.url+"/", "SELECT count(*) FROM t", bearer(b)); code != 200 || body != "4000\n" {
		t.Fatalf("after the overload: %d %s", code, body)
	}
	if !s.waitLog(`msg="slow query"`) || !s.waitLog("query_timeout_seconds") {
		t.Errorf("slow statements are not logged:\n%s", s.log.String())
	}
}

// burst sends sql once per key, all at once, and counts the statuses.
func burst(t *testing.T, url, sql string, keys []string) map[int]int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	codes := map[int]int{}
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := -1 // a failed request: the server dropped the connection
			req, _ := http.NewRequest("POST", url+"/", strings.NewReader(sql))
			req.Header.Set("Authorization", "Bearer "+k)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				code = resp.StatusCode
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return codes
}

// TestPerKeyLimits: a key's own limits in the keys file override the
// server's: its rate (429 RATE_LIMITED past it), its result size.
func TestPerKeyLimits(t *testing.T) {
	buildBinary(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "keys.txt")
	admin := createKey(t, file, "admin", "ops")
	feed := createKey(t, file, "reader", "feed")
	small := createKey(t, file, "writer", "small")
	data, _ := os.ReadFile(file)
	data = []byte(strings.Replace(string(data), " reader feed", " reader feed rate=2 max_result_rows=2", 1))
	data = []byte(strings.Replace(string(data), " writer small", " writer small max_body=110 max_result_bytes=200 max_memory=100000", 1))
	os.WriteFile(file, data, 0o600)
	s := start(t, filepath.Join(dir, "data"), "--api-keys-file", file)
	send(t, "POST", s.url+"/", "CREATE TABLE t (ts TIMESTAMP, v BIGINT)", bearer(admin))
	send(t, "POST", s.url+"/", "INSERT INTO t VALUES (1, 1), (2, 2), (3, 3)", bearer(admin))
	limited := 0
	for i := 0; i < 10; i++ {
		code, body := send(t, "POST", s.url+"/", "SELECT count(*) FROM t", bearer(feed))
		switch {
		case code == 429 && strings.Contains(body, "RATE_LIMITED"):
			limited++
		case code != 200:
			t.Fatalf("%d %s", code, body)
		}
	}
	if limited < 5 {
		t.Fatalf("%d of 10 back-to-back statements rate-limited at 2/s, want most", limited)
	}
	for i := 0; i < 10; i++ { // the server's own limits for the other key
		if code, _ := send(t, "POST", s.url+"/", "SELECT * FROM t", bearer(admin)); code != 200 {
			t.Fatalf("admin: %d", code)
		}
	}
	time.Sleep(time.Second)
	if code, body := send(t, "POST", s.url+"/", "SELECT * FROM t", bearer(feed)); code != 400 || !strings.Contains(body, "RESULT_TOO_LARGE") {
		t.Fatalf("3 rows over the key's max_result_rows=2: %d %s", code, body)
	}
	// The other key's own body, result and memory limits; the server's
	// (larger) ones for the admin.
	long := "INSERT INTO t VALUES (4, 4), (5, 5), (6, 6), (7, 7), (8, 8), (9, 9), (10, 10), (11, 11), (12, 12), (13, 13), (14, 14)" // 117 bytes
	wide := "SELECT x.v, y.v FROM t x CROSS JOIN t y"                                                                               // 196 rows of JSON
	many := "SELECT x.v * 10000 + y.v * 100 + z.v AS k, count(*) FROM t x CROSS JOIN t y CROSS JOIN t z GROUP BY k"                 // 2744 groups
	for _, c := range []struct {
		key, sql, code string
		want           int
	}{
		{small, long, "BODY_TOO_LARGE", 413},
		{admin, long, "", 200},
		{small, wide, "RESULT_TOO_LARGE", 400},
		{small, many, "MEMORY_LIMIT", 400},
		{admin, wide, "", 200},
		{admin, many, "", 200},
		{small, "SELECT count(*) FROM t", "", 200},
	} {
		if code, body := send(t, "POST", s.url+"/", c.sql, bearer(c.key)); code != c.want || !strings.Contains(body, c.code) {
			t.Errorf("%.40s as %s: %d %s, want %d %s", c.sql, map[bool]string{true: "small", false: "admin"}[c.key == small], code, body, c.want, c.code)
		}
	}
}

// TestSlowClients: connections that trickle their headers or body
// (slowloris) are closed after the read timeout and never keep others
// from being served.
func TestSlowClients(t *testing.T) {
	s := start(t, t.TempDir(), "--read-timeout-seconds", "2")
	addr := strings.TrimPrefix(s.url, "http://")
	const slow = 200
	conns := make([]net.Conn, 0, 2*slow)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < slow; i++ {
		for _, start := range []string{
			"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ",                           // headers never end
			"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nSELECT", // the body never ends
		} {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatalf("connection %d: %v", len(conns), err)
			}
			c.Write([]byte(start))
			conns = append(conns, c)
		}
	}
	stop := make(chan struct{})
	go func() { // trickle a byte now and then on every connection
		for {
			select {
			case <-stop:
				return
			case <-time.After(300 * time.Millisecond):
				for _, c := range conns {
					c.Write([]byte("a"))
				}
			}
		}
	}()
	defer close(stop)
	for i := 0; i < 20; i++ {
		start := time.Now()
		if got := s.scalar("SELECT 41 + 1"); got != "42" {
			t.Fatalf("query %d while %d slow clients hang on: %q", i, len(conns), got)
		}
		if took := time.Since(start); took > time.Second {
			t.Fatalf("a query took %v while slow clients hang on", took)
		}
	}
	// Past the read timeout every slow connection has been closed.
	time.Sleep(3 * time.Second)
	open := 0
	for _, c := range conns {
		c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		buf := make([]byte, 512)
		n, err := c.Read(buf)
		if err != nil && !errors.Is(err, io.EOF) && strings.Contains(err.Error(), "timeout") {
			open++ // no answer and no close: still held
		} else if n > 0 && !strings.Contains(string(buf[:n]), "408") && !strings.Contains(string(buf[:n]), "400") {
			t.Fatalf("a slow client got %q", buf[:n])
		}
	}
	if open > 0 {
		t.Fatalf("%d of %d slow connections still open after the read timeout", open, len(conns))
	}
}
