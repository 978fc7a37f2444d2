package rdb

import (
	"fmt"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// RowRange is the series row positions [Start, End).
type RowRange struct{ Start, End int }

// SeriesRows names rows of one series by position, the order rows were
// appended in. Positions are stable: appends only add rows at the end,
// and replaying the log appends the same rows in the same order, so a
// DELETE or UPDATE logged by position means the same rows on recovery.
type SeriesRows struct {
	Part   int64  // partition start
	Symbol uint32 // series key in this table (NullSymbol for NULL)
	Ranges []RowRange
}

// Count returns the number of rows named.
func (s *SeriesRows) Count() int {
	n := 0
	for _, r := range s.Ranges {
		n += r.End - r.Start
	}
	return n
}

// SeriesAt returns the series of a partition and symbol, or nil.
func (t *Table) SeriesAt(part int64, sym uint32) *Series {
	if p := t.parts[part]; p != nil {
		p.ensure()
		return p.Series(sym)
	}
	return nil
}

// checkRows verifies that every set names existing, ordered rows, so a
// damaged or mismatched record fails before anything changes.
func (t *Table) checkRows(sets []SeriesRows) error {
	for _, set := range sets {
		s := t.SeriesAt(set.Part, set.Symbol)
		if s == nil {
			return fmt.Errorf("no series %d in partition %d", set.Symbol, set.Part)
		}
		prev := 0
		for _, r := range set.Ranges {
			if r.Start < prev || r.End <= r.Start || r.End > s.rows {
				return fmt.Errorf("bad row range [%d,%d) of a %d-row series", r.Start, r.End, s.rows)
			}
			prev = r.End
		}
	}
	return nil
}

// DeleteRows removes the named rows and returns how many it removed. The
// affected series are rebuilt without them; empty series and partitions
// disappear.
func (t *Table) DeleteRows(sets []SeriesRows) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.checkRows(sets); err != nil {
		return 0, err
	}
	n := 0
	for _, set := range sets {
		s := t.SeriesAt(set.Part, set.Symbol)
		s.part.dirty = true
		s.rebuildWithout(t, set.Ranges)
		n += set.Count()
		if s.rows == 0 {
			t.dropSeries(set.Part, set.Symbol)
		}
	}
	t.rows -= int64(n)
	t.version++
	return n, nil
}

// rebuildWithout replaces the series' chunks by new ones holding every row
// outside ranges, in order.
func (s *Series) rebuildWithout(t *Table, ranges []RowRange) {
	old := s.Chunks
	s.Chunks, s.rows = nil, 0
	base, next := 0, 0
	keep := make([]int32, 0, firstChunkRows)
	for _, c := range old {
		keep = keep[:0]
		for r := 0; r < c.rows; r++ {
			pos := base + r
			for next < len(ranges) && ranges[next].End <= pos {
				next++
			}
			if next < len(ranges) && pos >= ranges[next].Start {
				continue
			}
			keep = append(keep, int32(r))
		}
		if len(keep) > 0 {
			s.appendRows(t, &column.Batch{Vectors: c.Cols}, chunkSymbols(c), keep)
		}
		base += c.rows
	}
}

// chunkSymbols returns the id slices appendRows takes for a chunk's
// SYMBOL columns, which already hold ids.
func chunkSymbols(c *Chunk) [][]uint32 {
	ids := make([][]uint32, len(c.Cols))
	for i, v := range c.Cols {
		if v.Type == model.TypeSymbol {
			ids[i] = v.Symbol
		}
	}
	return ids
}

func (t *Table) dropSeries(part int64, sym uint32) {
	p := t.parts[part]
	delete(p.series, sym)
	for i, s := range p.sorted {
		if s.Symbol == sym {
			p.sorted = append(p.sorted[:i], p.sorted[i+1:]...)
			break
		}
	}
	if len(p.sorted) > 0 {
		return
	}
	t.opts.Cold.forget(p)
	delete(t.parts, part)
	for i, q := range t.order {
		if q == p {
			t.order = append(t.order[:i], t.order[i+1:]...)
			break
		}
	}
}

