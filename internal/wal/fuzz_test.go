package wal

import (
	"errors"
	"log/slog"
	"os"
	"testing"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

// validSegment returns a segment holding n small records.
func validSegment(n int) []byte {
	seg := appendSegmentHeader(nil)
	for i := 1; i <= n; i++ {
		seg = appendFrame(seg, uint64(i), 3, []byte("payload of a record"))
	}
	return seg
}

// FuzzRecover feeds arbitrary bytes to recovery as the only segment. It
// must never panic; when it opens the log, the log must keep working: an
// appended record is replayed after the ones recovered.
func FuzzRecover(f *testing.F) {
	f.Add(validSegment(0))
	f.Add(validSegment(3))
	torn := validSegment(3)
	f.Add(torn[:len(torn)-4])
	flipped := validSegment(3)
	flipped[segmentHeader+frameHeader+1] ^= 1
	f.Add(flipped)
	f.Add([]byte("ZWAL"))
	f.Fuzz(func(t *testing.T, data []byte) {
		mem := vfs.NewMemFS()
		mem.MkdirAll("/w", 0o755)
		file, _ := mem.OpenFile("/w/"+segmentName(1), os.O_RDWR|os.O_CREATE, 0o644)
		file.Write(data)
		file.Sync()
		file.Close()
		mem.SyncDir("/w")
		opts := Options{Dir: "/w", FS: mem, Logger: slog.New(slog.DiscardHandler)}
		var n int
		l, err := Open(opts, func(Record) error { n++; return nil })
		if err != nil {
			// A damaged log is corruption; a header naming a newer format
			// is refused as such (never cut: a newer binary may have
			// written it).
			if !errors.Is(err, ErrCorruption) && !errors.Is(err, ErrNewerVersion) {
				t.Fatalf("recovery failed without a corruption or version error: %v", err)
			}
			return
		}
		lsn, err := l.Append(1, []byte("after"))
		if err != nil || l.WaitDurable(lsn) != nil || lsn != uint64(n+1) {
			t.Fatalf("append after recovery: lsn %d err %v (recovered %d)", lsn, err, n)
		}
		l.Close()
		var again int
		l, err = Open(opts, func(Record) error { again++; return nil })
		if err != nil || again != n+1 {
			t.Fatalf("reopen: %v, %d records, want %d", err, again, n+1)
		}
		l.Close()
	})
}
