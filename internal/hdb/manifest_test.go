package hdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

func testRecords(n int) []Record {
	rs := make([]Record, n)
	for i := range rs {
		rs[i] = Record{Type: byte(1 + i%3), Payload: bytes.Repeat([]byte{byte(i)}, i*3)}
	}
	return rs
}

func equalRecords(a, b []Record) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Type != b[i].Type || !bytes.Equal(a[i].Payload, b[i].Payload) {
			return false
		}
	}
	return true
}

func TestManifestRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 5} {
		t.Run(fmt.Sprint(n, " records"), func(t *testing.T) {
			fsys := vfs.NewMemFS()
			want := testRecords(n)
			if err := WriteManifest(fsys, "/d/hdb", 0xabc, want); err != nil {
				t.Fatal(err)
			}
			lsn, got, ok, err := LatestManifest(fsys, "/d/hdb")
			if err != nil || !ok || lsn != 0xabc || !equalRecords(got, want) {
				t.Fatalf("LatestManifest = %d, %v, %v, %v", lsn, got, ok, err)
			}
			if names, _ := fsys.List("/d/hdb"); len(names) != 1 || names[0] != "manifest-0000000000000abc" {
				t.Fatalf("files %v", names)
			}
		})
	}
}

func TestLatestManifest(t *testing.T) {
	fsys := vfs.NewMemFS()
	if _, _, ok, err := LatestManifest(fsys, "/none"); ok || err != nil {
		t.Fatalf("missing directory: %v %v", ok, err)
	}
	fsys.MkdirAll("/m", 0o755)
	if _, _, ok, err := LatestManifest(fsys, "/m"); ok || err != nil {
		t.Fatalf("empty directory: %v %v", ok, err)
	}
	for _, lsn := range []uint64{7, 300, 20} {
		if err := WriteManifest(fsys, "/m", lsn, testRecords(int(lsn%5))); err != nil {
			t.Fatal(err)
		}
	}
	putFile(t, fsys, "/m/manifest-0000000000000999.tmp", []byte("half a manifest"))
	putFile(t, fsys, "/m/manifest-zz", []byte("junk"))
	putFile(t, fsys, "/m/other", []byte("junk"))
	lsns, err := ListManifests(fsys, "/m")
	if err != nil || fmt.Sprint(lsns) != "[7 20 300]" {
		t.Fatalf("ListManifests = %v, %v", lsns, err)
	}
	lsn, recs, ok, err := LatestManifest(fsys, "/m")
	if err != nil || !ok || lsn != 300 || !equalRecords(recs, testRecords(0)) {
		t.Fatalf("LatestManifest = %d %v %v %v", lsn, recs, ok, err)
	}
	if err := RemoveManifest(fsys, "/m", 300); err != nil {
		t.Fatal(err)
	}
	if lsn, recs, _, err := LatestManifest(fsys.Crash(nil), "/m"); err != nil || lsn != 20 || !equalRecords(recs, testRecords(0)) {
		t.Fatalf("after RemoveManifest and a crash: %d %v", lsn, err)
	}
	if err := RemoveManifest(fsys, "/m", 300); err == nil {
		t.Fatal("removing a missing manifest succeeded")
	}
	if err := WriteManifest(fsys, "/m", 1, []Record{{Type: 0}}); err == nil {
		t.Fatal("record type 0 accepted")
	}
}

// TestManifestDamage: every byte flip, truncation or extension of the
// newest manifest is an error naming it, never the older manifest.
func TestManifestDamage(t *testing.T) {
	fsys := vfs.NewMemFS()
	if err := WriteManifest(fsys, "/m", 1, testRecords(2)); err != nil {
		t.Fatal(err)
	}
	if err := WriteManifest(fsys, "/m", 2, testRecords(4)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("/m", manifestFile(2))
	orig, _ := vfs.ReadFile(fsys, path)
	check := func(what string, data []byte) {
		t.Helper()
		putFile(t, fsys, path, data)
		_, _, ok, err := LatestManifest(fsys, "/m")
		if ok || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) {
			t.Fatalf("%s: ok %v err %v", what, ok, err)
		}
	}
	for i := range orig {
		for _, mask := range []byte{0x01, 0x80} {
			data := append([]byte(nil), orig...)
			data[i] ^= mask
			check(fmt.Sprintf("flip of byte %d", i), data)
		}
	}
	for n := 0; n < len(orig); n++ {
		check(fmt.Sprintf("truncated to %d", n), orig[:n])
	}
	check("extended", append(append([]byte(nil), orig...), 0))
	// A copy under another LSN's name is refused too.
	putFile(t, fsys, path, orig)
	putFile(t, fsys, filepath.Join("/m", manifestFile(3)), orig)
	if _, _, _, err := LatestManifest(fsys, "/m"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("manifest under the wrong name: %v", err)
	}
}

func TestManifestNewerVersion(t *testing.T) {
	fsys := vfs.NewMemFS()
	if err := WriteManifest(fsys, "/m", 5, testRecords(1)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("/m", manifestFile(5))
	data, _ := vfs.ReadFile(fsys, path)
	binary.LittleEndian.PutUint32(data[4:], 2)
	binary.LittleEndian.PutUint32(data[16:], checksum(data[:16]))
	putFile(t, fsys, path, data)
	_, _, _, err := LatestManifest(fsys, "/m")
	if !errors.Is(err, ErrVersion) || !strings.Contains(err.Error(), "version 2") || !strings.Contains(err.Error(), "up to 1") {
		t.Fatalf("newer manifest: %v", err)
	}
}

// TestWriteManifestCrash: after a power loss at any point of WriteManifest
// the newest manifest is the old one or the new one, complete.
func TestWriteManifestCrash(t *testing.T) {
	old, next := testRecords(3), testRecords(6)
	setup := func(mem *vfs.MemFS) {
		if err := WriteManifest(mem, "/m", 10, old); err != nil {
			t.Fatal(err)
		}
	}
	sawOld, sawNew := false, false
	crashPoints(t, setup, func(fsys vfs.FS) error {
		return WriteManifest(fsys, "/m", 11, next)
	}, func(t *testing.T, crashed *vfs.MemFS, done bool) {
		lsn, recs, ok, err := LatestManifest(crashed, "/m")
		switch {
		case err != nil || !ok:
			t.Fatalf("LatestManifest after a crash: %v %v", ok, err)
		case lsn == 10 && !done && equalRecords(recs, old):
			sawOld = true
		case lsn == 11 && equalRecords(recs, next):
			sawNew = true
		default:
			t.Fatalf("LatestManifest = %d with %d records (done %v)", lsn, len(recs), done)
		}
	})
	if !sawOld || !sawNew {
		t.Fatalf("old %v new %v", sawOld, sawNew)
	}
}
