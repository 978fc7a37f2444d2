package clients

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// BenchmarkIngest sends the same trades through every text ingest path
// of the running server (wal_sync sync: each batch is durable before its
// answer), one 10,000-row batch per iteration, and reports rows/s:
//
//	go test -run XXX -bench Ingest -benchtime 100x ./clients/go
func BenchmarkIngest(b *testing.B) {
	const rows = 10000
	base := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC).UnixNano()
	batch := func(i int, line func(w *bytes.Buffer, ts int64, sym string, px float64, qty int64)) []byte {
		var w bytes.Buffer
		for r := range rows {
			n := int64(i*rows + r)
			line(&w, base+n*1000, fmt.Sprintf("S%03d", n%100), 100+float64(n%1000)/100, 1+n%500)
		}
		return w.Bytes()
	}
	post := func(b *testing.B, path string, body []byte) {
		resp, err := http.Post(serverURL+path, "text/plain", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			b.Fatalf("%s: %d %s", path, resp.StatusCode, msg)
		}
	}
	ts := func(ns int64) string { return time.Unix(0, ns).UTC().Format("2006-01-02 15:04:05.000000000") }
	paths := []struct {
		name, table, path string
		line              func(w *bytes.Buffer, ts int64, sym string, px float64, qty int64)
	}{
		{"values", "bv", "/?query=" + url.QueryEscape("INSERT INTO bv VALUES"), func(w *bytes.Buffer, t int64, s string, px float64, q int64) {
			if w.Len() > 0 {
				w.WriteByte(',')
			}
			fmt.Fprintf(w, "(%d,'%s',%g,%d)", t, s, px, q)
		}},
		{"jsoneachrow", "bj", "/?query=" + url.QueryEscape("INSERT INTO bj FORMAT JSONEachRow"), func(w *bytes.Buffer, t int64, s string, px float64, q int64) {
			fmt.Fprintf(w, `{"ts":"%s","sym":"%s","px":%g,"qty":%d}`+"\n", ts(t), s, px, q)
		}},
		{"csv", "bc", "/?query=" + url.QueryEscape("INSERT INTO bc FORMAT CSV"), func(w *bytes.Buffer, t int64, s string, px float64, q int64) {
			fmt.Fprintf(w, "\"%s\",%s,%g,%d\n", ts(t), s, px, q)
		}},
		{"tsv", "bt", "/?query=" + url.QueryEscape("INSERT INTO bt FORMAT TabSeparated"), func(w *bytes.Buffer, t int64, s string, px float64, q int64) {
			fmt.Fprintf(w, "%s\t%s\t%g\t%d\n", ts(t), s, px, q)
		}},
		{"ilp_http", "bl", "/api/v2/write", func(w *bytes.Buffer, t int64, s string, px float64, q int64) {
			fmt.Fprintf(w, "bl,sym=%s px=%g,qty=%di %d\n", s, px, q, t)
		}},
	}
	for _, p := range paths {
		if p.table != "bl" {
			post(b, "/", []byte("CREATE TABLE IF NOT EXISTS "+p.table+" (ts TIMESTAMP, sym SYMBOL, px DOUBLE, qty BIGINT)"))
		}
		b.Run(p.name, func(b *testing.B) {
			bodies := make([][]byte, b.N)
			for i := range bodies {
				bodies[i] = batch(i, p.line)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				post(b, p.path, bodies[i])
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
