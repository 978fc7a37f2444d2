package apptest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	binary    string
	buildOnce sync.Once
	buildErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "zeptodb-apptest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "zeptodb")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildBinary builds zeptodb once per test run. It runs inside a test, not
// in TestMain, so that the source files it consults are recorded in the
// test log and the go command's test cache re-runs these tests whenever
// the server's code changes.
func buildBinary(t *testing.T) {
	buildOnce.Do(func() {
		touchSources()
		build := exec.Command("go", "build", "-o", binary, "../cmd/zeptodb")
		out, err := build.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("build zeptodb: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
}

// touchSources opens every Go source of the server, so that they count
// as inputs of the test run.
func touchSources() {
	filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "bench" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".go") || d.Name() == "go.mod" || d.Name() == "go.sum") {
			f, err := os.Open(path)
			if err == nil {
				f.Close()
			}
		}
		return nil
	})
}

// server is a running zeptodb process.
type server struct {
	t       *testing.T
	cmd     *exec.Cmd
	url     string
	dataDir string
	log     *lockedBuffer
	exited  chan struct{}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// start runs zeptodb serve on dataDir and waits until it is ready.
func start(t *testing.T, dataDir string, args ...string) *server {
	t.Helper()
	s, err := tryStart(t, dataDir, args...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func tryStart(t *testing.T, dataDir string, args ...string) (*server, error) {
	buildBinary(t)
	port := freePort(t)
	all := append([]string{"serve", "--port", fmt.Sprint(port), "--data-dir", dataDir}, args...)
	if !slices.Contains(args, "--ilp-port") {
		all = append(all, "--ilp-port", "0") // tests run servers side by side: no shared default port
	}
	s := &server{t: t, url: fmt.Sprintf("http://127.0.0.1:%d", port), dataDir: dataDir, log: &lockedBuffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(binary, all...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() { s.kill() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return nil, fmt.Errorf("zeptodb exited during start: %v\n%s", s.cmd.ProcessState, s.log)
		default:
		}
		if resp, err := http.Get(s.url + "/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s, nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil, fmt.Errorf("zeptodb not ready in time\n%s", s.log)
}

func (s *server) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
}

// stop sends SIGTERM and checks a clean exit.
func (s *server) stop() {
	s.t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		s.t.Fatal("zeptodb did not stop on SIGTERM")
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		s.t.Fatalf("exit code %d after SIGTERM\n%s", code, s.log)
	}
}

// result is a decoded response: the server's JSONCompact for a result
// (64-bit integers as numbers), the summary's written rows, and for an
// error ZeptoDB's code (X-ZeptoDB-Error-Code), the message and the
// position it names.
type result struct {
	Status  int
	Header  http.Header
	Columns []string
	Types   []string
	Data    [][]any
	Rows    int
	Written int64
	Error   *struct {
		Code, Message string
		Line, Column  int
	}
}

func (s *server) post(sql string) result {
	s.t.Helper()
	return s.do(http.MethodPost, "/", strings.NewReader(sql))
}

var errorPosition = regexp.MustCompile(`at line (\d+), column (\d+)`)

func (s *server) do(method, path string, body io.Reader) result {
	s.t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	req, err := http.NewRequest(method, s.url+path+sep+"default_format=JSONCompact&output_format_json_quote_64bit_integers=0", body)
	if err != nil {
		s.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := result{Status: resp.StatusCode, Header: resp.Header}
	var sum struct {
		Written int64 `json:"written_rows,string"`
	}
	if h := resp.Header.Get("X-ClickHouse-Summary"); h != "" {
		if err := json.Unmarshal([]byte(h), &sum); err != nil {
			s.t.Fatalf("%s %s: bad X-ClickHouse-Summary %q: %v", method, path, h, err)
		}
		r.Written = sum.Written
	}
	if code := resp.Header.Get("X-ZeptoDB-Error-Code"); code != "" {
		r.Error = &struct {
			Code, Message string
			Line, Column  int
		}{Code: code, Message: string(raw)}
		if m := errorPosition.FindStringSubmatch(string(raw)); m != nil {
			r.Error.Line, _ = strconv.Atoi(m[1])
			r.Error.Column, _ = strconv.Atoi(m[2])
		}
		return r
	}
	if len(raw) == 0 {
		return r // a statement without a result
	}
	var doc struct {
		Meta []struct{ Name, Type string }
		Data [][]any
		Rows int
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		s.t.Fatalf("%s %s: bad JSON %q: %v", method, path, raw, err)
	}
	for _, m := range doc.Meta {
		r.Columns, r.Types = append(r.Columns, m.Name), append(r.Types, m.Type)
	}
	r.Data, r.Rows = doc.Data, doc.Rows
	return r
}

// mustPost runs a statement that must succeed.
func (s *server) mustPost(sql string) result {
	s.t.Helper()
	r := s.post(sql)
	if r.Status != 200 || r.Error != nil {
		s.t.Fatalf("%s: HTTP %d %+v", sql, r.Status, r.Error)
	}
	return r
}

// scalar runs a one-value query.
func (s *server) scalar(sql string) string {
	s.t.Helper()
	r := s.mustPost(sql)
	if r.Rows != 1 || len(r.Data[0]) != 1 {
		s.t.Fatalf("%s: %d rows", sql, r.Rows)
	}
	return fmt.Sprint(r.Data[0][0])
}

// waitLog waits up to 5 s for the server's output to contain want: a line
// the server wrote before answering may still be in the pipe.
func (s *server) waitLog(want string) bool {
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(s.log.String(), want) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// lockedBuffer collects a child's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
