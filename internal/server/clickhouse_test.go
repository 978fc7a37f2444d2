package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

type chCase struct {
	name               string
	method, path, body string
	header             map[string]string
	status             int
	want               string // the whole body, or a regexp when it starts with ^
	wantHeader         map[string]string
}

func (c chCase) run(t *testing.T, ts *httptest.Server) {
	t.Helper()
	req, _ := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader(c.body))
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gzip: the test sees the bytes
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: gzip: %v", c.name, err)
		}
		body, _ = io.ReadAll(zr)
	}
	ok := string(body) == c.want
	if strings.HasPrefix(c.want, "^") {
		ok = regexp.MustCompile(c.want).Match(body)
	}
	if resp.StatusCode != c.status || !ok {
		t.Errorf("%s: %s %s = %d %q; want %d %q", c.name, c.method, c.path, resp.StatusCode, body, c.status, c.want)
	}
	for k, v := range c.wantHeader {
		if got := resp.Header.Get(k); got != v && !(v == "*" && got != "") {
			t.Errorf("%s: header %s = %q, want %q", c.name, k, got, v)
		}
	}
	if resp.StatusCode >= 400 && resp.Header.Get("X-ClickHouse-Exception-Code") == "" {
		t.Errorf("%s: error without X-ClickHouse-Exception-Code", c.name)
	}
}

