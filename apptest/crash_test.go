package apptest

import (
	"fmt"
	"math/rand"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestKill9DuringConcurrentInserts kills the server with SIGKILL while
// several clients insert, restarts it, and checks after every round that
// every acknowledged row is there exactly once. Rows carry unique ids in
// the volume column.
func TestKill9DuringConcurrentInserts(t *testing.T) {
	const rounds, nWriters, batch = 20, 4, 50
	dir := t.TempDir()
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	s := start(t, dir)
	s.mustPost(createTrades)
	acked := map[int64]bool{}
	nextID := int64(0)
	for round := 0; round < rounds; round++ {
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		w := &writers{url: s.url, batch: batch, mu: &mu, nextID: &nextID, acked: acked}
		w.start(nWriters, &wg, stop)
		time.Sleep(time.Duration(50+rng.Intn(250)) * time.Millisecond)
		s.kill()
		close(stop)
		wg.Wait()

		s = start(t, dir)
		ids := allIDs(t, s)
		seen := make(map[int64]bool, len(ids))
		for _, id := range ids {
			if seen[id] {
				t.Fatalf("round %d: row %d present twice", round, id)
			}
			seen[id] = true
		}
		for id := range acked {
			if !seen[id] {
				t.Fatalf("round %d: acknowledged row %d lost (%d acked, %d present)", round, id, len(acked), len(ids))
			}
		}
		t.Logf("round %d: %d acknowledged, %d present after restart", round, len(acked), len(ids))
		// Rows that were written but not acknowledged may survive; from
		// now on they count as acknowledged, since they are visible.
		for id := range seen {
			acked[id] = true
		}
	}
}

// writers insert batches of rows with unique ids (the volume column)
// until stopped, recording in acked the ids the server acknowledged.
type writers struct {
	url    string
	batch  int64
	ts     func(id int64) int64 // nil: all rows on one day
	pause  time.Duration        // between a writer's batches
	mu     *sync.Mutex
	nextID *int64
	acked  map[int64]bool
}

func (w *writers) start(n int, wg *sync.WaitGroup, stop chan struct{}) {
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			for {
				select {
				case <-stop:
					return
				default:
				}
				w.mu.Lock()
				first := *w.nextID
				*w.nextID += w.batch
				w.mu.Unlock()
				if insertRows(client, w.url, first, w.batch, w.ts) {
					w.mu.Lock()
					for id := first; id < first+w.batch; id++ {
						w.acked[id] = true
					}
					w.mu.Unlock()
				}
				time.Sleep(w.pause)
			}
		}()
	}
}

// insertBatch inserts rows first..first+n-1 and reports whether the server
// acknowledged them.
func insertBatch(c *http.Client, url string, first, n int64) bool {
	return insertRows(c, url, first, n, nil)
}

// insertRows is insertBatch with the timestamp of row id given by ts.
func insertRows(c *http.Client, url string, first, n int64, ts func(int64) int64) bool {
	if ts == nil {
		ts = func(id int64) int64 { return 1762075800000000000 + id*1000 }
	}
	var b strings.Builder
	b.WriteString("INSERT INTO trades VALUES ")
	for id := first; id < first+n; id++ {
		if id > first {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "(%d, 'S%d', %d.25, %d)", ts(id), id%17, 100+id%50, id)
	}
	resp, err := c.Post(url+"/", "text/plain", strings.NewReader(b.String()))
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == 200
}

func allIDs(t *testing.T, s *server) []int64 {
	t.Helper()
	r := s.mustPost("SELECT volume FROM trades")
	ids := make([]int64, 0, r.Rows)
	for _, row := range r.Data {
		id, err := strconv.ParseInt(fmt.Sprint(row[0]), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// TestDamagedWAL flips bytes in the WAL and checks the documented
// recovery: a damaged tail is cut (the last record is lost, everything
// before survives), damage in the middle stops the server with a clear
// message, and --wal-repair starts it anyway with the records before the
// damage.
func TestDamagedWAL(t *testing.T) {
	setup := func(t *testing.T) (string, string) {
		dir := t.TempDir()
		s := start(t, dir)
		s.mustPost(createTrades)
		for i := int64(0); i < 10; i++ {
			if !insertBatch(http.DefaultClient, s.url, i*10, 10) {
				t.Fatal("insert failed")
			}
		}
		s.stop()
		segs, _ := filepath.Glob(filepath.Join(dir, "wal", "*.wal"))
		if len(segs) != 1 {
			t.Fatalf("segments: %v", segs)
		}
		return dir, segs[0]
	}
	flip := func(t *testing.T, path string, off int) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if off < 0 {
			off += len(data)
		}
		data[off] ^= 0x5A
		os.WriteFile(path, data, 0o644)
	}

	t.Run("tail", func(t *testing.T) {
		dir, seg := setup(t)
		flip(t, seg, -3)
		s := start(t, dir)
		if got := s.scalar("SELECT count(*) FROM trades"); got != "90" {
			t.Fatalf("count = %s, want 90 (last batch cut)", got)
		}
		if !s.waitLog("cut damaged tail") {
			t.Fatalf("no log line about the cut:\n%s", s.log)
		}
		if torn, _ := filepath.Glob(seg + ".*.torn"); len(torn) != 1 {
			t.Fatalf("cut bytes not kept: %v", torn)
		}
		insertBatch(http.DefaultClient, s.url, 1000, 10)
		s.stop()
		s = start(t, dir)
		if got := s.scalar("SELECT count(*) FROM trades"); got != "100" {
			t.Fatalf("count after new insert and restart = %s", got)
		}
	})

	t.Run("middle", func(t *testing.T) {
		dir, seg := setup(t)
		data, _ := os.ReadFile(seg)
		flip(t, seg, len(data)/2)
		_, err := tryStart(t, dir)
		if err == nil {
			t.Fatal("server started on a WAL damaged in the middle")
		}
		if !strings.Contains(err.Error(), "wal corruption in segment") {
			t.Fatalf("unclear failure: %v", err)
		}
		s := start(t, dir, "--wal-repair")
		n, _ := strconv.Atoi(s.scalar("SELECT count(*) FROM trades"))
		if n < 10 || n > 90 || n%10 != 0 {
			t.Fatalf("after repair count = %d, want whole batches before the damage", n)
		}
		if broken, _ := filepath.Glob(seg + ".*.broken"); len(broken) != 1 {
			t.Fatalf("damaged bytes not kept: %v", broken)
		}
	})
}
