package apptest

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const createTrades = "CREATE TABLE trades (ts TIMESTAMP, symbol SYMBOL, price DOUBLE, volume BIGINT) TIMESTAMP(ts) PARTITION BY DAY"

func TestQueryLifecycle(t *testing.T) {
	s := start(t, t.TempDir())
	s.mustPost(createTrades)
	r := s.mustPost("INSERT INTO trades VALUES (1762075800000000000, 'AAPL', 100.5, 10), (1762075860000000000, 'AAPL', 101, 20), (1762076200000000000, 'MSFT', 300, 5)")
	if r.Written != 3 {
		t.Fatalf("written_rows = %d", r.Written)
	}
	if got := s.scalar("SELECT vwap(price, volume) FROM trades WHERE symbol = 'AAPL'"); got != "100.83333333333333" {
		t.Fatalf("vwap = %s", got)
	}
	r = s.mustPost("SELECT xbar(ts, 300000000000) AS bar, first(price), last(price), sum(volume) FROM trades GROUP BY bar ORDER BY bar")
	if fmt.Sprint(r.Data) != "[[2025-11-02 09:30:00.000000000 100.5 101 30] [2025-11-02 09:35:00.000000000 300 300 5]]" {
		t.Fatalf("bars = %v", r.Data)
	}
	if r.Columns[0] != "bar" || r.Columns[1] != "first(price)" {
		t.Fatalf("columns = %v", r.Columns)
	}

	get := s.do(http.MethodGet, "/?query="+url.QueryEscape("SELECT count(*) FROM trades"), nil)
	if get.Status != 200 || fmt.Sprint(get.Data) != "[[3]]" {
		t.Fatalf("GET count = %d %v", get.Status, get.Data)
	}
	denied := s.do(http.MethodGet, "/?query="+url.QueryEscape("DROP TABLE trades"), nil)
	if denied.Status != 405 || denied.Header.Get("Allow") != "POST" {
		t.Fatalf("GET DROP = %d Allow=%q", denied.Status, denied.Header.Get("Allow"))
	}

	// Data survives a clean restart.
	s.stop()
	s = start(t, s.dataDir)
	if got := s.scalar("SELECT count(*) FROM trades"); got != "3" {
		t.Fatalf("count after restart = %s", got)
	}
	if got := s.scalar("SELECT sum(volume) FROM trades WHERE symbol = 'MSFT'"); got != "5" {
		t.Fatalf("MSFT volume after restart = %s", got)
	}
}

func TestEndpointsAndHeaders(t *testing.T) {
	s := start(t, t.TempDir())
	for path, want := range map[string]string{"/ping": "Ok.\n", "/health": `{"status":"ok"}` + "\n", "/ready": `{"status":"ready"}` + "\n"} {
		resp, err := http.Get(s.url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != want {
			t.Errorf("%s = %d %q", path, resp.StatusCode, body)
		}
		if resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("%s: no X-Request-Id", path)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, s.url+"/", strings.NewReader("SELECT 1"))
	req.Header.Set("X-Request-Id", "client-chosen-42")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-Id"); got != "client-chosen-42" {
		t.Fatalf("request id = %q", got)
	}
}

