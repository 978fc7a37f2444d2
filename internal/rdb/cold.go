package rdb

import (
	"container/list"
	"sync"
	"sync/atomic"
)

// Sealed partitions live in the HDB. A partition with a ColdSource reads
// its rows on first use, whole or one series at a time (a query that
// names its symbols reads only theirs), and may be dropped from memory
// again when it is clean (nothing changed since it was sealed): the
// ColdCache keeps the loaded ones within a budget, evicting the least
// recently used.
//
// Locking: a partition's series are changed only by a holder of the
// table's write lock, or by a reader (table read lock) loading them under
// the partition's loadMu; readers see them through AllSeries and Series,
// which take loadMu. A write pins its partitions fully loaded (Pin)
// before it is logged. Eviction takes the cache's lock, then the table's
// write lock (TryLock: a partition some query or writer is using is
// never evicted) and loadMu.

// ColdSource reads a sealed partition back from the HDB.
type ColdSource struct {
	Rows    int64
	Series  []ColdSeries // the series on disk, in file order
	ReadAll func() ([]ExportedSeries, error)
	// ReadSeries reads Series[i] alone (nil: whole partitions only).
	ReadSeries func(i int) (ExportedSeries, error)
}

// ColdSeries names one series of a ColdSource, as ExportedSeries does,
// and when Zoned gives the range of its timestamps.
type ColdSeries struct {
	Symbol       string
	Null         bool
	Zoned        bool
	MinTS, MaxTS int64
}

// ColdCache bounds the memory of sealed partitions read back from disk.
type ColdCache struct {
	budget                     int64
	mu                         sync.Mutex
	lru                        *list.List // of *cacheEntry, most recently used first
	elems                      map[*Partition]*list.Element
	bytes                      int64
	loads, evictions, failures atomic.Int64
}

type cacheEntry struct {
	p     *Partition
	bytes int64 // as counted in ColdCache.bytes
}

// ColdStats describes a ColdCache.
type ColdStats struct {
	Budget, Bytes                  int64
	Partitions                     int
	Loads, Evictions, LoadFailures int64
}

// NewColdCache returns a cache keeping at most budget bytes of loaded
// sealed partitions between queries (0: no limit).
func NewColdCache(budget int64) *ColdCache {
	return &ColdCache{budget: budget, lru: list.New(), elems: map[*Partition]*list.Element{}}
}

// Stats returns the cache's counters.
func (c *ColdCache) Stats() ColdStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ColdStats{Budget: c.budget, Bytes: c.bytes, Partitions: c.lru.Len(),
		Loads: c.loads.Load(), Evictions: c.evictions.Load(), LoadFailures: c.failures.Load()}
}

// touch records that p, holding bytes of loaded rows now, was just used.
func (c *ColdCache) touch(p *Partition, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.elems[p]; ok {
		ent := e.Value.(*cacheEntry)
		c.bytes += bytes - ent.bytes
		ent.bytes = bytes
		c.lru.MoveToFront(e)
		return
	}
	c.elems[p] = c.lru.PushFront(&cacheEntry{p: p, bytes: bytes})
	c.bytes += bytes
}

// Trim evicts the least recently used clean partitions while the cache is
// over budget; partitions in use, pinned or changed are skipped and tried
// again next time. Eviction happens under the cache's lock, so a reload
// racing it is always counted again.
func (c *ColdCache) Trim() {
	if c == nil || c.budget <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.lru.Back(); e != nil && c.bytes > c.budget; {
		prev := e.Prev()
		ent := e.Value.(*cacheEntry)
		if ent.p.evict() {
			c.lru.Remove(e)
			delete(c.elems, ent.p)
			c.bytes -= ent.bytes
			c.evictions.Add(1)
		}
		e = prev
	}
}

// forget drops p from the cache (the partition was replaced, dropped or
// unsealed).
func (c *ColdCache) forget(p *Partition) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.elems[p]; ok {
		c.lru.Remove(e)
		delete(c.elems, p)
		c.bytes -= e.Value.(*cacheEntry).bytes
	}
}

// Pin loads the existing partitions at starts that live on disk and keeps
// them in memory until release is called: a mutation (UPDATE, DELETE)
// names rows by position, so it checks that it can reach its partitions
// before it is logged, and they stay loaded until it is applied. A
// partition that cannot be read fails the mutation.
func (t *Table) Pin(starts []int64) (release func(), err error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var pinned []*Partition
	release = func() {
		for _, p := range pinned {
			p.loadMu.Lock()
			p.pins--
			p.loadMu.Unlock()
		}
	}
	for _, start := range starts {
		p := t.parts[start]
		if p == nil || p.cold == nil {
			continue
		}
		p.ensure()
		p.loadMu.Lock()
		err := p.loadErr
		if p.loaded {
			p.pins++
			pinned = append(pinned, p)
		}
		p.loadMu.Unlock()
		if err != nil && !p.loaded {
			release()
			return func() {}, err
		}
	}
	return release, nil
}

// ensure loads a partition that is on disk only, or the rest of one
// partly loaded. A failure (a checksum, a missing file) is kept in
// loadErr and reported by the snapshot.
func (p *Partition) ensure() {
	if p.cold == nil {
		return
	}
	p.loadMu.Lock()
	loadedNow := false
	if !p.loaded { // a failed load is tried again: a repaired file comes back
		series, err := p.cold.ReadAll()
		if err != nil {
			p.failed(err)
		} else {
			p.loadErr = nil
			p.merge(series)
			p.loaded, loadedNow, p.deltaRows = true, true, 0
		}
	}
	p.touched(loadedNow)
}

