package wal

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

func collect(t *testing.T, opts Options) (*Log, []Record, error) {
	t.Helper()
	var recs []Record
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	l, err := Open(opts, func(r Record) error {
		r.Payload = append([]byte(nil), r.Payload...)
		recs = append(recs, r)
		return nil
	})
	return l, recs, err
}

func appendSync(t *testing.T, l *Log, payload string) uint64 {
	t.Helper()
	lsn, err := l.Append(1, []byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.WaitDurable(lsn); err != nil {
		t.Fatal(err)
	}
	return lsn
}

func TestAppendReopenAcrossSegments(t *testing.T) {
	for _, mode := range []SyncMode{SyncAlways, SyncBatch, SyncNone} {
		t.Run(mode.String(), func(t *testing.T) {
			opts := Options{Dir: t.TempDir(), SegmentSize: 4096, Sync: mode}
			l, recs, err := collect(t, opts)
			if err != nil || len(recs) != 0 {
				t.Fatalf("open empty: %v %d", err, len(recs))
			}
			for i := 0; i < 300; i++ {
				appendSync(t, l, fmt.Sprintf("record-%03d-%s", i, strings.Repeat("x", i%50)))
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			segs, _ := filepath.Glob(filepath.Join(opts.Dir, "*.wal"))
			if len(segs) < 3 {
				t.Fatalf("want several segments, got %d", len(segs))
			}
			l, recs, err = collect(t, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			if len(recs) != 300 {
				t.Fatalf("replayed %d records, want 300", len(recs))
			}
			for i, r := range recs {
				if r.LSN != uint64(i+1) || !strings.HasPrefix(string(r.Payload), fmt.Sprintf("record-%03d-", i)) {
					t.Fatalf("record %d = %d %q", i, r.LSN, r.Payload)
				}
			}
			if lsn := appendSync(t, l, "after"); lsn != 301 {
				t.Fatalf("next LSN = %d, want 301", lsn)
			}
		})
	}
}

// TestCrashKeepsAcknowledged appends from many goroutines on an in-memory
// FS, "loses power" at a random moment, and checks that every record
// whose WaitDurable returned is replayed, in order, exactly once.
func TestCrashKeepsAcknowledged(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(seed))
			mem := vfs.NewMemFS()
			opts := Options{Dir: "/db/wal", FS: mem, SegmentSize: 8192}
			l, _, err := collect(t, opts)
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			acked := map[string]bool{}
			var wg sync.WaitGroup
			stop := make(chan struct{})
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						p := fmt.Sprintf("w%d-%d", w, i)
						lsn, err := l.Append(1, []byte(p))
						if err != nil {
							return
						}
						if l.WaitDurable(lsn) == nil {
							mu.Lock()
							acked[p] = true
							mu.Unlock()
						}
					}
				}(w)
			}
			for target := 50 + rng.Intn(200); ackedCount(&mu, acked) < target; {
				time.Sleep(100 * time.Microsecond)
			}
			mu.Lock()
			ackedNow := make(map[string]bool, len(acked))
			for k := range acked {
				ackedNow[k] = true
			}
			crashed := mem.Crash(rng)
			mu.Unlock()
			close(stop)
			wg.Wait()
			l.Close()

			opts.FS = crashed
			l2, recs, err := collect(t, opts)
			if err != nil {
				t.Fatalf("reopen after crash: %v", err)
			}
			defer l2.Close()
			seen := map[string]bool{}
			for i, r := range recs {
				if r.LSN != uint64(i+1) {
					t.Fatalf("LSN gap at %d: %d", i, r.LSN)
				}
				if seen[string(r.Payload)] {
					t.Fatalf("record %q replayed twice", r.Payload)
				}
				seen[string(r.Payload)] = true
			}
			for p := range ackedNow {
				if !seen[p] {
					t.Fatalf("acknowledged record %q lost (replayed %d, acked %d)", p, len(recs), len(ackedNow))
				}
			}
		})
	}
}

func ackedCount(mu *sync.Mutex, m map[string]bool) int {
	mu.Lock()
	defer mu.Unlock()
	return len(m)
}

