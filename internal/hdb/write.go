package hdb

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/vfs"
)

// Series is one symbol's rows of a partition in ingest form (SYMBOL
// columns hold text in Vector.String), ordered by the designated
// timestamp.
type Series struct {
	Symbol string        // the designated symbol's value; "" when Null or when the table has none
	Null   bool          // the designated symbol is NULL for these rows
	Rows   *column.Batch // one vector per schema column
}

// Partition is one sealed time partition of a table.
type Partition struct {
	Table  string
	Schema *model.Schema
	Start  int64    // partition start (ns)
	Series []Series // in the order written (the caller sorts them)
}

// Write writes p into the new directory dir (it must not exist; parents
// are created): one metadata file and one file per column, column data in
// blocks of at most BlockRows rows of one series each, every block
// compressed with c and checksummed (CRC-32C), the metadata checksummed;
// every file fsynced, then the directory and its parent. It returns the
// bytes written.
//
// The column files are written and made durable first; the metadata goes
// to a temporary name, is fsynced and renamed into place last. A crash at
// any point therefore leaves either no directory or one that Read rejects
// (no metadata, or metadata whose checksum fails), never one that Read
// accepts with other data. The caller publishes a partition only through
// the manifest, after Write returns. On error Write removes what it
// created, as far as it can.
func Write(fsys vfs.FS, dir string, p *Partition, c Compression) (int64, error) {
	n, err := write(fsys, dir, p, c)
	if err != nil {
		return 0, fmt.Errorf("hdb: write partition %s: %w", dir, err)
	}
	return n, nil
}

func write(fsys vfs.FS, dir string, p *Partition, c Compression) (int64, error) {
	if !c.valid() {
		return 0, fmt.Errorf("unknown compression %d", c)
	}
	m, err := plan(p, c)
	if err != nil {
		return 0, err
	}
	if _, err := fsys.List(dir); err == nil {
		return 0, fmt.Errorf("directory already exists")
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, err
	}
	if err := fsys.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	n, err := writeFiles(fsys, dir, p, m)
	if err != nil {
		_ = RemoveDir(fsys, dir) // best effort; what is left fails Read
		return 0, err
	}
	return n, nil
}

// plan checks p and returns its metadata with block row counts chosen and
// block references still empty.
func plan(p *Partition, c Compression) (*meta, error) {
	if p.Schema == nil {
		return nil, fmt.Errorf("no schema")
	}
	if err := checkSchema(p.Schema); err != nil {
		return nil, err
	}
	m := &meta{comp: c, table: p.Table, start: p.Start, schema: p.Schema, series: make([]seriesMeta, len(p.Series))}
	for i := range p.Series {
		s, err := planSeries(p.Schema, &p.Series[i])
		if err != nil {
			return nil, fmt.Errorf("series %d (%q): %w", i, p.Series[i].Symbol, err)
		}
		m.series[i] = s
	}
	return m, nil
}

func planSeries(schema *model.Schema, s *Series) (seriesMeta, error) {
	var sm seriesMeta
	switch {
	case schema.SymbolCol < 0:
		if s.Null || s.Symbol != "" {
			return sm, fmt.Errorf("a series of a table without a designated symbol must have no symbol")
		}
		sm.kind = kindNoSymbol
	case s.Null:
		if s.Symbol != "" {
			return sm, fmt.Errorf("a NULL series with a symbol")
		}
		sm.kind = kindNull
	default:
		sm.kind, sm.symbol = kindSymbol, s.Symbol
	}
	if s.Rows == nil || len(s.Rows.Vectors) != len(schema.Columns) {
		return sm, fmt.Errorf("want one vector per column (%d)", len(schema.Columns))
	}
	rows := s.Rows.Len()
	for c, v := range s.Rows.Vectors {
		col := schema.Columns[c]
		switch {
		case v == nil || v.Type != col.Type:
			return sm, fmt.Errorf("column %s: vector type does not match %s", col.Name, col.Type)
		case v.Type == model.TypeSymbol && v.Symbol != nil:
			return sm, fmt.Errorf("column %s: SYMBOL vector holds dictionary ids; hdb stores text (ingest form)", col.Name)
		case v.Len() != rows:
			return sm, fmt.Errorf("column %s: %d rows, want %d", col.Name, v.Len(), rows)
		}
	}
	var text []int
	for c, col := range schema.Columns {
		if col.Type.IsText() {
			text = append(text, c)
		}
	}
	for lo := 0; lo < rows; {
		hi := cutText(s.Rows.Vectors, text, lo, min(lo+blockRows, rows))
		if hi == lo {
			return sm, fmt.Errorf("row %d: a text value over the block limit of %d bytes", lo, textBudget)
		}
		sm.blockRows = append(sm.blockRows, uint32(hi-lo))
		lo = hi
	}
	sm.blocks = make([][]blockRef, len(schema.Columns))
	return sm, nil
}