// TestClickHouseHTTP: the endpoints, formats, headers and errors
// ClickHouse's clients rely on (the compatibility notes' Tier 1).
func TestClickHouseHTTP(t *testing.T) {
	ts := newTestServer(t, true)
	gz := func(s string) string {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.String()
	}
	setup := []string{"CREATE TABLE t (ts TIMESTAMP, sym SYMBOL, px DOUBLE, qty BIGINT)",
		"INSERT INTO t VALUES ('2024-01-02 03:04:05', 'AAPL', 1.5, 10), ('2024-01-02 03:04:06', 'MSFT', 2.5, -3)"}
	for _, sql := range setup {
		chCase{name: sql, method: "POST", path: "/", body: sql, status: 200, want: ""}.run(t, ts)
	}
	const rows = "2024-01-02 03:04:05.000000000\tAAPL\t1.5\t10\n2024-01-02 03:04:06.000000000\tMSFT\t2.5\t-3\n"
	const eachRow = `{"ts":"2024-01-02 03:04:05.000000000","sym":"AAPL","px":1.5,"qty":"10"}` + "\n" + `{"ts":"2024-01-02 03:04:06.000000000","sym":"MSFT","px":2.5,"qty":"-3"}` + "\n"
	for _, c := range []chCase{
		{name: "ping", method: "GET", path: "/ping", status: 200, want: "Ok.\n"},
		{name: "root", method: "GET", path: "/", status: 200, want: "Ok.\n"},
		{name: "replicas", method: "GET", path: "/replicas_status", status: 200, want: "Ok.\n"},
		{name: "GET query", method: "GET", path: "/?query=SELECT%201&query_id=q-1", status: 200, want: "1\n",
			wantHeader: map[string]string{"Content-Type": "text/tab-separated-values; charset=UTF-8", "X-ClickHouse-Query-Id": "q-1", "X-ClickHouse-Format": "TabSeparated", "X-ClickHouse-Timezone": "UTC"}},
		{name: "query id made up", method: "GET", path: "/?query=SELECT%201", status: 200, want: "1\n", wantHeader: map[string]string{"X-ClickHouse-Query-Id": "*"}},
		{name: "GET write", method: "GET", path: "/?query=CREATE%20TABLE%20x%20(a%20BIGINT)", status: 405, want: `^Code: 164\. DB::Exception: .*\(READONLY\) \(version dev\)\n$`,
			wantHeader: map[string]string{"X-ClickHouse-Exception-Code": "164", "Allow": "POST"}},
		{name: "query and body", method: "POST", path: "/?query=SELECT", body: "count(*) FROM t", status: 200, want: "2\n"},
		{name: "TSV", method: "POST", path: "/", body: "SELECT * FROM t ORDER BY ts", status: 200, want: rows},
		{name: "FORMAT clause", method: "POST", path: "/", body: "SELECT * FROM t ORDER BY ts \nFORMAT JSONEachRow", status: 200, want: eachRow,
			wantHeader: map[string]string{"Content-Type": "application/x-ndjson; charset=UTF-8", "X-ClickHouse-Format": "JSONEachRow"}},
		{name: "default_format", method: "POST", path: "/?default_format=JSONEachRow", body: "SELECT * FROM t ORDER BY ts", status: 200, want: eachRow},
		{name: "format header", method: "POST", path: "/", header: map[string]string{"X-ClickHouse-Format": "JSONEachRow"}, body: "SELECT * FROM t ORDER BY ts", status: 200, want: eachRow},
		{name: "clause wins", method: "POST", path: "/?default_format=CSV", body: "SELECT * FROM t ORDER BY ts FORMAT TSV", status: 200, want: rows},
		{name: "unquoted Int64", method: "POST", path: "/?default_format=JSONEachRow&output_format_json_quote_64bit_integers=0", body: "SELECT qty FROM t ORDER BY ts", status: 200, want: "{\"qty\":10}\n{\"qty\":-3}\n"},
		{name: "limit setting", method: "POST", path: "/?limit=1", body: "SELECT qty FROM t ORDER BY ts", status: 200, want: "10\n"},
		{name: "unknown settings tolerated", method: "POST", path: "/?send_progress_in_http_headers=1&max_threads=4&param_x=1", body: "SELECT 1", status: 200, want: "1\n"},
		{name: "SETTINGS clause", method: "POST", path: "/", body: "SELECT 1 SETTINGS max_execution_time = 10", status: 200, want: "1\n"},
		{name: "gzip body", method: "POST", path: "/?query=SELECT", header: map[string]string{"Content-Encoding": "gzip"}, body: gz("count(*) FROM t"), status: 200, want: "2\n"},
		{name: "gzip answer asked", method: "POST", path: "/?enable_http_compression=1", header: map[string]string{"Accept-Encoding": "gzip"}, body: "SELECT 1", status: 200, want: "1\n",
			wantHeader: map[string]string{"Content-Encoding": "gzip"}},
		{name: "gzip answer not asked", method: "POST", path: "/", header: map[string]string{"Accept-Encoding": "gzip"}, body: "SELECT 1", status: 200, want: "1\n",
			wantHeader: map[string]string{"Content-Encoding": ""}},
		{name: "DDL answers empty", method: "POST", path: "/", body: "CREATE TABLE u (ts TIMESTAMP)", status: 200, want: ""},
		{name: "unknown table", method: "POST", path: "/", body: "SELECT * FROM nosuch", status: 404, want: `^Code: 60\. DB::Exception: .*nosuch.*\. \(UNKNOWN_TABLE\) \(version dev\)\n$`,
			wantHeader: map[string]string{"X-ClickHouse-Exception-Code": "60", "Content-Type": "text/plain; charset=UTF-8", "X-ZeptoDB-Error-Code": "UNKNOWN_TABLE"}},
		{name: "syntax error", method: "POST", path: "/", body: "SELEC 1", status: 400, want: `^Code: 62\. DB::Exception: syntax error at line 1, column 1.*\(SYNTAX_ERROR\)`},
		{name: "unknown format", method: "POST", path: "/", body: "SELECT 1 FORMAT Nope", status: 404, want: `^Code: 73\. .*\(UNKNOWN_FORMAT\)`},
		{name: "unknown default format", method: "POST", path: "/?default_format=Nope", body: "CREATE TABLE never (ts TIMESTAMP)", status: 404, want: `^Code: 73\.`},
		{name: "unknown function", method: "POST", path: "/", body: "SELECT nosuchfn()", status: 404, want: `^Code: 46\. .*\(UNKNOWN_FUNCTION\)`},
		{name: "multi-statement", method: "POST", path: "/", body: "SELECT 1; SELECT 2", status: 400, want: `^Code: 62\.`},
		{name: "too large", method: "POST", path: "/", body: strings.Repeat("x", 2000), status: 413, want: `^Code: 229\. .*\(QUERY_IS_TOO_LARGE\)`},
		{name: "gzip bomb", method: "POST", path: "/", header: map[string]string{"Content-Encoding": "gzip"}, body: gz("SELECT '" + strings.Repeat("a", 5000) + "'"), status: 413, want: `^Code: 229\.`},
		{name: "bad gzip", method: "POST", path: "/", header: map[string]string{"Content-Encoding": "gzip"}, body: "SELECT 1", status: 400, want: `^Code: 33\.`},
		{name: "empty POST", method: "POST", path: "/", body: "", status: 400, want: `^Code: 62\. DB::Exception: empty query`},
		{name: "method", method: "PUT", path: "/", body: "SELECT 1", status: 405, want: `^Code: 1002\. DB::Exception: METHOD_NOT_ALLOWED: PUT`},
		{name: "any path", method: "POST", path: "/grafana/path", body: "SELECT 1", status: 200, want: "1\n"},
		{name: "query parameter", method: "POST", path: "/?param_a=41", body: "SELECT {a:UInt32} + 1 AS v FORMAT JSONEachRow", status: 200, want: "{\"v\":\"42\"}\n"},
		{name: "string parameter", method: "POST", path: "/?param_s=AA%27PL&param_n=%5CN", body: "SELECT {s:String}, {n:Nullable(String)}", status: 200, want: "AA\\'PL\t\\N\n"},
		{name: "parameters in GET", method: "GET", path: "/?param_q=MSFT&query=" + url.QueryEscape("SELECT count(*) FROM t WHERE sym = {q:String}"), status: 200, want: "1\n"},
		{name: "missing parameter", method: "POST", path: "/?param_x=1", body: "SELECT {y:UInt8}", status: 400, want: `^Code: 456\.`},
		{name: "bad parameter", method: "POST", path: "/?param_x=1%3B", body: "SELECT {x:UInt8}", status: 400, want: `^Code: 457\.`},
	} {
		c.run(t, ts)
	}
	// The summary is JSON with string values; written_rows counts an insert.
	resp, err := http.Post(ts.URL+"/", "", strings.NewReader("INSERT INTO t VALUES ('2024-01-02 03:04:07', 'A', 1, 1), ('2024-01-02 03:04:08', 'A', 1, 1)"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var sum map[string]string
	if err := json.Unmarshal([]byte(resp.Header.Get("X-ClickHouse-Summary")), &sum); err != nil || sum["written_rows"] != "2" {
		t.Fatalf("summary %q: %v", resp.Header.Get("X-ClickHouse-Summary"), err)
	}
}

// TestFormatRoundTrips: what SELECT ... FORMAT F writes, INSERT ... FORMAT
// F reads back unchanged, for every text format both ways.
func TestFormatRoundTrips(t *testing.T) {
	ts := newTestServer(t, true)
	post := func(path, body string, header map[string]string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(body))
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	const schema = "(ts TIMESTAMP, sym SYMBOL, px DOUBLE, qty BIGINT, n INT, f FLOAT, ok BOOL, note STRING)"
	post("/", "CREATE TABLE src "+schema, nil)
	if code, body := post("/", `INSERT INTO src VALUES ('2024-01-02 03:04:05', 'AAPL', 1.5, 10, 1, 0.25, true, 'plain'),
		('2024-01-02 03:04:06.123456789', 'MS"FT', -2.5e-7, -9223372036854775807, -2147483648, 3.5, false, NULL),
		('2024-01-02 03:04:07', 'é\t€', 1e21, 0, 7, -1, true, 'tab	quote'' back\\slash "dq" line
break')`, nil); code != 200 {
		t.Fatalf("insert: %d %s", code, body)
	}
	_, want := post("/", "SELECT * FROM src ORDER BY ts FORMAT TSV", nil)
	if strings.Count(want, "\n") != 3 {
		t.Fatalf("source rows: %q", want)
	}
	for i, f := range []string{"TabSeparated", "TabSeparatedWithNames", "TabSeparatedWithNamesAndTypes", "CSV", "CSVWithNames",
		"JSONEachRow", "JSONCompactEachRow", "JSONCompactEachRowWithNames", "JSONCompactEachRowWithNamesAndTypes"} {
		code, data := post("/", "SELECT * FROM src ORDER BY ts FORMAT "+f, nil)
		if code != 200 {
			t.Fatalf("%s: %d %s", f, code, data)
		}
		dst := fmt.Sprintf("dst%d", i)
		post("/", "CREATE TABLE "+dst+" "+schema, nil)
		var header map[string]string
		if i%2 == 1 { // as clickhouse-go and Node send compressed inserts
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write([]byte(data))
			zw.Close()
			data, header = b.String(), map[string]string{"Content-Encoding": "gzip"}
		}
		if code, body := post("/?query="+url.QueryEscape("INSERT INTO "+dst+" FORMAT "+f), data, header); code != 200 {
			t.Fatalf("INSERT FORMAT %s: %d %s", f, code, body)
		}
		if _, got := post("/", "SELECT * FROM "+dst+" ORDER BY ts FORMAT TSV", nil); got != want {
			t.Errorf("%s round trip:\n got %q\nwant %q", f, got, want)
		}
	}
	// The compatibility notes' T1-04: a JSONEachRow body with a NULL, an
	// Int64 sent as a string, nanoseconds; the summary counts the rows.
	post("/", "CREATE TABLE ticks (ts TIMESTAMP, sym SYMBOL, px DOUBLE, qty BIGINT, note STRING)", nil)
	req, _ := http.NewRequest("POST", ts.URL+"/?query="+url.QueryEscape("INSERT INTO ticks FORMAT JSONEachRow"), io.MultiReader( // chunked
		strings.NewReader(`{"ts":"2024-01-02 03:04:05","sym":"AAPL","px":1.5,"qty":10,"note":null}`+"\n"),
		strings.NewReader(`{"ts":"2024-01-02 03:04:06","sym":"AAPL","px":1.5,"qty":"10","note":"x"}`+"\n"),
		strings.NewReader(`{"ts":"2024-01-02 03:04:05.123456789","sym":"MSFT","px":2,"qty":-3}`+"\n")))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("X-ClickHouse-Summary"), `"written_rows":"3"`) {
		t.Fatalf("T1-04: %d %s", resp.StatusCode, resp.Header.Get("X-ClickHouse-Summary"))
	}
	if _, got := post("/", "SELECT ts, qty, note FROM ticks ORDER BY ts FORMAT CSV", nil); got != "\"2024-01-02 03:04:05.000000000\",10,\\N\n\"2024-01-02 03:04:05.123456789\",-3,\\N\n\"2024-01-02 03:04:06.000000000\",10,\"x\"\n" {
		t.Errorf("T1-04 rows: %q", got)
	}
	// A bad row refuses the whole body.
	if code, body := post("/?query="+url.QueryEscape("INSERT INTO ticks FORMAT JSONEachRow"), `{"ts":"2024-01-02 03:04:09","qty":1}`+"\n"+`{"ts":"2024-01-02 03:04:10","qty":"x"}`, nil); code != 400 ||
		!strings.HasPrefix(body, "Code: 27.") || !strings.Contains(body, "row 2, column qty") {
		t.Errorf("bad row: %d %s", code, body)
	}
	if _, got := post("/", "SELECT count(*) FROM ticks", nil); got != "3\n" {
		t.Errorf("after the refused body: %q rows", got)
	}
	if code, body := post("/?query="+url.QueryEscape("INSERT INTO ticks FORMAT Parquet9"), "x", nil); code != 404 || !strings.HasPrefix(body, "Code: 73.") {
		t.Errorf("unknown input format: %d %s", code, body)
	}
}
