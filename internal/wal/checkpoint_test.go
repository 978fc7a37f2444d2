package wal

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestRemoveBeforeAndStartAfter: segments wholly covered by a checkpoint
// are removed, recovery replays only the records after it, appends
// continue the LSNs, and a log whose records after the checkpoint are
// gone refuses to open.
func TestRemoveBeforeAndStartAfter(t *testing.T) {
	opts := Options{Dir: t.TempDir(), SegmentSize: 4096}
	l, _, err := collect(t, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 60; i++ {
		appendSync(t, l, fmt.Sprintf("record %02d %0400d", i, 0)) // ~10 records per segment
	}
	before, _ := l.listSegments()
	removed, err := l.RemoveBefore(37)
	if err != nil || removed == 0 {
		t.Fatalf("removed %d of %d segments: %v", removed, len(before), err)
	}
	after, _ := l.listSegments()
	if first := segmentFirstLSN(after[0]); first > 38 || len(after) != len(before)-removed {
		t.Fatalf("first kept segment starts at %d (want <= 38); %d segments left", first, len(after))
	}
	if _, err := l.RemoveBefore(1 << 40); err != nil {
		t.Fatal(err)
	}
	if left, _ := l.listSegments(); len(left) != 1 {
		t.Fatalf("%d segments after removing everything, want the newest kept", len(left))
	}
	must(t, l.Close())

	opts.StartAfter = 37
	if _, _, err := collect(t, opts); !errors.Is(err, ErrCorruption) {
		t.Fatalf("records 38.. are gone but open said %v", err)
	}
	opts.StartAfter = 60
	l, recs, err := collect(t, opts)
	if err != nil || len(recs) != 0 {
		t.Fatalf("reopen after checkpoint 60: %d records, %v", len(recs), err)
	}
	if lsn := appendSync(t, l, "next"); lsn != 61 {
		t.Fatalf("next LSN %d, want 61", lsn)
	}
	must(t, l.Close())
	l, recs, err = collect(t, opts)
	if err != nil || len(recs) != 1 || recs[0].LSN != 61 {
		t.Fatalf("reopen: %v %v", recs, err)
	}
	must(t, l.Close())
}

// TestStartAfterOnEmptyDirectory: a checkpoint with no WAL left (all
// removed, or the directory lost after the checkpoint was written)
// continues after the checkpoint.
func TestStartAfterOnEmptyDirectory(t *testing.T) {
	opts := Options{Dir: t.TempDir(), StartAfter: 1000}
	l, recs, err := collect(t, opts)
	if err != nil || len(recs) != 0 {
		t.Fatalf("%v %v", recs, err)
	}
	if lsn := appendSync(t, l, "x"); lsn != 1001 {
		t.Fatalf("LSN %d, want 1001", lsn)
	}
	must(t, l.Close())
}

func TestStartAfterSkipsRecordsInTheFirstSegment(t *testing.T) {
	opts := Options{Dir: t.TempDir()}
	l, _, err := collect(t, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 10; i++ {
		appendSync(t, l, fmt.Sprint(i))
	}
	must(t, l.Close())
	opts.StartAfter = 7
	l, recs, err := collect(t, opts)
	if err != nil || len(recs) != 3 || recs[0].LSN != 8 || string(recs[2].Payload) != "10" {
		t.Fatalf("%v %v", recs, err)
	}
	must(t, l.Close())
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestNewerSegmentVersionIsRefused: a segment of a newer format stops
// recovery with a message naming the versions, and even --wal-repair
// does not cut it.
func TestNewerSegmentVersionIsRefused(t *testing.T) {
	opts := Options{Dir: t.TempDir()}
	l, _, err := collect(t, opts)
	if err != nil {
		t.Fatal(err)
	}
	appendSync(t, l, "x")
	must(t, l.Close())
	segs, _ := l.listSegments()
	path := opts.Dir + "/" + segs[0]
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[4] = 2 // the version field, little-endian: 2
	must(t, os.WriteFile(path, data, 0o644))
	for _, repair := range []bool{false, true} {
		opts.RepairCorruption = repair
		_, _, err := collect(t, opts)
		if !errors.Is(err, ErrNewerVersion) || !strings.Contains(err.Error(), "format version 2") {
			t.Fatalf("repair=%v: %v", repair, err)
		}
	}
}
