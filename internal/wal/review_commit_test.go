package wal

import (
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

// rvWithin fails the test if f does not return in time (a deadlock).
func rvWithin(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s: still blocked after %v (deadlock?)", what, d)
	}
}

// TestReviewCloseRacesAppend (passing): Close while appenders run in every
// sync mode. Every Append that returned an LSN must be made durable by
// Close (WaitDurable nil, present after a power loss), and nothing blocks.
func TestReviewCloseRacesAppend(t *testing.T) {
	for _, mode := range []SyncMode{SyncAlways, SyncBatch, SyncNone} {
		t.Run(mode.String(), func(t *testing.T) {
			mem := vfs.NewMemFS()
			opts := rvOpts(mem)
			opts.Sync = mode
			l, _, err := rvOpen(t, opts)
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			appended := map[uint64]string{}
			var bad []string
			var wg sync.WaitGroup
			var count atomic.Int64
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := 0; ; i++ {
						p := fmt.Sprintf("w%d-%d-%s", w, i, strings.Repeat("z", i%90))
						lsn, err := l.Append(1, []byte(p))
						if err != nil {
							if !errors.Is(err, ErrClosed) {
								mu.Lock()
								bad = append(bad, "append: "+err.Error())
								mu.Unlock()
							}
							return
						}
						mu.Lock()
						appended[lsn] = p
						mu.Unlock()
						count.Add(1)
						if err := l.WaitDurable(lsn); err != nil {
							mu.Lock()
							bad = append(bad, fmt.Sprintf("WaitDurable(%d) = %v for a record appended before Close", lsn, err))
							mu.Unlock()
						}
					}
				}(w)
			}
			for count.Load() < 300 {
				time.Sleep(50 * time.Microsecond)
			}
			rvWithin(t, 10*time.Second, "Close", func() {
				if err := l.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			rvWithin(t, 10*time.Second, "appenders", wg.Wait)
			if len(bad) > 0 {
				t.Fatal(bad[0])
			}
			l2, recs, err := rvOpen(t, rvOpts(mem.Crash(nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer l2.Close()
			if len(recs) != len(appended) {
				t.Fatalf("after Close and a power loss %d records, %d appended", len(recs), len(appended))
			}
			for i, r := range recs {
				if r.LSN != uint64(i+1) || string(r.Payload) != appended[r.LSN] {
					t.Fatalf("record %d: LSN %d payload %q, want %q", i, r.LSN, r.Payload, appended[r.LSN])
				}
			}
		})
	}
}

// TestReviewFailureDuringRoll (passing): inject a failure into each step
// of a segment roll while writers append. Every waiter returns (no
// deadlock), later appends are refused, and after a power loss every
// acknowledged record is there, in LSN order, with nothing invented.
func TestReviewFailureDuringRoll(t *testing.T) {
	type fault struct {
		op      vfs.Op
		newFile bool // only on a segment other than the first
	}
	faults := map[string]fault{
		"sync old segment":  {vfs.OpSync, false},
		"create segment":    {vfs.OpOpen, true},
		"write new header":  {vfs.OpWrite, true},
		"sync new segment":  {vfs.OpSync, true},
		"sync dir for roll": {vfs.OpSyncDir, false},
	}
	for name, f := range faults {
		t.Run(name, func(t *testing.T) {
			mem := vfs.NewMemFS()
			var armed atomic.Bool
			var fired atomic.Bool
			boom := errors.New("injected " + name)
			fs := &vfs.Faulty{FS: mem, Hook: func(op vfs.Op, path string) error {
				if !armed.Load() || op != f.op || fired.Load() {
					return nil
				}
				if f.newFile && strings.HasSuffix(path, segmentName(1)) {
					return nil
				}
				if !f.newFile && op == vfs.OpSync && !strings.HasSuffix(path, segmentName(1)) {
					return nil
				}
				fired.Store(true)
				return boom
			}}
			opts := rvOpts(fs)
			if f.op == vfs.OpSync && !f.newFile {
				// In none mode segment 1 is fsynced only by the roll.
				opts.Sync = SyncNone
			}
			l, _, err := rvOpen(t, opts)
			if err != nil {
				t.Fatal(err)
			}
			// Fill most of segment 1 so the next records roll.
			for i := 0; i < 30; i++ {
				lsn, _ := l.Append(1, rvPayload(i))
				if err := l.WaitDurable(lsn); err != nil {
					t.Fatal(err)
				}
			}
			armed.Store(true)
			var mu sync.Mutex
			acked := map[uint64]string{}
			var wg sync.WaitGroup
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := 0; i < 20; i++ {
						p := string(rvPayload(1000 + w*100 + i))
						lsn, err := l.Append(1, []byte(p))
						if err != nil {
							return
						}
						if l.WaitDurable(lsn) == nil {
							mu.Lock()
							acked[lsn] = p
							mu.Unlock()
						}
					}
				}(w)
			}
			rvWithin(t, 10*time.Second, "writers", wg.Wait)
			if !fired.Load() {
				t.Skip("fault never fired")
			}
			if _, err := l.Append(1, []byte("after")); !errors.Is(err, boom) {
				t.Fatalf("append after failure: %v", err)
			}
			rvWithin(t, 10*time.Second, "Close", func() { l.Close() })
			l2, recs, err := rvOpen(t, rvOpts(mem.Crash(nil)))
			if err != nil {
				t.Fatalf("reopen after failed roll: %v", err)
			}
			defer l2.Close()
			got := map[uint64]string{}
			for i, r := range recs {
				if r.LSN != uint64(i+1) {
					t.Fatalf("LSN gap at %d: %d", i, r.LSN)
				}
				got[r.LSN] = string(r.Payload)
			}
			for lsn, p := range acked {
				if opts.Sync == SyncNone && lsn > uint64(len(recs)) {
					continue // none mode promises nothing on power loss
				}
				if got[lsn] != p {
					t.Fatalf("acknowledged record %d lost or changed (%d replayed)", lsn, len(recs))
				}
			}
		})
	}
}

// TestReviewCrashPrefixAllModes (passing): power loss at a random moment
// with a torn tail, in every sync mode. Recovery must open (a torn tail is
// never mid-log corruption), replay a gap-free prefix whose payloads are
// exactly what was appended under those LSNs, and in sync mode keep every
// acknowledged record; in batch and none mode everything up to the last
// fsync the log reported (Stats.Durable) must survive.
func TestReviewCrashPrefixAllModes(t *testing.T) {
	for _, mode := range []SyncMode{SyncAlways, SyncBatch, SyncNone} {
		for seed := int64(1); seed <= 6; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", mode, seed), func(t *testing.T) {
				rng := rand.New(rand.NewSource(seed))
				mem := vfs.NewMemFS()
				opts := rvOpts(mem)
				opts.Sync = mode
				opts.BatchInterval = time.Millisecond
				l, _, err := rvOpen(t, opts)
				if err != nil {
					t.Fatal(err)
				}
				var mu sync.Mutex
				appended := map[uint64]string{}
				acked := map[uint64]bool{}
				stop := make(chan struct{})
				var wg sync.WaitGroup
				for w := 0; w < 3; w++ {
					wg.Add(1)
					go func(w int) {
						defer wg.Done()
						for i := 0; ; i++ {
							select {
							case <-stop:
								return
							default:
							}
							p := fmt.Sprintf("w%d-%d-%s", w, i, strings.Repeat("q", (w*37+i)%150))
							mu.Lock() // Append under mu so appended[] is complete at the crash
							lsn, err := l.Append(1, []byte(p))
							if err == nil {
								appended[lsn] = p
							}
							mu.Unlock()
							if err != nil {
								return
							}
							if l.WaitDurable(lsn) == nil {
								mu.Lock()
								acked[lsn] = true
								mu.Unlock()
							}
						}
					}(w)
				}
				target := 100 + rng.Intn(300)
				for {
					mu.Lock()
					n := len(acked)
					mu.Unlock()
					if n >= target {
						break
					}
					time.Sleep(50 * time.Microsecond)
				}
				mu.Lock()
				durable := l.Stats().Durable
				ackedNow := map[uint64]bool{}
				for k := range acked {
					ackedNow[k] = true
				}
				crashed := mem.Crash(rng)
				mu.Unlock()
				close(stop)
				wg.Wait()
				l.Close()

				opts.FS = crashed
				l2, recs, err := rvOpen(t, opts)
				if err != nil {
					t.Fatalf("reopen after power loss: %v", err)
				}
				defer l2.Close()
				for i, r := range recs {
					if r.LSN != uint64(i+1) {
						t.Fatalf("LSN gap at %d: %d", i, r.LSN)
					}
					if string(r.Payload) != appended[r.LSN] {
						t.Fatalf("LSN %d replays %q, appended %q", r.LSN, r.Payload, appended[r.LSN])
					}
				}
				if uint64(len(recs)) < durable {
					t.Fatalf("Stats.Durable was %d, only %d survived", durable, len(recs))
				}
				if mode == SyncAlways {
					for lsn := range ackedNow {
						if lsn > uint64(len(recs)) {
							t.Fatalf("acknowledged LSN %d lost (%d survived)", lsn, len(recs))
						}
					}
				}
			})
		}
	}
}
