package server

import (
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/zeptodb/zeptodb/internal/engine"
	"github.com/zeptodb/zeptodb/internal/sql/exec"
	"github.com/zeptodb/zeptodb/internal/vfs"
	"github.com/zeptodb/zeptodb/internal/wal"
)

func TestAppendJSONString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":          `"plain"`,
		"q\"b\\":         `"q\"b\\"`,
		"line\nbreak\t":  `"line\nbreak\t"`,
		"\x01":           `"\u0001"`,
		"héllo €":        `"héllo €"`,
		"bad\xffutf8":    `"bad\ufffdutf8"`,
		"":               `""`,
		"</script>&amp;": `"</script>&amp;"`,
	} {
		got := string(appendJSONString(nil, in))
		if got != want {
			t.Errorf("appendJSONString(%q) = %s, want %s", in, got, want)
		}
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Errorf("%s is not valid JSON: %v", got, err)
		}
	}
}

func TestAppendFloat(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{{1.5, "1.5"}, {-0.25, "-0.25"}, {1e21, "1e+21"}, {math.NaN(), "null"}, {math.Inf(1), "null"}, {100, "100"}} {
		if got := string(appendFloat(nil, c.f)); got != c.want {
			t.Errorf("appendFloat(%v) = %s, want %s", c.f, got, c.want)
		}
	}
}

func newTestServer(t *testing.T, ready bool) *httptest.Server {
	s := New(Options{MaxBodyBytes: 1024, Logger: slog.New(slog.DiscardHandler)})
	if ready {
		eng, err := engine.Open(engine.Options{Dir: t.TempDir(), WALSync: wal.SyncNone, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { eng.Close() })
		s.SetExecutor(exec.New(eng, exec.Options{}))
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func TestNotReadyDuringRecovery(t *testing.T) {
	ts := newTestServer(t, false)
	for path, want := range map[string]int{"/ready": 503, "/health": 200, "/ping": 200, "/?query=SELECT+1": 503} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s = %d, want %d", path, resp.StatusCode, want)
		}
	}
}

func TestQueryResponses(t *testing.T) {
	ts := newTestServer(t, true)
	cases := []struct {
		method, path, body string
		status             int
		contains           string
	}{
		{"POST", "/", "SELECT 1 AS one, 'x' AS s, NULL AS n, 2.5 AS f", 200, `"data":[[1,"x",null,2.5]],"rows":1`},
		{"GET", "/?query=SELECT+1", "", 200, `"columns":["1"]`},
		{"POST", "/?query=SELECT", " 2", 200, `"data":[[2]]`},
		{"PUT", "/", "SELECT 1", 405, "METHOD_NOT_ALLOWED"},
		{"POST", "/", strings.Repeat("x", 2000), 413, "BODY_TOO_LARGE"},
		{"POST", "/", "", 400, "EMPTY_QUERY"},
		{"POST", "/nope", "SELECT 1", 404, "NOT_FOUND"},
		{"POST", "/", "SELECT (1", 400, `"line":1,"column":10`},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader(c.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || !strings.Contains(string(body), c.contains) {
			t.Errorf("%s %s %q = %d %s; want %d containing %s", c.method, c.path, c.body, resp.StatusCode, body, c.status, c.contains)
		}
		if !json.Valid(body) {
			t.Errorf("%s %s: invalid JSON %s", c.method, c.path, body)
		}
	}
}

// TestWALFailureTakesNodeOutOfRotation fails the WAL's fsync: the write
// gets a 500 and /ready turns 503 so a load balancer stops sending
// traffic, while reads still answer.
func TestWALFailureTakesNodeOutOfRotation(t *testing.T) {
	var fail atomic.Bool
	fs := &vfs.Faulty{FS: vfs.NewMemFS(), Hook: func(op vfs.Op, _ string) error {
		if fail.Load() && op == vfs.OpSync {
			return syscall.EIO
		}
		return nil
	}}
	eng, err := engine.Open(engine.Options{Dir: "/data", FS: fs, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	s := New(Options{Logger: slog.New(slog.DiscardHandler)})
	s.SetExecutor(exec.New(eng, exec.Options{}))
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	post := func(sql string) (int, string) {
		resp, err := http.Post(ts.URL+"/", "text/plain", strings.NewReader(sql))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := post("CREATE TABLE t (ts TIMESTAMP, v BIGINT)"); code != 200 {
		t.Fatalf("create: %d %s", code, body)
	}
	fail.Store(true)
	if code, body := post("INSERT INTO t VALUES (1, 1)"); code != 500 || !strings.Contains(body, "input/output error") {
		t.Fatalf("insert with failing fsync: %d %s", code, body)
	}
	resp, err := http.Get(ts.URL + "/ready")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(string(body), `"status":"failed"`) {
		t.Fatalf("/ready after WAL failure: %d %s", resp.StatusCode, body)
	}
	if code, body := post("SELECT count(*) FROM t"); code != 200 || !strings.Contains(body, `"data":[[0]]`) {
		t.Fatalf("read after WAL failure: %d %s", code, body)
	}
}
