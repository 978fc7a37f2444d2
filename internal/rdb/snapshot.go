package rdb

// Snapshot is a consistent read view of a table. It holds the table's read
// lock: call Release when done, and do not keep chunks past it.
type Snapshot struct {
	t          *Table
	Partitions []*Partition
	Rows       int64
	// Version changes whenever rows are added: equal versions of one
	// table mean equal contents.
	Version        uint64
	failuresBefore uint64
}

// Snapshot returns a read view of the table.
func (t *Table) Snapshot() *Snapshot {
	t.mu.RLock()
	return &Snapshot{t: t, Partitions: t.order, Rows: t.rows, Version: t.version, failuresBefore: t.loadFailures.Load()}
}

// Version returns the table's current version (see Snapshot.Version).
func (t *Table) Version() uint64 {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.version
}

// Release ends the snapshot; sealed partitions it read may then be
// dropped from memory again, within the cold cache's budget.
func (s *Snapshot) Release() {
	if s.t != nil {
		s.t.mu.RUnlock()
		s.t.opts.Cold.Trim()
		s.t = nil
	}
}

// Err reports a sealed partition that could not be read back (a
// checksum mismatch, a missing file) while the snapshot was held: a query
// that needed it must fail rather than answer without its rows. (A
// failure caused by a concurrent query over the same table is reported
// too: failing is always safe, answering without rows never is.)
func (s *Snapshot) Err() error {
	for _, p := range s.Partitions {
		p.loadMu.Lock()
		err, at := p.lastFail, p.failedAt
		p.loadMu.Unlock()
		if err != nil && at > s.failuresBefore {
			return err
		}
	}
	return nil
}

// Series returns the series of symbol sym, or nil. Of a partition on
// disk it reads that series only.
func (p *Partition) Series(sym uint32) *Series {
	p.ensureSeries(sym)
	p.loadMu.Lock()
	defer p.loadMu.Unlock()
	return p.series[sym]
}

// SeriesIn returns the series of sym if it may hold timestamps in
// [lo, hi], or nil. Of a partition on disk, a series whose timestamps all
// lie outside is not read.
func (p *Partition) SeriesIn(sym uint32, lo, hi int64) *Series {
	if p.cold != nil {
		p.loadMu.Lock()
		skip := false
		if !p.loaded && p.series[sym] == nil {
			if i, ok := p.coldIndex()[sym]; ok {
				cs := &p.cold.Series[i]
				skip = cs.Zoned && (cs.MaxTS < lo || cs.MinTS > hi)
			}
		}
		p.loadMu.Unlock()
		if skip {
			return nil
		}
	}
	return p.Series(sym)
}

// AllSeries returns every series of the partition ordered by symbol id.
func (p *Partition) AllSeries() []*Series {
	p.ensure()
	p.loadMu.Lock()
	defer p.loadMu.Unlock()
	return p.sorted
}

// End returns the partition's exclusive upper bound for the table's unit.
func (s *Snapshot) End(p *Partition) int64 {
	return s.t.Schema.PartitionBy.PartitionEnd(p.Start)
}
