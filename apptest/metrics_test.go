package apptest

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestMetrics checks /metrics in the Prometheus text format: the server
// gauges, and TTL counters moving after ALTER TABLE ... SET TTL drops a
// partition.
func TestMetrics(t *testing.T) {
	s := start(t, t.TempDir())
	s.mustPost(createTrades)
	s.mustPost("INSERT INTO trades VALUES ('2000-01-01 10:00:00', 'A', 1.5, 1), ('2100-01-01 10:00:00', 'A', 2.5, 2)")
	s.mustPost("ALTER TABLE trades SET TTL 30 DAYS")
	s.mustPost("SELECT count(*) FROM trades")
	if r := s.post("INSERT INTO trades VALUES ('2100-01-02 10:00:00', 'A', 'not a price', 3)"); r.Status != 400 {
		t.Fatalf("bad insert: %d", r.Status)
	}
	resp, err := http.Get(s.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`zepto_server_up 1`, `zepto_server_ready 1`, `zepto_ttl_reclaimed_rows_total 1`, `zepto_ttl_reclaimed_partitions_total 1`,
		`zepto_memory_sealed_budget_bytes 1.073741824e+09`, `zepto_hdb_corruption_errors_total 0`,
		`zepto_ticks_ingested_total 2`, `zepto_queries_executed_total 4`, `zepto_queries_failed_total 1`, `zepto_rows_scanned_total 1`,
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("missing %q", want)
		}
	}
	if !regexp.MustCompile(`(?m)^zepto_memory_hot_bytes [1-9]`).MatchString(text) {
		t.Error("zepto_memory_hot_bytes is not positive with a row in memory")
	}
}
