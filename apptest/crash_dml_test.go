package apptest

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestKill9DuringMutations kills the server while clients insert and one
// client runs DELETE and UPDATE statements, then checks after every
// restart that acknowledged mutations hold: rows an acknowledged DELETE
// removed stay gone, rows an acknowledged UPDATE changed keep the new
// value, and every other acknowledged row is there exactly once. The
// mutations only name rows acknowledged before they were sent, so their
// effect does not depend on how they interleave with in-flight inserts.
func TestKill9DuringMutations(t *testing.T) {
	const rounds, nWriters, batch = 8, 3, 40
	dir := t.TempDir()
	s := start(t, dir)
	s.mustPost(createTrades)
	var mu sync.Mutex
	acked := map[int64]bool{}
	gone := map[int64]bool{} // never acknowledged and absent after a restart
	nextID := int64(0)
	deletedBelow, updatedBelow := int64(0), int64(0) // acknowledged mutation bounds
	// Bounds of mutations sent, acknowledged or not: one killed before its
	// answer may or may not have been applied.
	deleteSent, updateSent := int64(0), int64(0)
	// ackedPrefix returns the smallest id not yet acknowledged.
	ackedPrefix := func() int64 {
		mu.Lock()
		defer mu.Unlock()
		x := int64(0)
		for acked[x] || gone[x] {
			x++
		}
		return x
	}
	for round := 0; round < rounds; round++ {
		var wg sync.WaitGroup
		stop := make(chan struct{})
		w := &writers{url: s.url, batch: batch, mu: &mu, nextID: &nextID, acked: acked}
		w.start(nWriters, &wg, stop)
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				x := ackedPrefix()
				sql := fmt.Sprintf("DELETE FROM trades WHERE volume %% 7 = 0 AND volume < %d", x)
				mu.Lock()
				if i%2 == 1 {
					sql = fmt.Sprintf("UPDATE trades SET price = -1 WHERE volume %% 11 = 0 AND volume < %d", x)
					updateSent = max(updateSent, x)
				} else {
					deleteSent = max(deleteSent, x)
				}
				mu.Unlock()
				resp, err := client.Post(s.url+"/", "text/plain", strings.NewReader(sql))
				if err != nil {
					continue
				}
				resp.Body.Close()
				if resp.StatusCode == 200 {
					mu.Lock()
					if i%2 == 1 {
						updatedBelow = max(updatedBelow, x)
					} else {
						deletedBelow = max(deletedBelow, x)
					}
					mu.Unlock()
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
		time.Sleep(time.Duration(100+round*40) * time.Millisecond)
		s.kill()
		close(stop)
		wg.Wait()

		s = start(t, dir)
		checkMutations(t, s, acked, mutationBounds{deletedBelow, deleteSent, updatedBelow, updateSent})
		t.Logf("round %d: %d acknowledged, deletes below %d, updates below %d", round, len(acked), deletedBelow, updatedBelow)
		for _, row := range s.mustPost("SELECT volume FROM trades").Data {
			var id int64
			fmt.Sscan(fmt.Sprint(row[0]), &id)
			acked[id] = true // visible rows count as acknowledged from now on
		}
		for id := int64(0); id < nextID; id++ {
			gone[id] = !acked[id]
		}
	}
}

// mutationBounds are the DELETE and UPDATE bounds acknowledged and sent.
type mutationBounds struct{ deleted, deleteSent, updated, updateSent int64 }

func checkMutations(t *testing.T, s *server, acked map[int64]bool, b mutationBounds) {
	t.Helper()
	r := s.mustPost("SELECT volume, price FROM trades")
	price := map[int64]string{}
	for _, row := range r.Data {
		var id int64
		fmt.Sscan(fmt.Sprint(row[0]), &id)
		if _, dup := price[id]; dup {
			t.Fatalf("row %d present twice", id)
		}
		price[id] = fmt.Sprint(row[1])
	}
	for id := range acked {
		p, present := price[id]
		switch {
		case id%7 == 0 && id < b.deleted:
			if present {
				t.Fatalf("row %d survived an acknowledged DELETE (below %d)", id, b.deleted)
			}
		case !present && !(id%7 == 0 && id < b.deleteSent):
			t.Fatalf("acknowledged row %d lost", id)
		case present && id%11 == 0 && id < b.updated && p != "-1":
			t.Fatalf("row %d has price %s after an acknowledged UPDATE (below %d)", id, p, b.updated)
		case present && p == "-1" && !(id%11 == 0 && id < b.updateSent):
			t.Fatalf("row %d has price -1 though no UPDATE named it", id)
		}
	}
}
