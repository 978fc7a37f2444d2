package rdb

import (
	"fmt"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// Altered returns a copy of the table under a new schema: new column i
// takes old column from[i], or is all NULL when from[i] is -1. The copy
// shares nothing mutable with t (dictionaries excepted, which are safe for
// concurrent use), so queries still reading t are unaffected and the
// caller swaps the copy in. The designated timestamp must stay the same
// column; the series symbol may stay, or appear when t had none (every
// existing row then has a NULL symbol).
func (t *Table) Altered(s *model.Schema, from []int) (*Table, error) {
	if err := t.checkAlter(s, from); err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	for i, f := range from {
		if f < 0 && s.Columns[i].NotNull && t.rows > 0 {
			return nil, fmt.Errorf("alter: new NOT NULL column %s would be NULL in %d existing rows", s.Columns[i].Name, t.rows)
		}
	}
	n := NewTable(s, t.opts)
	n.lineage = t.lineage
	for i, f := range from {
		if f >= 0 && t.Dicts[f] != nil {
			n.Dicts[i] = t.Dicts[f]
		} else if n.Dicts[i] != nil {
			n.Dicts[i] = symtab.New()
		}
	}
	rekey := t.Schema.SymbolCol < 0 && s.SymbolCol >= 0
	for _, p := range t.order {
		p.ensure()
		p.loadMu.Lock()
		all, err := p.sorted, p.loadErr
		loaded := p.loaded || p.cold == nil
		p.loadMu.Unlock()
		if !loaded {
			return nil, fmt.Errorf("alter: %w", err)
		}
		for _, old := range all {
			sym := old.Symbol
			if rekey {
				sym = NullSymbol
			}
			ns := n.series(p.Start, sym)
			ns.rows = old.rows
			for _, c := range old.Chunks {
				ns.Chunks = append(ns.Chunks, c.altered(s, from))
			}
		}
	}
	n.rows, n.version = t.rows, t.version+1
	return n, nil
}

func (t *Table) checkAlter(s *model.Schema, from []int) error {
	if len(from) != len(s.Columns) {
		return fmt.Errorf("alter: %d column sources for %d columns", len(from), len(s.Columns))
	}
	for i, f := range from {
		if f >= len(t.Schema.Columns) || (f >= 0 && t.Schema.Columns[f].Type != s.Columns[i].Type) {
			return fmt.Errorf("alter: column %s has no matching source", s.Columns[i].Name)
		}
	}
	if old := t.Schema.TimestampCol; (old < 0) != (s.TimestampCol < 0) || (old >= 0 && from[s.TimestampCol] != old) {
		return fmt.Errorf("alter: the designated timestamp cannot change")
	}
	if old := t.Schema.SymbolCol; old >= 0 && (s.SymbolCol < 0 || from[s.SymbolCol] != old) {
		return fmt.Errorf("alter: the designated symbol column cannot change")
	}
	if t.Schema.PartitionBy != s.PartitionBy {
		return fmt.Errorf("alter: the partitioning cannot change")
	}
	return nil
}

// altered copies the chunk under a new schema (see Table.Altered).
func (c *Chunk) altered(s *model.Schema, from []int) *Chunk {
	n := &Chunk{Cols: make([]*column.Vector, len(from)), MinTS: c.MinTS, MaxTS: c.MaxTS, Sorted: c.Sorted,
		rows: c.rows, cap: c.cap,
		blockMin: append([]int64(nil), c.blockMin...), blockMax: append([]int64(nil), c.blockMax...)}
	for i, f := range from {
		if f >= 0 {
			n.Cols[i] = cloneVector(c.Cols[f], c.cap)
			continue
		}
		v := column.NewVector(s.Columns[i].Type, c.cap)
		for r := 0; r < c.rows; r++ {
			appendZero(v)
			v.SetNull(r)
		}
		n.Cols[i] = v
	}
	return n
}

// cloneVector deep-copies a chunk vector, keeping the chunk's capacity so
// appends never reallocate.
func cloneVector(v *column.Vector, capacity int) *column.Vector {
	n := column.NewVector(v.Type, capacity)
	n.Int64 = append(n.Int64, v.Int64...)
	n.Int32 = append(n.Int32, v.Int32...)
	n.Float64 = append(n.Float64, v.Float64...)
	n.Float32 = append(n.Float32, v.Float32...)
	n.Symbol = append(n.Symbol, v.Symbol...)
	n.String = append(n.String, v.String...)
	n.Bool = append(n.Bool, v.Bool...)
	if v.Nulls.Any() {
		n.Nulls = column.BitmapFromWords(append([]uint64(nil), v.Nulls.Words()...))
	}
	return n
}

// appendZero appends a zero value to a chunk vector (SYMBOL holds ids).
func appendZero(v *column.Vector) {
	if v.Type == model.TypeSymbol {
		v.Symbol = append(v.Symbol, 0)
		return
	}
	v.AppendNull()
}
