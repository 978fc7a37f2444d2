package clients

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// serverURL is the zeptodb the tests talk to, started by TestMain from
// the repository's own source.
var serverURL string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "zeptodb-clients-")
	if err != nil {
		panic(err)
	}
	bin := filepath.Join(dir, "zeptodb")
	build := exec.Command("go", "build", "-o", bin, "./cmd/zeptodb")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	srv := exec.Command(bin, "serve", "--port", fmt.Sprint(port), "--data-dir", filepath.Join(dir, "data"), "--ilp-port", "0")
	log, _ := os.Create(filepath.Join(dir, "server.log"))
	srv.Stdout, srv.Stderr = log, log
	if err := srv.Start(); err != nil {
		panic(err)
	}
	serverURL = fmt.Sprintf("http://127.0.0.1:%d", port)
	for i := 0; ; i++ {
		if resp, err := http.Get(serverURL + "/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if i > 300 {
			fmt.Fprintln(os.Stderr, "zeptodb did not become ready")
			os.Exit(1)
		}
		time.Sleep(20 * time.Millisecond)
	}
	code := m.Run()
	srv.Process.Kill()
	srv.Wait()
	if code != 0 {
		if b, err := os.ReadFile(filepath.Join(dir, "server.log")); err == nil {
			fmt.Fprintf(os.Stderr, "server log:\n%s", b)
		}
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// query runs SQL over the ClickHouse interface and returns the
// TabSeparated answer.
func query(t *testing.T, sql string) string {
	t.Helper()
	resp, err := http.Post(serverURL+"/", "text/plain", strings.NewReader(sql))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", sql, resp.StatusCode, b)
	}
	return string(b)
}
