package wal

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

// Helpers of the review tests; prefixed rv to stay clear of other test files.

const rvDir = "/w"

func rvOpts(fs vfs.FS) Options {
	return Options{Dir: rvDir, FS: fs, SegmentSize: 4096, Logger: slog.New(slog.DiscardHandler)}
}

func rvOpen(t *testing.T, opts Options) (*Log, []Record, error) {
	t.Helper()
	var recs []Record
	l, err := Open(opts, func(r Record) error {
		r.Payload = append([]byte(nil), r.Payload...)
		recs = append(recs, r)
		return nil
	})
	return l, recs, err
}

// rvPayload is 100 bytes, so a frame is 121 bytes: 33 frames per 4 KiB segment.
func rvPayload(i int) []byte {
	p := fmt.Sprintf("rec-%05d-", i)
	return []byte(p + strings.Repeat("x", 100-len(p)))
}

// rvWrite appends n acknowledged records (LSN i+1 carries rvPayload(i)).
func rvWrite(t *testing.T, opts Options, n int) {
	t.Helper()
	l, recs, err := rvOpen(t, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(recs); i < len(recs)+n; i++ {
		lsn, err := l.Append(1, rvPayload(i))
		if err != nil {
			t.Fatal(err)
		}
		if err := l.WaitDurable(lsn); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

func rvList(t *testing.T, fs vfs.FS) []string {
	t.Helper()
	names, err := fs.List(rvDir)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func rvSegs(t *testing.T, fs vfs.FS) []string {
	var segs []string
	for _, n := range rvList(t, fs) {
		if strings.HasSuffix(n, segmentSuffix) {
			segs = append(segs, n)
		}
	}
	return segs
}

func rvRead(t *testing.T, fs vfs.FS, name string) []byte {
	t.Helper()
	b, err := vfs.ReadFile(fs, filepath.Join(rvDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rvPut replaces a file's content durably (as damage already on disk).
func rvPut(t *testing.T, fs vfs.FS, name string, data []byte) {
	t.Helper()
	f, err := fs.OpenFile(filepath.Join(rvDir, name), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := fs.SyncDir(rvDir); err != nil {
		t.Fatal(err)
	}
}

// rvFrameOffset returns the offset of the k-th frame (0-based) of a segment
// of rvPayload records.
func rvFrameOffset(k int) int { return segmentHeader + k*(frameHeader+100) }

// rvCorrupt flips a payload byte of frame k of segment name.
func rvCorrupt(t *testing.T, fs vfs.FS, name string, k int) {
	t.Helper()
	data := rvRead(t, fs, name)
	data[rvFrameOffset(k)+frameHeader+3] ^= 0xFF
	rvPut(t, fs, name, data)
}

// crashOnFirstRename wraps mem so that the first rename (the quarantine
// step of a repair) happens after a power loss has been taken: the
// returned function gives the state the machine would find.
func crashOnFirstRename(mem *vfs.MemFS) (vfs.FS, func() *vfs.MemFS) {
	var crashed *vfs.MemFS
	fs := &vfs.Faulty{FS: mem, Hook: func(op vfs.Op, _ string) error {
		if op == vfs.OpRename && crashed == nil {
			crashed = mem.Crash(nil)
		}
		return nil
	}}
	return fs, func() *vfs.MemFS { return crashed }
}

// TestReviewInterruptedRepairReplaysLogWithHole: --wal-repair of damage in
// the first record of the first segment truncates that segment (durably)
// before it renames the later segments out of the way. A power loss in
// between leaves a header-only first segment followed by the untouched
// later ones, and the next plain Open (no repair asked) replays the later
// segments as if LSN 1.. never existed, because the segment-continuity
// check is skipped while lastLSN == 0.
func TestReviewInterruptedRepairReplaysLogWithHole(t *testing.T) {
	mem := vfs.NewMemFS()
	rvWrite(t, rvOpts(mem), 120)
	segs := rvSegs(t, mem)
	if len(segs) < 3 {
		t.Fatalf("want several segments, got %v", segs)
	}
	rvCorrupt(t, mem, segs[0], 0)

	fs, crashed := crashOnFirstRename(mem)
	opts := rvOpts(fs)
	opts.RepairCorruption = true
	l, _, err := rvOpen(t, opts)
	if err != nil {
		t.Fatalf("repair: %v", err)
	}
	l.Close()
	if crashed() == nil {
		t.Fatal("repair renamed nothing")
	}

	l, recs, err := rvOpen(t, rvOpts(crashed()))
	if err != nil {
		return // refusing to start is acceptable; silently skipping LSNs is not
	}
	defer l.Close()
	for i, r := range recs {
		if r.LSN != uint64(i+1) {
			t.Fatalf("recovery after an interrupted repair replayed %d records starting at LSN %d: records 1..%d silently missing",
				len(recs), recs[0].LSN, recs[0].LSN-1)
		}
	}
}

// TestReviewInterruptedRepairCannotBeRepaired: the same power loss during a
// repair of damage further into the first segment leaves segment 1 cut at
// the damage and segment 2 still in place. Open with RepairCorruption must
// then be able to finish the repair; instead the LSN gap between segments
// is returned as a CorruptionError even in repair mode, so the server can
// never start again.
func TestReviewInterruptedRepairCannotBeRepaired(t *testing.T) {
	mem := vfs.NewMemFS()
	rvWrite(t, rvOpts(mem), 120)
	segs := rvSegs(t, mem)
	rvCorrupt(t, mem, segs[0], 4) // record 5

	fs, crashed := crashOnFirstRename(mem)
	opts := rvOpts(fs)
	opts.RepairCorruption = true
	l, _, err := rvOpen(t, opts)
	if err != nil {
		t.Fatalf("repair: %v", err)
	}
	l.Close()

	opts = rvOpts(crashed())
	opts.RepairCorruption = true
	l, recs, err := rvOpen(t, opts)
	if err != nil {
		t.Fatalf("--wal-repair after a power loss during the previous repair refuses to start: %v", err)
	}
	defer l.Close()
	if len(recs) != 4 {
		t.Fatalf("replayed %d records, want the 4 before the damage", len(recs))
	}
}

// TestReviewBrokenCopySurvivesCrash: with repair, the records after the
// damage (acknowledged data) are kept only in the ".broken" file. It is
// fsynced, but its directory entry is not, while the truncation of the
// segment is: a power loss right after the repair loses the only copy.
func TestReviewBrokenCopySurvivesCrash(t *testing.T) {
	mem := vfs.NewMemFS()
	rvWrite(t, rvOpts(mem), 10)
	seg := segmentName(1)
	rvCorrupt(t, mem, seg, 3)
	opts := rvOpts(mem)
	opts.RepairCorruption = true
	l, recs, err := rvOpen(t, opts)
	if err != nil || len(recs) != 3 {
		t.Fatalf("repair: %v, %d records", err, len(recs))
	}
	l.Close()
	crashed := mem.Crash(nil)
	if got := rvRead(t, crashed, seg); len(got) != rvFrameOffset(3) {
		t.Fatalf("segment not cut durably: %d bytes", len(got))
	}
	for _, n := range rvList(t, crashed) {
		if strings.HasSuffix(n, ".broken") {
			return
		}
	}
	t.Fatalf("after a power loss the segment is cut but the .broken copy of records 4..10 is gone: %v", rvList(t, crashed))
}

// TestReviewTornCopySurvivesCrash: same for the ".torn" copy of a cut tail.
func TestReviewTornCopySurvivesCrash(t *testing.T) {
	mem := vfs.NewMemFS()
	rvWrite(t, rvOpts(mem), 10)
	seg := segmentName(1)
	data := rvRead(t, mem, seg)
	rvPut(t, mem, seg, data[:len(data)-5])
	l, recs, err := rvOpen(t, rvOpts(mem))
	if err != nil || len(recs) != 9 {
		t.Fatalf("open: %v, %d records", err, len(recs))
	}
	l.Close()
	crashed := mem.Crash(nil)
	for _, n := range rvList(t, crashed) {
		if strings.HasSuffix(n, ".torn") {
			return
		}
	}
	t.Fatalf("after a power loss the tail is cut but its .torn copy is gone: %v", rvList(t, crashed))
}

// TestReviewTornRecordContainingFrameIsTornTail: the last record was being
// written when the power failed; its header is intact and its length runs
// past the end of the file, so it is a torn tail. But its payload (user
// data: a STRING value can hold any bytes) contains a well-formed frame,
// which hasValidFrameAfter finds inside the torn record, so recovery calls
// it mid-log corruption and refuses to start.
func TestReviewTornRecordContainingFrameIsTornTail(t *testing.T) {
	mem := vfs.NewMemFS()
	l, _, err := rvOpen(t, rvOpts(mem))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][]byte{
		[]byte("first"),
		append(appendFrame(nil, 2, 3, []byte("inner")), bytes.Repeat([]byte{'p'}, 200)...),
	} {
		lsn, err := l.Append(3, p)
		if err != nil || l.WaitDurable(lsn) != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	seg := segmentName(1)
	data := rvRead(t, mem, seg)
	rvPut(t, mem, seg, data[:len(data)-100]) // the write of record 2 was torn

	l, recs, err := rvOpen(t, rvOpts(mem))
	if err != nil {
		t.Fatalf("torn last record refused as corruption: %v", err)
	}
	defer l.Close()
	if len(recs) != 1 || l.Stats().TornTails != 1 {
		t.Fatalf("replayed %d records, %d torn tails; want 1 and 1", len(recs), l.Stats().TornTails)
	}
}

// TestReviewRewrittenHeaderKeepsSegmentSize: a newest segment torn inside
// its 8-byte header is rewritten with a fresh header, but recovery reports
// its size as 0, so the log under-counts the segment by 8 bytes and lets it
// grow past SegmentSize.
func TestReviewRewrittenHeaderKeepsSegmentSize(t *testing.T) {
	mem := vfs.NewMemFS()
	mem.MkdirAll(rvDir, 0o755)
	rvPut(t, mem, segmentName(1), []byte("ZWA"))
	l, _, err := rvOpen(t, rvOpts(mem))
	if err != nil {
		t.Fatal(err)
	}
	payload := bytes.Repeat([]byte{'y'}, 128-frameHeader) // 32 frames = 4096 bytes
	for i := 0; i < 40; i++ {
		lsn, err := l.Append(1, payload)
		if err != nil || l.WaitDurable(lsn) != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	for _, s := range rvSegs(t, mem) {
		if n := len(rvRead(t, mem, s)); n > 4096 {
			t.Fatalf("segment %s is %d bytes, over SegmentSize 4096", s, n)
		}
	}
}

// TestReviewSecondRepairKeepsFirstQuarantine: a repair renames later
// segments to "<segment>.broken". The log then continues and, with the
// same record sizes, rolls to a segment of the same name again; a second
// repair renames it onto the first quarantined copy, destroying the
// acknowledged records that copy held.
func TestReviewSecondRepairKeepsFirstQuarantine(t *testing.T) {
	mem := vfs.NewMemFS()
	rvWrite(t, rvOpts(mem), 70)
	segs := rvSegs(t, mem)
	if len(segs) < 2 {
		t.Fatalf("segments %v", segs)
	}
	second := segs[1]
	firstQuarantine := rvRead(t, mem, second)

	opts := rvOpts(mem)
	opts.RepairCorruption = true
	rvCorrupt(t, mem, segs[0], 4)
	l, recs, err := rvOpen(t, opts)
	if err != nil || len(recs) != 4 {
		t.Fatalf("first repair: %v, %d records", err, len(recs))
	}
	l.Close()
	rvWrite(t, rvOpts(mem), 60) // refills segment 1 and rolls to the same name
	if _, err := vfs.ReadFile(mem, filepath.Join(rvDir, second)); err != nil {
		t.Skipf("log did not roll to %s again: %v", second, err)
	}

	rvCorrupt(t, mem, segs[0], 2)
	if l, _, err = rvOpen(t, opts); err != nil {
		t.Fatalf("second repair: %v", err)
	}
	l.Close()
	for _, n := range rvList(t, mem) {
		if strings.HasSuffix(n, ".broken") && bytes.Equal(rvRead(t, mem, n), firstQuarantine) {
			return
		}
	}
	t.Fatalf("the first repair's quarantined %s (records %s..) was overwritten by the second repair: %v",
		second, strings.TrimSuffix(second, segmentSuffix), rvList(t, mem))
}

// TestReviewRecoveredTailIsDurable: a record written but not fsynced (the
// process died before its fsync, so it was never acknowledged) is still in
// the page cache when the server restarts. Recovery replays it, applies it
// and reports it durable (Stats.Durable), but never fsyncs it: a power loss
// now removes a record that was already visible, so what queries saw is
// not what the next restart rebuilds.
func TestReviewRecoveredTailIsDurable(t *testing.T) {
	mem := vfs.NewMemFS()
	var fail atomic.Bool
	fs := &vfs.Faulty{FS: mem, Hook: func(op vfs.Op, _ string) error {
		if fail.Load() && op == vfs.OpSync {
			return errors.New("killed before fsync")
		}
		return nil
	}}
	l, _, err := rvOpen(t, rvOpts(fs))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		lsn, _ := l.Append(1, rvPayload(i))
		if err := l.WaitDurable(lsn); err != nil {
			t.Fatal(err)
		}
	}
	fail.Store(true)
	lsn, _ := l.Append(1, rvPayload(3))
	if l.WaitDurable(lsn) == nil {
		t.Fatal("record acknowledged without fsync")
	}
	l.Close()

	// Restart after kill -9: same page cache.
	l, recs, err := rvOpen(t, rvOpts(mem))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("restart replayed %d records, want 4 (page cache)", len(recs))
	}
	durable := l.Stats().Durable
	crashed := mem.Crash(nil) // power loss, no write since the restart
	l.Close()
	_, recs2, err := rvOpen(t, rvOpts(crashed))
	if err != nil {
		t.Fatal(err)
	}
	if uint64(len(recs2)) < durable || len(recs2) != len(recs) {
		t.Fatalf("restart replayed (and reported durable up to LSN %d) %d records; a power loss then leaves %d",
			durable, len(recs), len(recs2))
	}
}
