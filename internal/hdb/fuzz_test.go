package hdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/vfs"
)

// Fuzz inputs carry a fix byte: with its bits set the target repairs
// checksums before reading, so the fuzzer gets past them to the parsers
// behind. Bit 0: the metadata checksums; bit 1: the column file headers;
// bit 2: every block checksum in the metadata (the metadata is then
// re-encoded). Bit 0 of FuzzManifest's fix repairs every manifest checksum.
const (
	fixMeta    = 1
	fixColumns = 2
	fixBlocks  = 4
)

// fuzzPartitionSeeds returns valid partition files: metadata and three
// column files (ts, sym, s) of a small partition per compression.
func fuzzPartitionSeeds(t testing.TB) [][4][]byte {
	old := blockRows
	blockRows = 4
	defer func() { blockRows = old }()
	s, err := model.NewSchema("t", []model.Column{
		{Name: "ts", Type: model.TypeTimestamp}, {Name: "sym", Type: model.TypeSymbol}, {Name: "s", Type: model.TypeString},
	}, "ts", model.PartitionDay)
	if err != nil {
		t.Fatal(err)
	}
	p := &Partition{Table: "t", Schema: s, Start: 86400e9, Series: []Series{
		makeSeries(s, "A", false, 6, 1, 3), makeSeries(s, "", true, 2, 2, 2), makeSeries(s, "B", false, 0, 3, 0),
	}}
	var seeds [][4][]byte
	for _, c := range compressions {
		fsys := vfs.NewMemFS()
		if _, err := Write(fsys, "/p", p, c); err != nil {
			t.Fatal(err)
		}
		var seed [4][]byte
		for i, name := range []string{metaFile, columnFile(0), columnFile(1), columnFile(2)} {
			seed[i], _ = vfs.ReadFile(fsys, "/p/"+name)
		}
		seeds = append(seeds, seed)
	}
	return seeds
}

type partitionSeed struct {
	files [4][]byte
	fix   byte
}

func partitionSeeds(t testing.TB) []partitionSeed {
	var out []partitionSeed
	for _, s := range fuzzPartitionSeeds(t) {
		out = append(out, partitionSeed{s, 0}, partitionSeed{s, fixMeta | fixColumns | fixBlocks})
	}
	return out
}

// FuzzReadPartition writes fuzzed metadata and column files into a MemFS
// directory. Read and Verify must not panic or over-allocate; failures
// must wrap ErrCorrupt or ErrVersion; a partition Read accepts must pass
// Verify and survive another Write and Read unchanged.
func FuzzReadPartition(f *testing.F) {
	for _, s := range partitionSeeds(f) {
		f.Add(s.files[0], s.files[1], s.files[2], s.files[3], s.fix)
	}
	f.Fuzz(func(t *testing.T, meta, c0, c1, c2 []byte, fix byte) {
		files := [][]byte{bytes.Clone(meta), bytes.Clone(c0), bytes.Clone(c1), bytes.Clone(c2)}
		if !repair(files, fix) {
			return
		}
		mem := vfs.NewMemFS()
		mem.MkdirAll("/p", 0o755)
		for i, name := range []string{metaFile, columnFile(0), columnFile(1), columnFile(2)} {
			putFile(t, mem, "/p/"+name, files[i])
		}
		p, err := Read(mem, "/p")
		st, verr := Verify(mem, "/p")
		for _, err := range []error{err, verr} {
			if err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrVersion) {
				t.Fatalf("failure without ErrCorrupt or ErrVersion: %v", err)
			}
		}
		if err != nil {
			return
		}
		if verr != nil {
			t.Fatalf("Read accepts what Verify refuses: %v", verr)
		}
		var rows int64
		for _, s := range p.Series {
			rows += int64(s.Rows.Len())
		}
		if st.Rows != rows || st.Series != len(p.Series) {
			t.Fatalf("Verify stats %+v, Read %d rows in %d series", st, rows, len(p.Series))
		}
		var c Compression = CompressLZ4
		if _, err := Write(mem, "/q", p, c); err != nil {
			t.Fatalf("rewrite of an accepted partition: %v", err)
		}
		q, err := Read(mem, "/q")
		if err != nil {
			t.Fatal(err)
		}
		if err := equalPartitions(p, q); err != nil {
			t.Fatal(err)
		}
	})
}

