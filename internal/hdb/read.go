package hdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/vfs"
)

// Stats describes a partition on disk.
type Stats struct {
	Rows        int64
	Series      int
	Blocks      int   // compressed blocks, over all column files
	RawBytes    int64 // uncompressed size of all blocks
	StoredBytes int64 // size of all files: metadata and column files
}

// Read reads a partition written by Write, verifying every checksum.
// Errors about damage wrap ErrCorrupt and name the file (and block); a
// file of a newer format version is refused with a *VersionError.
func Read(fsys vfs.FS, dir string) (*Partition, error) {
	p, err := read(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("hdb: read partition %s: %w", dir, err)
	}
	return p, nil
}

// Verify checks every checksum and the structure of a partition without
// building vectors: each block is decompressed and its encoding header
// checked against the metadata. It returns the partition's Stats.
func Verify(fsys vfs.FS, dir string) (Stats, error) {
	st, err := verify(fsys, dir)
	if err != nil {
		return Stats{}, fmt.Errorf("hdb: verify partition %s: %w", dir, err)
	}
	return st, nil
}

// RemoveDir removes a partition directory written by Write and everything
// in it. The metadata goes first, made durable, so a crash part way
// leaves a directory Read rejects. A missing directory is not an error.
func RemoveDir(fsys vfs.FS, dir string) error {
	err := fsys.Remove(filepath.Join(dir, metaFile))
	switch {
	case err == nil:
		if err := fsys.SyncDir(dir); err != nil {
			return fmt.Errorf("hdb: remove partition %s: %w", dir, err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("hdb: remove partition %s: %w", dir, err)
	}
	if err := vfs.RemoveAll(fsys, dir); err != nil {
		return fmt.Errorf("hdb: remove partition %s: %w", dir, err)
	}
	return nil
}

// readMeta reads and parses the metadata file of dir.
func readMeta(fsys vfs.FS, dir string) (*meta, int64, error) {
	path := filepath.Join(dir, metaFile)
	buf, err := vfs.ReadFile(fsys, path)
	if errors.Is(err, fs.ErrNotExist) {
		// An unfinished Write, or not a partition at all.
		return nil, 0, fmt.Errorf("%w: %s: no metadata file (unfinished write?): %w", ErrCorrupt, path, err)
	}
	if err != nil {
		return nil, 0, err
	}
	m, err := parseMeta(path, buf)
	return m, int64(len(buf)), err
}

// columnReader reads the blocks of one column file in metadata order,
// from a read-only mapping of the file when the file system maps files
// (every block is sliced out of the page cache, never copied before it is
// decompressed) and with pread otherwise.
type columnReader struct {
	f      vfs.File     // nil when mapped
	mapped *vfs.Mapping // nil when read with pread
	path   string
	comp   Compression
	typ    model.ColumnType
	block  int  // index of the next block in the file
	zones  bool // blocks carry zones (metadata v2, a numeric or TIMESTAMP column)
	stored []byte
	raw    []byte
}

// afterMap, when set by a test, runs after a column file is mapped.
var afterMap func(path string)

// openColumn opens column c of m and checks its size and preamble. The
// caller closes it and reads it only inside vfs.Guard.
func openColumn(fsys vfs.FS, dir string, m *meta, c int) (*columnReader, error) {
	path := filepath.Join(dir, columnFile(c))
	typ := m.schema.Columns[c].Type
	r := &columnReader{path: path, comp: m.comp, typ: typ, zones: m.version >= 2 && zoned(typ)}
	var err error
	if mapper, ok := fsys.(vfs.Mapper); ok {
		r.mapped, err = mapper.Map(path)
	} else {
		r.f, err = fsys.OpenFile(path, os.O_RDONLY, 0)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s: column file missing: %w", ErrCorrupt, path, err)
	}
	if err != nil {
		return nil, err
	}
	if r.mapped != nil && afterMap != nil {
		afterMap(path)
	}
	if err := vfs.Guard(func() error { return r.check(m.colSize[c]) }); err != nil {
		r.close()
		return nil, err
	}
	return r, nil
}

func (r *columnReader) close() error {
	if r.mapped != nil {
		return r.mapped.Close()
	}
	return r.f.Close()
}

func (r *columnReader) check(want int64) error {
	var size int64
	if r.mapped != nil {
		size = int64(len(r.mapped.Data))
	} else {
		var err error
		if size, err = r.f.Size(); err != nil {
			return err
		}
	}
	if size != want {
		return corrupt(r.path, -1, "size %d, metadata expects %d (truncated or extended)", size, want)
	}
	var pre [preambleSize]byte
	if r.mapped != nil {
		copy(pre[:], r.mapped.Data)
	} else if _, err := r.f.ReadAt(pre[:], 0); err != nil {
		return fmt.Errorf("read %s: %w", r.path, err)
	}
	return checkPreamble(r.path, pre[:], columnMagic, columnVersion)
}

// next reads the block ref, checks its CRC and returns its raw encoding,
// valid until the next call.
func (r *columnReader) next(ref blockRef) ([]byte, error) {
	b := r.block
	r.block++
	var stored []byte
	if r.mapped != nil {
		// In bounds: the size was checked, and the metadata's offsets
		// are contiguous from the preamble up to that size.
		stored = r.mapped.Data[ref.off : ref.off+uint64(ref.stored)]
	} else {
		if cap(r.stored) < int(ref.stored) {
			r.stored = make([]byte, ref.stored)
		}
		stored = r.stored[:ref.stored]
		if n, err := r.f.ReadAt(stored, int64(ref.off)); n != len(stored) {
			if err == nil || errors.Is(err, io.EOF) {
				return nil, r.corrupt(b, ref, "short read of %d bytes, want %d", n, len(stored))
			}
			return nil, fmt.Errorf("read %s block %d: %w", r.path, b, err)
		}
	}
	if checksum(stored) != ref.crc {
		return nil, r.corrupt(b, ref, "checksum mismatch")
	}
	raw, err := decompress(r.comp, stored, int(ref.raw), r.raw)
	if err != nil {
		return nil, r.corrupt(b, ref, "%v", err)
	}
	if &raw[0] != &stored[0] && cap(raw) > cap(r.raw) {
		r.raw = raw // keep the larger buffer for the next block
	}
	return raw, nil
}

func (r *columnReader) corrupt(block int, ref blockRef, format string, args ...any) error {
	return &CorruptError{File: r.path, Block: block, Offset: int64(ref.off), Reason: fmt.Sprintf(format, args...)}
}

// decode decodes a block's raw encoding into a vector of rows values.
func (r *columnReader) decode(raw []byte, ref blockRef, rows uint32) (*column.Vector, error) {
	b, rest, err := column.DecodeBatch(raw)
	switch {
	case err != nil:
		return nil, r.corrupt(r.block-1, ref, "%v", err)
	case len(rest) != 0 || len(b.Vectors) != 1:
		return nil, r.corrupt(r.block-1, ref, "block is not one column")
	case b.Vectors[0].Type != r.typ || b.Vectors[0].Len() != int(rows):
		return nil, r.corrupt(r.block-1, ref, "block holds %d %s rows, want %d %s", b.Vectors[0].Len(), b.Vectors[0].Type, rows, r.typ)
	case r.zones && zoneOf(b.Vectors[0]) != ref.zone:
		// The metadata vouches for the block's range; pruning trusts it.
		return nil, r.corrupt(r.block-1, ref, "values do not match the block's zone in the metadata")
	}
	return b.Vectors[0], nil
}

// checkHeader checks the start of a block's raw encoding (row count,
// one column, its type) without decoding the values.
func (r *columnReader) checkHeader(raw []byte, ref blockRef, rows uint32) error {
	n, k := binary.Uvarint(raw)
	if k <= 0 || n != uint64(rows) {
		return r.corrupt(r.block-1, ref, "block encodes %d rows, want %d", n, rows)
	}
	raw = raw[k:]
	if len(raw) < 3 || raw[0] != 1 || model.ColumnType(raw[1]) != r.typ || raw[2] > 1 {
		return r.corrupt(r.block-1, ref, "bad block header")
	}
	return nil
}

func read(fsys vfs.FS, dir string) (*Partition, error) {
	m, _, err := readMeta(fsys, dir)
	if err != nil {
		return nil, err
	}
	p := &Partition{Table: m.table, Schema: m.schema, Start: m.start, Series: make([]Series, len(m.series))}
	for i, s := range m.series {
		p.Series[i] = Series{Symbol: s.symbol, Null: s.kind == kindNull, Rows: &column.Batch{Vectors: make([]*column.Vector, len(m.schema.Columns))}}
	}
	for c := range m.schema.Columns {
		if err := readColumn(fsys, dir, m, c, p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// readColumn decodes column c of every series of m into p.
func readColumn(fsys vfs.FS, dir string, m *meta, c int, p *Partition) error {
	r, err := openColumn(fsys, dir, m, c)
	if err != nil {
		return err
	}
	defer r.close()
	return r.guard(func() error { return r.readAll(m, c, p) })
}

// guard runs f, which reads the column, turning a fault on its mapping
// into an error that names the file.
func (r *columnReader) guard(f func() error) error {
	err := vfs.Guard(f)
	if errors.Is(err, vfs.ErrFault) {
		return fmt.Errorf("read %s (the file changed or the device failed while mapped): %w", r.path, err)
	}
	return err
}

func (r *columnReader) readAll(m *meta, c int, p *Partition) error {
	for i := range m.series {
		s := &m.series[i]
		parts := make([]*column.Vector, 0, len(s.blockRows))
		for b, ref := range s.blocks[c] {
			raw, err := r.next(ref)
			if err != nil {
				return err
			}
			v, err := r.decode(raw, ref, s.blockRows[b])
			if err != nil {
				return err
			}
			parts = append(parts, v)
		}
		p.Series[i].Rows.Vectors[c] = concat(r.typ, parts)
	}
	return nil
}

func verify(fsys vfs.FS, dir string) (Stats, error) {
	m, metaSize, err := readMeta(fsys, dir)
	if err != nil {
		return Stats{}, err
	}
	st := Stats{Series: len(m.series), StoredBytes: metaSize}
	for _, s := range m.series {
		st.Rows += s.rows()
	}
	for c := range m.schema.Columns {
		r, err := openColumn(fsys, dir, m, c)
		if err != nil {
			return Stats{}, err
		}
		err = r.guard(func() error { return verifyColumn(r, m, c, &st) })
		r.close()
		if err != nil {
			return Stats{}, err
		}
		st.StoredBytes += m.colSize[c]
	}
	return st, nil
}

func verifyColumn(r *columnReader, m *meta, c int, st *Stats) error {
	for _, s := range m.series {
		for b, ref := range s.blocks[c] {
			raw, err := r.next(ref)
			if err != nil {
				return err
			}
			if err := r.checkHeader(raw, ref, s.blockRows[b]); err != nil {
				return err
			}
			st.Blocks++
			st.RawBytes += int64(ref.raw)
		}
	}
	return nil
}

// concat joins the decoded blocks of one series into one vector.
func concat(t model.ColumnType, parts []*column.Vector) *column.Vector {
	switch len(parts) {
	case 0:
		return emptyVector(t)
	case 1:
		return parts[0]
	}
	n := 0
	for _, v := range parts {
		n += v.Len()
	}
	out := &column.Vector{Type: t}
	base := 0
	for _, v := range parts {
		switch t {
		case model.TypeInt64, model.TypeTimestamp:
			out.Int64 = append(growTo(out.Int64, n), v.Int64...)
		case model.TypeInt32:
			out.Int32 = append(growTo(out.Int32, n), v.Int32...)
		case model.TypeFloat64:
			out.Float64 = append(growTo(out.Float64, n), v.Float64...)
		case model.TypeFloat32:
			out.Float32 = append(growTo(out.Float32, n), v.Float32...)
		case model.TypeSymbol, model.TypeString:
			out.String = append(growTo(out.String, n), v.String...)
		case model.TypeBool:
			out.Bool = append(growTo(out.Bool, n), v.Bool...)
		}
		if v.Nulls.Any() {
			for i := 0; i < v.Len(); i++ {
				if v.Nulls.Get(i) {
					out.SetNull(base + i)
				}
			}
		}
		base += v.Len()
	}
	return out
}

// growTo gives s room for n elements in total.
func growTo[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s
	}
	return append(make([]T, 0, n), s...)
}

// emptyVector returns a vector of type t with no rows, in ingest form.
func emptyVector(t model.ColumnType) *column.Vector {
	if t == model.TypeSymbol {
		return &column.Vector{Type: t, String: []string{}}
	}
	return column.NewVector(t, 0)
}

// Rows reads only the metadata of a partition (checking its checksum)
// and returns how many rows it holds: enough to account for a partition
// whose column files are read later, on first use.
func Rows(fsys vfs.FS, dir string) (int64, error) {
	m, _, err := readMeta(fsys, dir)
	if err != nil {
		return 0, err
	}
	var n int64
	for i := range m.series {
		n += m.series[i].rows()
	}
	return n, nil
}