func writeRecords(t *testing.T, opts Options, n int) {
	t.Helper()
	l, _, err := collect(t, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		appendSync(t, l, fmt.Sprintf("payload-%d", i))
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

func flipByte(t *testing.T, path string, off int64) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if off < 0 {
		off += int64(len(data))
	}
	data[off] ^= 0xFF
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTornTailIsCut(t *testing.T) {
	cases := map[string]func(t *testing.T, seg string){
		"flipped last byte": func(t *testing.T, seg string) { flipByte(t, seg, -1) },
		"truncated mid-record": func(t *testing.T, seg string) {
			st, _ := os.Stat(seg)
			os.Truncate(seg, st.Size()-5)
		},
		"garbage appended": func(t *testing.T, seg string) {
			f, _ := os.OpenFile(seg, os.O_WRONLY|os.O_APPEND, 0)
			f.Write([]byte("\x07garbage"))
			f.Close()
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			opts := Options{Dir: t.TempDir()}
			writeRecords(t, opts, 10)
			seg := filepath.Join(opts.Dir, segmentName(1))
			damage(t, seg)
			l, recs, err := collect(t, opts)
			if err != nil {
				t.Fatalf("open with torn tail: %v", err)
			}
			want := 9
			if name == "garbage appended" {
				want = 10
			}
			if len(recs) != want {
				t.Fatalf("replayed %d records, want %d", len(recs), want)
			}
			if l.Stats().TornTails != 1 {
				t.Fatalf("TornTails = %d", l.Stats().TornTails)
			}
			if torn, _ := filepath.Glob(seg + ".*.torn"); len(torn) != 1 {
				t.Fatalf("no .torn copy kept: %v", torn)
			}
			if lsn := appendSync(t, l, "next"); lsn != uint64(want+1) {
				t.Fatalf("next LSN %d, want %d", lsn, want+1)
			}
			l.Close()
			if _, recs, err = collect(t, opts); err != nil || len(recs) != want+1 {
				t.Fatalf("reopen: %v, %d records", err, len(recs))
			}
		})
	}
}

func TestMidLogCorruptionRefusesToOpen(t *testing.T) {
	opts := Options{Dir: t.TempDir()}
	writeRecords(t, opts, 10)
	seg := filepath.Join(opts.Dir, segmentName(1))
	flipByte(t, seg, segmentHeader+frameHeader+2) // payload of record 1
	_, _, err := collect(t, opts)
	var ce *CorruptionError
	if !errors.Is(err, ErrCorruption) || !errors.As(err, &ce) || ce.Offset != segmentHeader {
		t.Fatalf("err = %v, want corruption at offset %d", err, segmentHeader)
	}
	if !strings.Contains(err.Error(), "payload checksum mismatch") {
		t.Fatalf("unclear message: %v", err)
	}

	opts.RepairCorruption = true
	l, recs, err := collect(t, opts)
	if err != nil || len(recs) != 0 {
		t.Fatalf("repair: %v, %d records", err, len(recs))
	}
	l.Close()
	if broken, _ := filepath.Glob(seg + ".*.broken"); len(broken) != 1 {
		t.Fatalf("no .broken copy: %v", broken)
	}
}

func TestCorruptionInOlderSegment(t *testing.T) {
	opts := Options{Dir: t.TempDir(), SegmentSize: 4096}
	writeRecords(t, opts, 400)
	flipByte(t, filepath.Join(opts.Dir, segmentName(1)), -1)
	if _, _, err := collect(t, opts); !errors.Is(err, ErrCorruption) {
		t.Fatalf("damage at the end of a non-last segment: err = %v, want corruption", err)
	}
}

func TestSyncFailureIsSticky(t *testing.T) {
	boom := errors.New("injected fsync failure")
	fail := false
	fs := &vfs.Faulty{FS: vfs.NewMemFS(), Hook: func(op vfs.Op, _ string) error {
		if op == vfs.OpSync && fail {
			return boom
		}
		return nil
	}}
	l, _, err := collect(t, Options{Dir: "/w", FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	appendSync(t, l, "ok")
	fail = true
	lsn, err := l.Append(1, []byte("doomed"))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.WaitDurable(lsn); !errors.Is(err, boom) {
		t.Fatalf("WaitDurable = %v, want injected error", err)
	}
	if _, err := l.Append(1, []byte("after")); !errors.Is(err, boom) {
		t.Fatalf("Append after failure = %v, want sticky error", err)
	}
	l.Close()
}

func TestRecordTooLarge(t *testing.T) {
	l, _, err := collect(t, Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.Append(1, make([]byte, MaxRecordSize+1)); err == nil {
		t.Fatal("oversized record accepted")
	}
}
