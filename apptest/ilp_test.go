package apptest

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLineProtocolTCP: lines over TCP land in their tables; a client that
// disconnects in the middle of a line loses only that line and the
// server goes on; a bad line is dropped and counted.
func TestLineProtocolTCP(t *testing.T) {
	ilp := freePort(t)
	s := start(t, filepath.Join(t.TempDir(), "data"), "--ilp-port", fmt.Sprint(ilp))
	addr := fmt.Sprintf("127.0.0.1:%d", ilp)
	send := func(data string, closeWrite bool) {
		t.Helper()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(c, data); err != nil {
			t.Fatal(err)
		}
		if closeWrite {
			c.(*net.TCPConn).CloseWrite()
			io.Copy(io.Discard, c) // the server closes when done
		}
		c.Close()
	}
	var b strings.Builder
	for i := range 25000 { // more than one batch
		fmt.Fprintf(&b, "ticks,sym=S%d px=%d.5,qty=%di %d\n", i%7, i, i, 1704164645000000000+int64(i))
	}
	send(b.String(), true)
	send("ticks,sym=CUT px=1.5,qty=1i 1704164700000000000\nticks,sym=CUT px=2.5,qty=2", false) // cut mid-line
	send("ticks,sym=BAD px=oops 1\nticks,sym=OK px=3.5,qty=3i 1704164800000000000\n", true)

	wait := func(sql, want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			r := s.post(sql)
			if r.Status == 200 && len(r.Data) == 1 && fmt.Sprint(r.Data[0]) == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d %v, want %s", sql, r.Status, r.Data, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	wait("SELECT count(*), sum(qty) FROM ticks WHERE sym LIKE 'S%'", "[25000 312487500]")
	wait("SELECT count(*), sum(qty) FROM ticks WHERE sym = 'CUT'", "[1 1]") // the whole first line only
	wait("SELECT count(*) FROM ticks WHERE sym IN ('BAD', 'OK')", "[1]")
	resp, err := http.Get(s.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), "zepto_ticks_dropped_total 1\n") || !strings.Contains(string(metrics), "zepto_ticks_ingested_total 25002\n") {
		t.Errorf("metrics:\n%s", grepLines(string(metrics), "zepto_ticks"))
	}
	s.stop() // shuts down cleanly with the listener open
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
