package server

import (
	"io"
	"log/slog"
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

func newTestServer(t *testing.T, ready bool) *httptest.Server {
	s := New(Options{MaxBodyBytes: 1024, Logger: slog.New(slog.DiscardHandler)})
	if ready {
		eng, err := engine.Open(engine.Options{Dir: t.TempDir(), WALSync: wal.SyncNone, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { eng.Close() })
		s.SetExecutor(exec.New(eng, exec.Options{CacheSize: 1000})) // the server's default: cached answers take their own path
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
	if code, body := post("SELECT count(*) FROM t"); code != 200 || body != "0\n" {
		t.Fatalf("read after WAL failure: %d %s", code, body)
	}
}
