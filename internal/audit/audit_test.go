package audit

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestRecordAndRecent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	l, err := Open(path, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Recent(10); len(got) != 0 {
		t.Fatalf("empty log: %v", got)
	}
	for i, a := range []string{"a", "b", "c", "d", strings.Repeat("x", 10000)} {
		l.Record(Event{Kind: DDL, Who: "ops", Action: a, Status: 200 + i})
	}
	got := l.Recent(10)
	if len(got) != 3 || got[0].Action != "c" || got[1].Action != "d" || len(got[2].Action) > maxAction+4 {
		t.Fatalf("recent: %+v", got)
	}
	if got := l.Recent(1); len(got) != 1 || got[0].Status != 204 {
		t.Fatalf("newest: %+v", got)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var e Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Who != "ops" || e.Time.IsZero() {
			t.Fatalf("line %d: %v %+v", n, err, e)
		}
		n++
	}
	if n != 5 {
		t.Fatalf("%d lines", n)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode().Perm())
	}
}

// TestConcurrentRecords: lines from concurrent writers never interleave.
func TestConcurrentRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	l, _ := Open(path, 100, nil)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				l.Record(Event{Kind: Write, Who: "w", Action: strings.Repeat("q", 1000)})
			}
		}()
	}
	wg.Wait()
	l.Close()
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 1600 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, line := range lines {
		if !json.Valid([]byte(line)) {
			t.Fatalf("a broken line: %.80s", line)
		}
	}
}
