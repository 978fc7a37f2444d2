package hdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

// smallPartition is a partition of two series, several blocks each.
func smallPartition(t testing.TB) *Partition {
	s := allTypes(t, true)
	return &Partition{Table: "t", Schema: s, Start: 86400e9, Series: []Series{
		makeSeries(s, "A", false, 40, 1, 3),
		makeSeries(s, "", true, 17, 2, 2),
	}}
}

func writeSmall(t *testing.T, c Compression) (*vfs.MemFS, *Partition) {
	t.Helper()
	setBlockRows(t, 16)
	fsys := vfs.NewMemFS()
	p := smallPartition(t)
	if _, err := Write(fsys, "/p", p, c); err != nil {
		t.Fatal(err)
	}
	return fsys, p
}

func putFile(t testing.TB, fsys vfs.FS, path string, data []byte) {
	t.Helper()
	f, err := fsys.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// wantCorrupt checks that Read and Verify both refuse dir with an error
// wrapping ErrCorrupt that names file.
func wantCorrupt(t *testing.T, fsys vfs.FS, file, what string) {
	t.Helper()
	if _, err := Read(fsys, "/p"); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), file) {
		t.Fatalf("%s: Read = %v; want ErrCorrupt naming %s", what, err, file)
	}
	if _, err := Verify(fsys, "/p"); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), file) {
		t.Fatalf("%s: Verify = %v; want ErrCorrupt naming %s", what, err, file)
	}
}

// TestByteFlipsDetected flips every byte of every file of a partition, one
// at a time: Read and Verify must refuse each with an error naming the file.
func TestByteFlipsDetected(t *testing.T) {
	for _, c := range compressions {
		t.Run(c.String(), func(t *testing.T) {
			fsys, _ := writeSmall(t, c)
			names, _ := fsys.List("/p")
			if len(names) != 10 { // meta and 9 columns
				t.Fatalf("files %v", names)
			}
			for _, name := range names {
				path := filepath.Join("/p", name)
				orig, _ := vfs.ReadFile(fsys, path)
				for i := range orig {
					for _, mask := range []byte{0x01, 0x80} {
						data := append([]byte(nil), orig...)
						data[i] ^= mask
						putFile(t, fsys, path, data)
						wantCorrupt(t, fsys, path, "flip of byte "+strconv.Itoa(i))
					}
				}
				putFile(t, fsys, path, orig)
			}
			if _, err := Read(fsys, "/p"); err != nil {
				t.Fatalf("restored partition: %v", err)
			}
		})
	}
}

// TestBlockNamedInError: damage inside a block names the block.
func TestBlockNamedInError(t *testing.T) {
	fsys, _ := writeSmall(t, CompressLZ4)
	path := "/p/" + columnFile(4)
	data, _ := vfs.ReadFile(fsys, path)
	data[len(data)-1] ^= 1 // the last block: series 1, block 1; block 4 of the file
	putFile(t, fsys, path, data)
	_, err := Read(fsys, "/p")
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.File != path || ce.Block != 4 || !strings.Contains(err.Error(), "block 4 at offset") {
		t.Fatalf("Read = %v (%+v)", err, ce)
	}
	// Read series by series, the damage fails series 1 only, and names
	// the same block.
	r, err := Open(fsys, "/p")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadSeries(0); err != nil {
		t.Fatalf("series 0, undamaged: %v", err)
	}
	_, err = r.ReadSeries(1)
	if !errors.As(err, &ce) || ce.File != path || ce.Block != 4 {
		t.Fatalf("ReadSeries(1) = %v (%+v)", err, ce)
	}
}

func TestTruncatedAndExtendedFiles(t *testing.T) {
	fsys, _ := writeSmall(t, CompressZstd)
	names, _ := fsys.List("/p")
	for _, name := range names {
		path := filepath.Join("/p", name)
		orig, _ := vfs.ReadFile(fsys, path)
		for _, n := range []int{0, 1, 11, 12, len(orig) / 2, len(orig) - 1} {
			putFile(t, fsys, path, orig[:n])
			wantCorrupt(t, fsys, path, "truncated to "+strconv.Itoa(n))
		}
		putFile(t, fsys, path, append(append([]byte(nil), orig...), 0))
		wantCorrupt(t, fsys, path, "one byte appended")
		fsys.Remove(path)
		wantCorrupt(t, fsys, path, "removed")
		putFile(t, fsys, path, orig)
	}
}

// TestNewerVersionRefused: a file of a newer version with an intact header
// is refused with an error naming both versions, not as damage.
func TestNewerVersionRefused(t *testing.T) {
	fsys, _ := writeSmall(t, CompressLZ4)
	for _, name := range []string{metaFile, columnFile(0), columnFile(8)} {
		path := filepath.Join("/p", name)
		supported := fmt.Sprintf("up to %d", columnVersion)
		if name == metaFile {
			supported = fmt.Sprintf("up to %d", metaVersion)
		}
		orig, _ := vfs.ReadFile(fsys, path)
		data := append([]byte(nil), orig...)
		binary.LittleEndian.PutUint32(data[4:], 7)
		binary.LittleEndian.PutUint32(data[8:], checksum(data[:8]))
		putFile(t, fsys, path, data)
		for _, f := range []func() error{
			func() error { _, err := Read(fsys, "/p"); return err },
			func() error { _, err := Verify(fsys, "/p"); return err },
		} {
			err := f()
			var ve *VersionError
			if !errors.As(err, &ve) || errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "version 7") || !strings.Contains(err.Error(), supported) || !strings.Contains(err.Error(), path) {
				t.Fatalf("%s: %v", name, err)
			}
		}
		putFile(t, fsys, path, orig)
	}
}

// TestZoneDisagreeingWithBlock: metadata whose zone does not match its
// block's values (a writer bug; the checksums hold) fails the read that
// decodes the block, naming it, instead of letting pruning skip rows.
func TestZoneDisagreeingWithBlock(t *testing.T) {
	fsys, p := writeSmall(t, CompressLZ4)
	m, _, err := readMeta(fsys, "/p")
	if err != nil {
		t.Fatal(err)
	}
	tc := p.Schema.TimestampCol
	m.series[0].blocks[tc][0].zone.Max--
	putFile(t, fsys, "/p/"+metaFile, appendMeta(nil, m))
	_, err = Read(fsys, "/p")
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Block != 0 || !strings.Contains(err.Error(), "zone") {
		t.Fatalf("Read = %v", err)
	}
	r, err := Open(fsys, "/p")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadSeries(0); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("ReadSeries = %v", err)
	}
}