// ensureSeries loads the series of key sym of a partition on disk only,
// if it has one, leaving the others on disk; rows written since (the
// delta) go after the rows read.
func (p *Partition) ensureSeries(sym uint32) {
	if p.cold == nil || p.cold.ReadSeries == nil {
		p.ensure()
		return
	}
	p.loadMu.Lock()
	loadedNow := false
	s := p.series[sym]
	if i, ok := p.coldIndex()[sym]; ok && !p.loaded && (s == nil || s.delta) {
		e, err := p.cold.ReadSeries(i)
		switch {
		case err != nil:
			p.failed(err)
		case s == nil:
			p.loadErr = nil
			p.addSeries(e)
			loadedNow = true
		default:
			p.loadErr = nil
			p.prepend(s, e)
			loadedNow = true
		}
	}
	p.touched(loadedNow)
}

// failed records a failed read. Caller holds loadMu.
func (p *Partition) failed(err error) {
	p.loadErr, p.lastFail, p.failedAt = err, err, p.t.loadFailures.Add(1)
	if c := p.t.opts.Cold; c != nil {
		c.failures.Add(1)
	}
}

// touched releases loadMu and tells the cache what p holds in memory.
func (p *Partition) touched(loadedNow bool) {
	inMemory, bytes := p.loaded || len(p.series) > 0, p.bytes
	p.loadMu.Unlock()
	if c := p.t.opts.Cold; c != nil && inMemory {
		if loadedNow {
			c.loads.Add(1)
		}
		c.touch(p, bytes)
	}
}

// coldIndex maps series keys to their index in p.cold.Series. Caller
// holds loadMu.
func (p *Partition) coldIndex() map[uint32]int {
	if p.coldIdx == nil {
		p.coldIdx = make(map[uint32]int, len(p.cold.Series))
		for i, s := range p.cold.Series {
			p.coldIdx[p.t.seriesKey(s.Symbol, s.Null)] = i
		}
	}
	return p.coldIdx
}

// seriesKey returns the key of the series of symbol (NULL when null).
func (t *Table) seriesKey(symbol string, null bool) uint32 {
	switch {
	case t.Schema.SymbolCol < 0:
		return 0
	case null:
		return NullSymbol
	}
	return t.Dicts[t.Schema.SymbolCol].Intern(symbol)
}

// merge adds the rows read from disk to a partition that may hold some
// of its series already: read alone (complete, skipped) or as the delta
// of rows written since (the rows read go first).
func (p *Partition) merge(series []ExportedSeries) {
	for _, e := range series {
		switch s := p.series[p.t.seriesKey(e.Symbol, e.Null)]; {
		case s == nil:
			p.addSeries(e)
		case s.delta:
			p.prepend(s, e)
		}
	}
}

// prepend puts the rows read from disk for the delta series s before the
// rows s holds.
func (p *Partition) prepend(s *Series, e ExportedSeries) {
	read := &Series{Symbol: s.Symbol, part: p}
	if n := e.Rows.Len(); n > 0 {
		read.appendSized(p.t, e.Rows, p.t.intern(e.Rows), identity(n), true)
	}
	for _, c := range read.Chunks {
		p.bytes += c.bytes()
	}
	s.Chunks = append(read.Chunks, s.Chunks...)
	s.rows += read.rows
	s.delta = false
}

func identity(n int) []int32 {
	rows := make([]int32, n)
	for i := range rows {
		rows[i] = int32(i)
	}
	return rows
}

// fill builds the partition's series from rows in ingest form, in order.
func (p *Partition) fill(series []ExportedSeries) {
	p.series, p.sorted, p.bytes = map[uint32]*Series{}, nil, 0
	for _, e := range series {
		p.addSeries(e)
	}
}

// addSeries adds the rows of one series in ingest form.
func (p *Partition) addSeries(e ExportedSeries) {
	t := p.t
	n := e.Rows.Len()
	if n == 0 {
		return
	}
	symIDs := t.intern(e.Rows)
	s := p.seriesFor(t.seriesKey(e.Symbol, e.Null))
	before := int64(0)
	for _, c := range s.Chunks {
		before += c.bytes()
	}
	s.appendSized(t, e.Rows, symIDs, identity(n), true)
	for _, c := range s.Chunks {
		p.bytes += c.bytes()
	}
	p.bytes -= before
}

// evict drops a clean partition's loaded rows from memory; it fails when
// the table is in use or the partition changed since it was sealed.
func (p *Partition) evict() bool {
	if !p.t.mu.TryLock() {
		return false
	}
	defer p.t.mu.Unlock()
	p.loadMu.Lock()
	defer p.loadMu.Unlock()
	if p.cold == nil || p.dirty || p.sealedDir == "" || p.pins > 0 {
		return false
	}
	p.series, p.sorted, p.loaded, p.bytes = map[uint32]*Series{}, nil, false, 0
	return true
}

// Load reads the partition at start back from disk if it is there only,
// and reports why it could not be.
func (t *Table) Load(start int64) error {
	t.mu.RLock()
	p := t.parts[start]
	if p != nil {
		p.ensure()
	}
	t.mu.RUnlock()
	if p == nil {
		return nil
	}
	p.loadMu.Lock()
	defer p.loadMu.Unlock()
	return p.loadErr
}

// HotBytes returns the memory of the partitions that live only in memory
// (not sealed, or changed since), the part no cache bounds.
func (t *Table) HotBytes() int64 {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var n int64
	for _, p := range t.order {
		if p.cold != nil && !p.dirty {
			continue
		}
		p.loadMu.Lock() // a reader may be reading a series of it from disk
		for _, s := range p.sorted {
			for _, c := range s.Chunks {
				n += c.bytes()
			}
		}
		p.loadMu.Unlock()
	}
	return n
}