// repair recomputes the checksums fix names, in place. It returns false
// for an input to skip: once block checksums are forged, the input is a
// valid partition, and one whose blocks declare more than 32 MiB of raw
// data in total (say, many zstd frames of runs) legitimately needs that
// much memory to read; the per-block limit is maxBlockRaw. Without
// forged checksums no such input gets past them.
func repair(files [][]byte, fix byte) bool {
	meta := files[0]
	if fix&fixMeta != 0 && len(meta) >= preambleSize+4 {
		binary.LittleEndian.PutUint32(meta[8:], checksum(meta[:8]))
		binary.LittleEndian.PutUint32(meta[len(meta)-4:], checksum(meta[preambleSize:len(meta)-4]))
	}
	if fix&fixColumns != 0 {
		for _, col := range files[1:] {
			if len(col) >= preambleSize {
				binary.LittleEndian.PutUint32(col[8:], checksum(col[:8]))
			}
		}
	}
	if fix&fixBlocks == 0 {
		return true
	}
	m, err := parseMeta("meta", meta)
	if err != nil {
		return true
	}
	var raw uint64
	for _, s := range m.series {
		for c, refs := range s.blocks {
			for b, ref := range refs {
				raw += uint64(ref.raw)
				if c+1 < len(files) && ref.off+uint64(ref.stored) <= uint64(len(files[c+1])) {
					refs[b].crc = checksum(files[c+1][ref.off : ref.off+uint64(ref.stored)])
				}
			}
		}
	}
	files[0] = appendMeta(nil, m)
	return raw <= 32<<20
}

func manifestSeeds() [][]byte {
	var out [][]byte
	for _, n := range []int{0, 1, 4} {
		buf, _ := appendManifest(nil, 1, testRecords(n))
		out = append(out, buf)
	}
	return out
}

// FuzzManifest reads fuzzed bytes as the only manifest. LatestManifest
// must not panic; failures must wrap ErrCorrupt or ErrVersion; a manifest
// it accepts must be exactly what WriteManifest writes for its records.
func FuzzManifest(f *testing.F) {
	for _, s := range manifestSeeds() {
		f.Add(s, byte(0))
		f.Add(s, byte(fixMeta))
	}
	f.Fuzz(func(t *testing.T, data []byte, fix byte) {
		data = bytes.Clone(data)
		if fix&fixMeta != 0 {
			repairManifest(data)
		}
		mem := vfs.NewMemFS()
		mem.MkdirAll("/m", 0o755)
		putFile(t, mem, "/m/"+manifestFile(1), data)
		lsn, recs, ok, err := LatestManifest(mem, "/m")
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrVersion) {
				t.Fatalf("failure without ErrCorrupt or ErrVersion: %v", err)
			}
			return
		}
		if !ok || lsn != 1 {
			t.Fatalf("ok %v lsn %d", ok, lsn)
		}
		if err := WriteManifest(mem, "/n", 1, recs); err != nil {
			t.Fatal(err)
		}
		again, _ := vfs.ReadFile(mem, "/n/"+manifestFile(1))
		if !bytes.Equal(again, data) {
			t.Fatalf("accepted manifest is not canonical:\n%x\n%x", data, again)
		}
	})
}

// repairManifest sets the header LSN to 1 and recomputes every checksum
// it can reach, in place.
func repairManifest(data []byte) {
	if len(data) < manifestHeader {
		return
	}
	binary.LittleEndian.PutUint64(data[8:], 1)
	binary.LittleEndian.PutUint32(data[16:], checksum(data[:16]))
	for off := manifestHeader; off+frameHeader <= len(data); {
		n := int(binary.LittleEndian.Uint32(data[off:]))
		if n > len(data)-off-frameHeader {
			return
		}
		binary.LittleEndian.PutUint32(data[off+5:], checksum(data[off+frameHeader:off+frameHeader+n]))
		binary.LittleEndian.PutUint32(data[off+9:], checksum(data[off:off+9]))
		off += frameHeader + n
	}
}

var updateCorpus = flag.Bool("update-corpus", false, "rewrite testdata/fuzz/Fuzz*/seed-* from the seed functions")

// TestFuzzCorpus keeps the checked-in seed corpora in step with the seeds
// the fuzz targets add, so `go test -fuzz` starts from the same inputs.
// After changing a format or a seed, rewrite them with
//
//	go test ./internal/hdb -run TestFuzzCorpus -args -update-corpus
func TestFuzzCorpus(t *testing.T) {
	var part, man []string
	for _, s := range partitionSeeds(t) {
		part = append(part, corpusFile(s.files[0], s.files[1], s.files[2], s.files[3], s.fix))
	}
	for _, s := range manifestSeeds() {
		man = append(man, corpusFile(s, byte(0)), corpusFile(s, byte(fixMeta)))
	}
	checkCorpus(t, "FuzzReadPartition", part)
	checkCorpus(t, "FuzzManifest", man)
}

// corpusFile encodes fuzz arguments as a `go test fuzz v1` file.
func corpusFile(args ...any) string {
	s := "go test fuzz v1\n"
	for _, a := range args {
		switch a := a.(type) {
		case []byte:
			s += "[]byte(" + strconv.Quote(string(a)) + ")\n"
		case byte:
			s += fmt.Sprintf("byte(%q)\n", a)
		}
	}
	return s
}

func checkCorpus(t *testing.T, target string, want []string) {
	dir := filepath.Join("testdata", "fuzz", target)
	for i, w := range want {
		path := filepath.Join(dir, fmt.Sprintf("seed-%02d", i+1))
		if *updateCorpus {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(w), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != w {
			t.Errorf("%s is missing or stale; run go test ./internal/hdb -run TestFuzzCorpus -args -update-corpus", path)
		}
	}
}
