package apptest

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestKillQuery: a running statement shows in system.processes under its
// query_id, KILL QUERY cancels it, and its client gets ClickHouse's
// QUERY_WAS_CANCELLED at once.
func TestKillQuery(t *testing.T) {
	s := start(t, filepath.Join(t.TempDir(), "data"))
	s.mustPost("CREATE TABLE t (ts TIMESTAMP, v BIGINT)")
	var rows []string
	for i := range 3000 {
		rows = append(rows, fmt.Sprintf("(%d, %d)", i, i))
	}
	s.mustPost("INSERT INTO t VALUES " + strings.Join(rows, ","))
	type answer struct {
		code int
		body string
		took time.Duration
	}
	done := make(chan answer, 1)
	go func() {
		start := time.Now()
		resp, err := http.Post(s.url+"/?query_id=slow-1", "text/plain", strings.NewReader("SELECT count(*) FROM t x CROSS JOIN t y CROSS JOIN t z")) // 2.7e10 rows
		if err != nil {
			done <- answer{-1, err.Error(), time.Since(start)}
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		done <- answer{resp.StatusCode, string(body), time.Since(start)}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := s.post("SELECT query_id, user FROM system.processes WHERE query_id = 'slow-1'")
		if r.Rows == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("slow-1 never showed in system.processes: %+v", r)
		}
		time.Sleep(20 * time.Millisecond)
	}
	killed := time.Now()
	r := s.post("KILL QUERY WHERE query_id = 'slow-1'")
	if r.Status != 200 || r.Rows != 1 || fmt.Sprint(r.Data[0][0]) != "finished" {
		t.Fatalf("KILL QUERY: %+v", r)
	}
	select {
	case a := <-done:
		if a.code != 400 || !strings.HasPrefix(a.body, "Code: 394.") || !strings.Contains(a.body, "QUERY_WAS_CANCELLED") {
			t.Fatalf("killed statement answered %d %s", a.code, a.body)
		}
		t.Logf("answered %v after KILL QUERY", time.Since(killed))
	case <-time.After(5 * time.Second):
		t.Fatal("the killed statement still runs 5 s later")
	}
	if r := s.post("KILL QUERY WHERE query_id = 'slow-1'"); r.Status != 200 || r.Rows != 0 {
		t.Fatalf("killing it again: %+v", r)
	}
	if got := s.scalar("SELECT count(*) FROM system.processes WHERE query LIKE '%system.processes%'"); got != "1" {
		t.Fatalf("system.processes lists itself %s times", got)
	}
}
