package rdb

import (
	"sort"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// ExportedSeries is one series' rows in ingest form (SYMBOL columns as
// text), for writing a partition to disk or into a checkpoint.
type ExportedSeries struct {
	Symbol string // the designated symbol; "" when Null or when the table has none
	Null   bool
	Rows   *column.Batch
}

// SealedDir returns the HDB directory holding the partition's rows, and
// whether it still holds all of them (no row added, changed or removed
// since it was written).
func (p *Partition) SealedDir() (dir string, clean bool) {
	return p.sealedDir, p.sealedDir != "" && !p.dirty
}

// Unseal forgets the partition's HDB directory: its rows are kept
// elsewhere from now on (the hot part of a checkpoint).
func (t *Table) Unseal(start int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if p := t.parts[start]; p != nil && p.sealedDir != "" {
		p.sealedDir = ""
		t.opts.Cold.forget(p) // it counts as hot memory from now on
	}
}

// PartitionStarts returns the starts of the table's partitions, oldest first.
func (t *Table) PartitionStarts() []int64 {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]int64, len(t.order))
	for i, p := range t.order {
		out[i] = p.Start
	}
	return out
}

// Partition returns the partition starting at start, or nil.
func (t *Table) Partition(start int64) *Partition {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.parts[start]
}

// Export returns the rows of the partition at start, one entry per series,
// series ordered by symbol text (NULL first). Rows keep their series
// positions, or with sorted are stably sorted by the designated
// timestamp, the order a sealed partition is written in.
func (t *Table) Export(start int64, sorted bool) ([]ExportedSeries, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	p := t.parts[start]
	if p == nil {
		return nil, nil
	}
	p.ensure()
	p.loadMu.Lock()
	all, err := p.sorted, p.loadErr
	loaded := p.loaded || p.cold == nil
	p.loadMu.Unlock()
	if !loaded {
		return nil, err
	}
	out := make([]ExportedSeries, 0, len(all))
	for _, s := range all {
		e := ExportedSeries{Rows: t.seriesBatch(s, sorted)}
		switch {
		case t.Schema.SymbolCol < 0:
		case s.Symbol == NullSymbol:
			e.Null = true
		default:
			e.Symbol = t.Dicts[t.Schema.SymbolCol].String(s.Symbol)
		}
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Null != out[j].Null {
			return out[i].Null
		}
		return out[i].Symbol < out[j].Symbol
	})
	return out, nil
}

// seriesBatch gathers a series' rows in ingest form, in position order or
// sorted by the designated timestamp.
func (t *Table) seriesBatch(s *Series, sorted bool) *column.Batch {
	type loc struct {
		c   *Chunk
		row int32
	}
	locs := make([]loc, 0, s.rows)
	for _, c := range s.Chunks {
		for r := 0; r < c.rows; r++ {
			locs = append(locs, loc{c, int32(r)})
		}
	}
	if ts := t.Schema.TimestampCol; sorted && ts >= 0 {
		sort.SliceStable(locs, func(i, j int) bool {
			return locs[i].c.Cols[ts].Int64[locs[i].row] < locs[j].c.Cols[ts].Int64[locs[j].row]
		})
	}
	b := &column.Batch{Vectors: make([]*column.Vector, len(t.Schema.Columns))}
	for ci, col := range t.Schema.Columns {
		v := &column.Vector{Type: col.Type}
		for k, l := range locs {
			src := l.c.Cols[ci]
			appendIngest(v, src, int(l.row), t.Dicts[ci])
			if src.IsNull(int(l.row)) {
				v.SetNull(k)
			}
		}
		b.Vectors[ci] = v
	}
	return b
}

// appendIngest appends row r of a chunk vector to an ingest-form vector.
func appendIngest(dst, src *column.Vector, r int, dict *symtab.Dict) {
	switch src.Type {
	case model.TypeInt64, model.TypeTimestamp:
		dst.Int64 = append(dst.Int64, src.Int64[r])
	case model.TypeFloat64:
		dst.Float64 = append(dst.Float64, src.Float64[r])
	case model.TypeInt32:
		dst.Int32 = append(dst.Int32, src.Int32[r])
	case model.TypeFloat32:
		dst.Float32 = append(dst.Float32, src.Float32[r])
	case model.TypeSymbol:
		s := ""
		if !src.IsNull(r) {
			s = dict.String(src.Symbol[r])
		}
		dst.String = append(dst.String, s)
	case model.TypeString:
		dst.String = append(dst.String, src.String[r])
	case model.TypeBool:
		dst.Bool = append(dst.Bool, src.Bool[r])
	}
}

// LoadPartition puts the given series (rows in ingest form, validated)
// in place of the partition at start, in that order, and records that
// they are sealed in dir ("" for none). Row positions are then those of
// the given order. With a source the partition may later be dropped from
// memory and read back from it.
func (t *Table) LoadPartition(start int64, series []ExportedSeries, dir string, src *ColdSource) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.removePartition(start)
	t.version++
	p := &Partition{Start: start, t: t, loaded: true, sealedDir: dir, cold: src}
	p.fill(series)
	if len(p.sorted) == 0 {
		return
	}
	t.insertPartition(p)
	t.rows += p.rowCount()
	if src != nil && t.opts.Cold != nil {
		t.opts.Cold.touch(p, p.bytes)
	}
}

// AddColdPartition adds a sealed partition that stays on disk until a
// query or a write needs it; src reads it.
func (t *Table) AddColdPartition(start int64, dir string, src *ColdSource) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.removePartition(start)
	t.version++
	if src.Rows == 0 {
		return
	}
	p := &Partition{Start: start, t: t, series: map[uint32]*Series{}, sealedDir: dir, cold: src, coldRows: src.Rows}
	t.insertPartition(p)
	t.rows += src.Rows
}

// removePartition takes the partition at start out. Caller holds t.mu
// for writing.
func (t *Table) removePartition(start int64) {
	old := t.parts[start]
	if old == nil {
		return
	}
	t.rows -= old.rowCount()
	t.opts.Cold.forget(old)
	delete(t.parts, start)
	for i, p := range t.order {
		if p == old {
			t.order = append(t.order[:i], t.order[i+1:]...)
			break
		}
	}
}
