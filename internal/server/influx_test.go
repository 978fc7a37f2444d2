package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/sql/exec"
	"github.com/zeptodb/zeptodb/internal/wal"
)

func newLineServer(t *testing.T, autoCreate bool) *httptest.Server {
	s := New(Options{Logger: slog.New(slog.DiscardHandler), LineAutoCreate: autoCreate})
	eng, err := engine.Open(engine.Options{Dir: t.TempDir(), WALSync: wal.SyncNone, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	s.SetExecutor(exec.New(eng, exec.Options{CacheSize: 100}))
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// TestLineProtocolHTTP: /write and /api/v2/write create tables from
// measurements, add columns for new tags and fields, take every
// precision, and answer a partial write in InfluxDB's shape.
func TestLineProtocolHTTP(t *testing.T) {
	ts := newLineServer(t, true)
	send := func(path, body string, gz bool) (int, string) {
		t.Helper()
		var rd io.Reader = strings.NewReader(body)
		req, _ := http.NewRequest("POST", ts.URL+path, nil)
		if gz {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write([]byte(body))
			zw.Close()
			rd = &b
			req.Header.Set("Content-Encoding", "gzip")
		}
		req.Body = io.NopCloser(rd)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(out)
	}
	query := func(sql string) string {
		t.Helper()
		resp, err := http.Post(ts.URL+"/", "", strings.NewReader(sql))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return string(out)
	}
	if code, body := send("/api/v2/write?bucket=default&org=x&precision=ns",
		"trades,sym=AAPL,venue=XNAS price=227.5,size=100i 1704164645000000000\n"+
			"trades,sym=MSFT price=411.25,size=50i,odd=true 1704164646000000000\n# a comment\n\n", false); code != 204 {
		t.Fatalf("v2 write: %d %s", code, body)
	}
	if got := query("SELECT timestamp, sym, venue, price, size, odd FROM trades ORDER BY timestamp"); got !=
		"2024-01-02 03:04:05.000000000\tAAPL\tXNAS\t227.5\t100\t\\N\n2024-01-02 03:04:06.000000000\tMSFT\t\\N\t411.25\t50\ttrue\n" {
		t.Errorf("rows: %q", got)
	}
	if got := query("DESCRIBE trades FORMAT TSV"); !strings.Contains(got, "timestamp\tDateTime64(9, \\'UTC\\')\t\t\tdesignated timestamp") || !strings.Contains(got, "sym\tLowCardinality(String)\t\t\tdesignated symbol") {
		t.Errorf("schema:\n%s", got)
	}
	// v1, seconds, gzip, a new field (a column is added), and lines that
	// do not fit: a string where price is a float, and a bad line.
	code, body := send("/write?db=default&precision=s", "trades,sym=AAPL price=228,note=\"late fill\" 1704164647\n"+
		"trades,sym=AAPL price=\"x\" 1704164648\n"+
		"trades,sym=AAPL price=\n"+
		"quotes,sym=AAPL bid=227.4,ask=227.6 1704164647\n", true)
	var v1 struct{ Error string }
	if code != 400 || json.Unmarshal([]byte(body), &v1) != nil || !strings.Contains(v1.Error, "partial write: 2 points written, 2 lines refused; line 2:") || !strings.Contains(v1.Error, "dropped=2") {
		t.Fatalf("v1 partial write: %d %s", code, body)
	}
	if got := query("SELECT price, note FROM trades WHERE timestamp = '2024-01-02 03:04:07'"); got != "228\tlate fill\n" {
		t.Errorf("evolved row: %q", got)
	}
	if got := query("SELECT count(*) FROM quotes"); got != "1\n" {
		t.Errorf("quotes: %q", got)
	}
	code, body = send("/api/v2/write?bucket=b&precision=ms", "m f=1i 1704164645123\nm f=1.5 1704164645124\n", false)
	var v2 struct {
		Code, Message string
		Line          int
	}
	if code != 400 || json.Unmarshal([]byte(body), &v2) != nil || v2.Code != "invalid" || v2.Line != 2 || !strings.Contains(v2.Message, "float value does not fit the column's type INT64") {
		t.Fatalf("v2 partial write: %d %s", code, body)
	}
	if got := query("SELECT timestamp, f FROM m"); got != "2024-01-02 03:04:05.123000000\t1\n" {
		t.Errorf("ms precision: %q", got)
	}
	if code, body := send("/api/v2/write?precision=d", "m f=1i", false); code != 400 || !strings.Contains(body, "unknown precision") {
		t.Errorf("bad precision: %d %s", code, body)
	}
	if code, _ := send("/write", "weird-name.x,tag-1=a value.1=1i 1", false); code != 204 {
		t.Errorf("names made valid: %d", code)
	}
	if got := query("SELECT tag_1, value_1 FROM weird_name_x"); got != "a\t1\n" {
		t.Errorf("made-valid names: %q", got)
	}
}

func TestLineProtocolWithoutAutoCreate(t *testing.T) {
	ts := newLineServer(t, false)
	resp, err := http.Post(ts.URL+"/api/v2/write", "", strings.NewReader("m f=1i 1"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "ilp_auto_create is off") {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}
