package rdb

// Snapshot is a consistent read view of a table. It holds the table's read
// lock: call Release when done, and do not keep chunks past it.
type Snapshot struct {
	t          *Table
	Partitions []*Partition
	Rows       int64
	// Version changes whenever rows are added: equal versions of one
	// table mean equal contents.
	Version uint64
}

// Snapshot returns a read view of the table.
func (t *Table) Snapshot() *Snapshot {
	t.mu.RLock()
	return &Snapshot{t: t, Partitions: t.order, Rows: t.rows, Version: t.version}
}

// Version returns the table's current version (see Snapshot.Version).
func (t *Table) Version() uint64 {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.version
}

// Release ends the snapshot.
func (s *Snapshot) Release() {
	if s.t != nil {
		s.t.mu.RUnlock()
		s.t = nil
	}
}

// Series returns the series of symbol sym, or nil.
func (p *Partition) Series(sym uint32) *Series { return p.series[sym] }

// AllSeries returns every series of the partition ordered by symbol id.
func (p *Partition) AllSeries() []*Series { return p.sorted }

// End returns the partition's exclusive upper bound for the table's unit.
func (s *Snapshot) End(p *Partition) int64 {
	return s.t.Schema.PartitionBy.PartitionEnd(p.Start)
}
