package rdb

import "github.com/zeptodb/zeptodb/internal/model"

// Reclaimed is what dropping partitions freed.
type Reclaimed struct {
	Partitions int
	Rows       int64
	Bytes      int64 // column data in memory
}

// Add accumulates o into r.
func (r *Reclaimed) Add(o Reclaimed) {
	r.Partitions += o.Partitions
	r.Rows += o.Rows
	r.Bytes += o.Bytes
}

// HasPartitionBefore reports whether DropPartitionsBefore(cutoff) would
// drop anything.
func (t *Table) HasPartitionBefore(cutoff int64) bool {
	if t.Schema.TimestampCol < 0 || t.Schema.PartitionBy == model.PartitionNone {
		return false
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.order) > 0 && t.Schema.PartitionBy.PartitionEnd(t.order[0].Start) <= cutoff
}

// DropPartitionsBefore removes every partition whose whole time range
// ends at or before cutoff (TTL). A table without time partitions keeps
// its rows.
func (t *Table) DropPartitionsBefore(cutoff int64) Reclaimed {
	var r Reclaimed
	if t.Schema.TimestampCol < 0 || t.Schema.PartitionBy == model.PartitionNone {
		return r
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	keep := t.order[:0:0]
	for _, p := range t.order {
		if t.Schema.PartitionBy.PartitionEnd(p.Start) > cutoff {
			keep = append(keep, p)
			continue
		}
		r.Partitions++
		r.Rows += p.rowCount()
		for _, s := range p.sorted { // empty when it was not loaded
			for _, c := range s.Chunks {
				r.Bytes += c.bytes()
			}
		}
		t.opts.Cold.forget(p)
		delete(t.parts, p.Start)
	}
	if r.Partitions > 0 {
		t.order = keep
		t.rows -= r.Rows
		t.version++
	}
	return r
}

// bytes estimates the memory the chunk's rows take: fixed-width values,
// string headers and bytes, NULL bitmaps.
func (c *Chunk) bytes() int64 {
	var n int64
	for _, v := range c.Cols {
		switch v.Type {
		case model.TypeInt64, model.TypeTimestamp, model.TypeFloat64:
			n += 8 * int64(c.rows)
		case model.TypeInt32, model.TypeFloat32, model.TypeSymbol:
			n += 4 * int64(c.rows)
		case model.TypeBool:
			n += int64(c.rows)
		case model.TypeString:
			for _, s := range v.String[:c.rows] {
				n += 16 + int64(len(s))
			}
		}
		if v.Nulls != nil {
			n += int64(len(v.Nulls.Words())) * 8
		}
	}
	return n
}
