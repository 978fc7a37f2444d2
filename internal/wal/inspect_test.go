package wal

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

func TestInspectReportsRecordsAndDamage(t *testing.T) {
	dir := t.TempDir()
	opts := Options{Dir: dir, SegmentSize: 4096}
	l, _, err := collect(t, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 30; i++ {
		appendSync(t, l, fmt.Sprintf("%0300d", i))
	}
	must(t, l.Close())
	var seen int
	segs, err := Inspect(vfs.Default, dir, func(SegmentInfo, Record) { seen++ })
	if err != nil || len(segs) < 2 || seen != 30 {
		t.Fatalf("%d segments, %d records: %v", len(segs), seen, err)
	}
	last := segs[len(segs)-1]
	if last.LastLSN != 30 || last.Damage != "" || last.Types[1] != last.Records {
		t.Fatalf("last segment %+v", last)
	}
	// A flipped byte in the first segment's second record.
	first := filepath.Join(dir, segs[0].Name)
	flipByte(t, first, segmentHeader+frameHeader+300+frameHeader+5)
	segs, err = Inspect(vfs.Default, dir, nil)
	if err != nil || segs[0].Damage == "" || segs[0].Records != 1 || segs[0].DamageOffset != int64(segmentHeader+frameHeader+300) {
		t.Fatalf("damaged segment %+v %v", segs[0], err)
	}
}
