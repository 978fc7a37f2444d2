package hdb

import (
	"fmt"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/vfs"
)

// Reader is an opened partition: its metadata read and checked, its
// column files read on demand, a whole partition or one series at a
// time. A query that names its symbols then reads only their blocks.
type Reader struct {
	fsys vfs.FS
	dir  string
	m    *meta
	// firstBlock[i] is the index, within every column file, of series
	// i's first block: blocks lie in series order.
	firstBlock []int
}

// SeriesInfo describes one series of an opened partition.
type SeriesInfo struct {
	Symbol string // as in Series
	Null   bool
	Rows   int64
	// TS is the range of the designated timestamp over the series; Has
	// is false without one, or in metadata v1 (no zones).
	TS Zone
}

// Open reads and checks the metadata of the partition in dir.
func Open(fsys vfs.FS, dir string) (*Reader, error) {
	m, _, err := readMeta(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("hdb: open partition %s: %w", dir, err)
	}
	r := &Reader{fsys: fsys, dir: dir, m: m, firstBlock: make([]int, len(m.series))}
	n := 0
	for i := range m.series {
		r.firstBlock[i] = n
		n += len(m.series[i].blockRows)
	}
	return r, nil
}

// Schema returns the schema the partition was written with.
func (r *Reader) Schema() *model.Schema { return r.m.schema }

// Rows returns the rows of the partition.
func (r *Reader) Rows() int64 {
	var n int64
	for i := range r.m.series {
		n += r.m.series[i].rows()
	}
	return n
}

// Series describes the partition's series in the order written.
func (r *Reader) Series() []SeriesInfo {
	out := make([]SeriesInfo, len(r.m.series))
	for i := range r.m.series {
		s := &r.m.series[i]
		out[i] = SeriesInfo{Symbol: s.symbol, Null: s.kind == kindNull, Rows: s.rows()}
		if tc := r.m.schema.TimestampCol; tc >= 0 && r.m.version >= 2 {
			out[i].TS = union(r.BlockZones(i, tc))
		}
	}
	return out
}

// BlockZones returns the zone of every block of series i in column c;
// nil when the column has none (metadata v1, or not numeric).
func (r *Reader) BlockZones(i, c int) []Zone {
	if r.m.version < 2 || !zoned(r.m.schema.Columns[c].Type) {
		return nil
	}
	out := make([]Zone, len(r.m.series[i].blocks[c]))
	for b, ref := range r.m.series[i].blocks[c] {
		out[b] = ref.zone
	}
	return out
}

// union returns the zone covering all of zs.
func union(zs []Zone) Zone {
	var u Zone
	for _, z := range zs {
		switch {
		case !z.Has:
		case !u.Has:
			u = z
		default:
			u.Min, u.Max = min(u.Min, z.Min), max(u.Max, z.Max)
			u.FMin, u.FMax = min(u.FMin, z.FMin), max(u.FMax, z.FMax)
		}
	}
	return u
}

// ReadAll reads the whole partition, verifying every checksum, as Read.
func (r *Reader) ReadAll() (*Partition, error) {
	p := &Partition{Table: r.m.table, Schema: r.m.schema, Start: r.m.start, Series: make([]Series, len(r.m.series))}
	for i, s := range r.m.series {
		p.Series[i] = Series{Symbol: s.symbol, Null: s.kind == kindNull, Rows: &column.Batch{Vectors: make([]*column.Vector, len(r.m.schema.Columns))}}
	}
	for c := range r.m.schema.Columns {
		if err := readColumn(r.fsys, r.dir, r.m, c, p); err != nil {
			return nil, fmt.Errorf("hdb: read partition %s: %w", r.dir, err)
		}
	}
	return p, nil
}

// ReadSeries reads series i (an index into Series) only, verifying the
// checksums of its blocks and the size and preamble of every column file.
func (r *Reader) ReadSeries(i int) (Series, error) {
	if i < 0 || i >= len(r.m.series) {
		return Series{}, fmt.Errorf("hdb: partition %s has no series %d", r.dir, i)
	}
	s := &r.m.series[i]
	out := Series{Symbol: s.symbol, Null: s.kind == kindNull, Rows: &column.Batch{Vectors: make([]*column.Vector, len(r.m.schema.Columns))}}
	for c := range r.m.schema.Columns {
		v, err := r.readSeriesColumn(s, r.firstBlock[i], c)
		if err != nil {
			return Series{}, fmt.Errorf("hdb: read partition %s: %w", r.dir, err)
		}
		out.Rows.Vectors[c] = v
	}
	return out, nil
}

func (r *Reader) readSeriesColumn(s *seriesMeta, first, c int) (*column.Vector, error) {
	cr, err := openColumn(r.fsys, r.dir, r.m, c)
	if err != nil {
		return nil, err
	}
	defer cr.close()
	cr.block = first // so errors name the block's index in the file
	parts := make([]*column.Vector, 0, len(s.blockRows))
	err = cr.guard(func() error {
		for b, ref := range s.blocks[c] {
			raw, err := cr.next(ref)
			if err != nil {
				return err
			}
			v, err := cr.decode(raw, ref, s.blockRows[b])
			if err != nil {
				return err
			}
			parts = append(parts, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return concat(cr.typ, parts), nil
}