// cutText returns the end of a block starting at row lo: hi, or earlier
// when the encoded values of a text column would pass textBudget.
func cutText(vs []*column.Vector, text []int, lo, hi int) int {
	size := make([]int, len(text))
	for r := lo; r < hi; r++ {
		for i, c := range text {
			n := len(vs[c].String[r])
			size[i] += n + varintLen(uint64(n))
			if size[i] > textBudget {
				return r
			}
		}
	}
	return hi
}

func varintLen(x uint64) int {
	n := 1
	for ; x >= 0x80; x >>= 7 {
		n++
	}
	return n
}

// writeFiles writes the column files, then the metadata.
func writeFiles(fsys vfs.FS, dir string, p *Partition, m *meta) (int64, error) {
	w := &blockWriter{z: compressor{c: m.comp}}
	var total int64
	for c := range p.Schema.Columns {
		n, err := w.writeColumn(fsys, filepath.Join(dir, columnFile(c)), p, m, c)
		if err != nil {
			return 0, err
		}
		total += n
	}
	// The column files' entries must be durable before the metadata
	// that vouches for them can be.
	if err := fsys.SyncDir(dir); err != nil {
		return 0, err
	}
	buf := appendMeta(nil, m)
	if err := writeSynced(fsys, filepath.Join(dir, metaTemp), buf); err != nil {
		return 0, err
	}
	if err := fsys.Rename(filepath.Join(dir, metaTemp), filepath.Join(dir, metaFile)); err != nil {
		return 0, err
	}
	if err := fsys.SyncDir(dir); err != nil {
		return 0, err
	}
	if err := fsys.SyncDir(filepath.Dir(filepath.Clean(dir))); err != nil {
		return 0, err
	}
	return total + int64(len(buf)), nil
}

// blockWriter holds the buffers reused across blocks.
type blockWriter struct {
	z      compressor
	raw    []byte
	stored []byte
	batch  column.Batch
}

// writeColumn writes column c of every series to path, filling in the
// block references of m, and returns the file size.
func (w *blockWriter) writeColumn(fsys vfs.FS, path string, p *Partition, m *meta, c int) (int64, error) {
	f, err := fsys.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	off := int64(preambleSize)
	if _, err := bw.Write(appendPreamble(nil, columnMagic, columnVersion)); err != nil {
		return 0, err
	}
	for i := range p.Series {
		v := p.Series[i].Rows.Vectors[c]
		sm := &m.series[i]
		refs := make([]blockRef, len(sm.blockRows))
		lo := 0
		for b, rows := range sm.blockRows {
			ref, err := w.block(v, lo, lo+int(rows), off)
			if err != nil {
				return 0, fmt.Errorf("column %s: %w", p.Schema.Columns[c].Name, err)
			}
			if _, err := bw.Write(w.stored); err != nil {
				return 0, err
			}
			refs[b] = ref
			off += int64(ref.stored)
			lo += int(rows)
		}
		sm.blocks[c] = refs
	}
	if err := bw.Flush(); err != nil {
		return 0, err
	}
	if err := f.Sync(); err != nil {
		return 0, err
	}
	m.colSize = append(m.colSize, off)
	return off, f.Close()
}

// block encodes rows [lo, hi) of v into w.stored.
func (w *blockWriter) block(v *column.Vector, lo, hi int, off int64) (blockRef, error) {
	if lo > 0 || hi < v.Len() {
		v = v.Slice(lo, hi)
	}
	w.batch.Vectors = append(w.batch.Vectors[:0], v)
	w.raw = column.AppendBatch(w.raw[:0], &w.batch)
	if len(w.raw) > maxBlockRaw {
		return blockRef{}, fmt.Errorf("block of %d rows encodes to %d bytes, over the limit of %d", hi-lo, len(w.raw), maxBlockRaw)
	}
	w.stored = w.z.compress(w.stored[:0], w.raw)
	ref := blockRef{off: uint64(off), stored: uint32(len(w.stored)), raw: uint32(len(w.raw)), crc: checksum(w.stored)}
	if zoned(v.Type) {
		ref.zone = zoneOf(v)
	}
	return ref, nil
}

// writeSynced creates path with data and fsyncs it.
func writeSynced(fsys vfs.FS, path string, data []byte) error {
	f, err := fsys.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