// TestBadInputChangesNothing sends every kind of bad statement and body and
// checks the error and that the table is unchanged.
func TestBadInputChangesNothing(t *testing.T) {
	s := start(t, t.TempDir(), "--max-body-size", "1MiB")
	s.mustPost(createTrades)
	s.mustPost("INSERT INTO trades VALUES (1, 'A', 1.5, 10)")
	cases := []struct {
		name   string
		sql    string
		status int
		code   string
		line   int
		col    int
	}{
		{"syntax", "SELECT price\nFROM trades\nWHERE price >", 400, "SYNTAX_ERROR", 3, 14},
		{"unknown table", "SELECT * FROM nope", 404, "UNKNOWN_TABLE", 1, 15},
		{"unknown column", "SELECT nope FROM trades", 404, "UNKNOWN_COLUMN", 1, 8}, // ClickHouse: UNKNOWN_IDENTIFIER is 404
		{"type mismatch", "INSERT INTO trades VALUES (2, 'B', 'expensive', 10)", 400, "TYPE_MISMATCH", 1, 36},
		{"wrong value count", "INSERT INTO trades VALUES (2, 'B', 1.0, 10), (3, 'C', 1.0)", 400, "WRONG_NUMBER_OF_VALUES", 0, 0},
		{"overflow literal", "INSERT INTO trades VALUES (99999999999999999999, 'B', 1.0, 10)", 400, "SYNTAX_ERROR", 1, 28},
		{"null timestamp", "INSERT INTO trades VALUES (NULL, 'B', 1.0, 10)", 400, "TYPE_MISMATCH", 0, 0},
		{"bad batch is whole", "INSERT INTO trades VALUES (5, 'B', 1.0, 10), (6, 'C', 1.0, 'x')", 400, "TYPE_MISMATCH", 0, 0},
		{"empty", "", 400, "EMPTY_QUERY", 0, 0},
		{"only spaces", "  \n ", 400, "EMPTY_QUERY", 0, 0},
		{"integer overflow", "SELECT 9223372036854775807 + 1", 400, "NUMBER_OUT_OF_RANGE", 0, 0},
		{"aggregate in where", "SELECT * FROM trades WHERE sum(price) > 1", 400, "NOT_AN_AGGREGATE", 1, 28},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := s.post(c.sql)
			if r.Status != c.status || r.Error == nil || r.Error.Code != c.code {
				t.Fatalf("HTTP %d %+v; want %d %s", r.Status, r.Error, c.status, c.code)
			}
			if c.line > 0 && (r.Error.Line != c.line || r.Error.Column != c.col) {
				t.Fatalf("position %d:%d, want %d:%d (%s)", r.Error.Line, r.Error.Column, c.line, c.col, r.Error.Message)
			}
		})
	}
	t.Run("non-UTF-8 body", func(t *testing.T) {
		r := s.do(http.MethodPost, "/", bytes.NewReader([]byte("SELECT '\xff\xfe'")))
		if r.Status != 400 || r.Error.Code != "BAD_ENCODING" {
			t.Fatalf("HTTP %d %+v", r.Status, r.Error)
		}
	})
	t.Run("body over the limit", func(t *testing.T) {
		big := "INSERT INTO trades VALUES " + strings.Repeat("(7, 'Z', 1.0, 1),", 200000) + "(7, 'Z', 1.0, 1)"
		r := s.do(http.MethodPost, "/", strings.NewReader(big))
		if r.Status != 413 || r.Error.Code != "BODY_TOO_LARGE" {
			t.Fatalf("HTTP %d %+v", r.Status, r.Error)
		}
	})
	t.Run("1 GiB body", func(t *testing.T) {
		body := io.LimitReader(repeatReader("(8, 'Z', 1.0, 1),"), 1<<30)
		req, _ := http.NewRequest(http.MethodPost, s.url+"/", io.MultiReader(strings.NewReader("INSERT INTO trades VALUES "), body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("1 GiB upload: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != 413 {
			t.Fatalf("HTTP %d, want 413", resp.StatusCode)
		}
	})
	t.Run("truncated upload", func(t *testing.T) {
		conn, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		body := "INSERT INTO trades VALUES (9, 'T', 1.0, 1), (10, 'T', 1.0, 1)"
		fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s", len(body)+100, body)
		conn.(*net.TCPConn).CloseWrite()
		io.ReadAll(conn)
		conn.Close()
	})
	if got := s.scalar("SELECT count(*) FROM trades"); got != "1" {
		t.Fatalf("bad input changed the table: count = %s", got)
	}
}

// repeatReader repeats s forever.
type repeatReader string

func (r repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], r)
	}
	return n, nil
}