// CheckMutation reports whether DeleteRows (values nil) or UpdateRows
// would accept the arguments, so callers can refuse a mutation before
// logging it.
func (t *Table) CheckMutation(sets []SeriesRows, cols []int, values *column.Batch) error {
	if values != nil {
		if err := t.checkUpdate(sets, cols, values); err != nil {
			return err
		}
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.checkRows(sets)
}

// checkUpdate verifies the columns and values of an update.
func (t *Table) checkUpdate(sets []SeriesRows, cols []int, values *column.Batch) error {
	n := 0
	for _, set := range sets {
		n += set.Count()
	}
	if len(values.Vectors) != len(cols) || len(cols) == 0 || values.Len() != n {
		return fmt.Errorf("update of %d rows got %d columns of %d values", n, len(values.Vectors), values.Len())
	}
	for i, c := range cols {
		if c < 0 || c >= len(t.Schema.Columns) || c == t.Schema.TimestampCol || c == t.Schema.SymbolCol {
			return fmt.Errorf("column %d cannot be updated", c)
		}
		v := values.Vectors[i]
		if v.Type != t.Schema.Columns[c].Type || v.Len() != n {
			return fmt.Errorf("update of column %s got %d %s values", t.Schema.Columns[c].Name, v.Len(), v.Type)
		}
	}
	return nil
}

// UpdateRows overwrites columns cols of the named rows with values, a
// batch in ingest form with one vector per entry of cols and one row per
// named row, in the order sets and ranges name them. Neither the
// designated timestamp nor the series symbol may be updated: they place
// rows in partitions and series.
func (t *Table) UpdateRows(sets []SeriesRows, cols []int, values *column.Batch) (int, error) {
	if err := t.checkUpdate(sets, cols, values); err != nil {
		return 0, err
	}
	n := values.Len()
	ids := make([][]uint32, len(cols))
	for i, c := range cols {
		if d := t.Dicts[c]; d != nil {
			ids[i] = d.InternAll(make([]uint32, 0, n), values.Vectors[i].String)
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.checkRows(sets); err != nil {
		return 0, err
	}
	src := 0
	for _, set := range sets {
		s := t.SeriesAt(set.Part, set.Symbol)
		s.part.dirty = true
		for _, r := range set.Ranges {
			s.overwrite(r, cols, values, ids, src)
			src += r.End - r.Start
		}
	}
	t.version++
	return n, nil
}

// overwrite sets rows r of the series from values starting at row src.
func (s *Series) overwrite(r RowRange, cols []int, values *column.Batch, ids [][]uint32, src int) {
	base := 0
	for _, c := range s.Chunks {
		lo, hi := max(r.Start, base), min(r.End, base+c.rows)
		for pos := lo; pos < hi; pos++ {
			from := src + pos - r.Start
			for i, col := range cols {
				setValue(c.Cols[col], pos-base, values.Vectors[i], from, ids[i])
			}
		}
		base += c.rows
		if base >= r.End {
			return
		}
	}
}

// setValue copies src[from] (ingest form; SYMBOL ids in ids) into dst[at].
func setValue(dst *column.Vector, at int, src *column.Vector, from int, ids []uint32) {
	if src.IsNull(from) {
		dst.SetNull(at)
	} else {
		dst.Nulls.Clear(at)
	}
	switch dst.Type {
	case model.TypeInt64, model.TypeTimestamp:
		dst.Int64[at] = src.Int64[from]
	case model.TypeFloat64:
		dst.Float64[at] = src.Float64[from]
	case model.TypeInt32:
		dst.Int32[at] = src.Int32[from]
	case model.TypeFloat32:
		dst.Float32[at] = src.Float32[from]
	case model.TypeSymbol:
		dst.Symbol[at] = ids[from]
	case model.TypeString:
		dst.String[at] = src.String[from]
	case model.TypeBool:
		dst.Bool[at] = src.Bool[from]
	}
}
