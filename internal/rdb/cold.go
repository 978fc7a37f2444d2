package rdb

import (
	"container/list"
	"sync"
	"sync/atomic"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// Sealed partitions live in the HDB. A partition with a loader reads its
// rows on first use and may be dropped from memory again when it is clean
// (nothing changed since it was sealed): the ColdCache keeps the loaded
// ones within a budget, evicting the least recently used.
//
// Locking: a partition's series are changed only by a holder of the
// table's write lock, or by a reader (table read lock) loading it under
// the partition's loadMu; readers see them through AllSeries and Series,
// which take loadMu. Eviction takes the table's write lock (TryLock: a
// partition some query or writer is using is never evicted) and loadMu.

// ColdCache bounds the memory of sealed partitions read back from disk.
type ColdCache struct {
	budget                     int64
	mu                         sync.Mutex
	lru                        *list.List // of *Partition, most recently used first
	elems                      map[*Partition]*list.Element
	bytes                      int64
	loads, evictions, failures atomic.Int64
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

// touch records that p is loaded and was just used.
func (c *ColdCache) touch(p *Partition, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.elems[p]; ok {
		c.lru.MoveToFront(e)
		return
	}
	c.elems[p] = c.lru.PushFront(p)
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
		p := e.Value.(*Partition)
		if freed, ok := p.evict(); ok {
			c.lru.Remove(e)
			delete(c.elems, p)
			c.bytes -= freed
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
		p.loadMu.Lock()
		c.bytes -= p.bytes
		p.loadMu.Unlock()
	}
}

// Pin loads the existing partitions at starts that live on disk and keeps
// them in memory until release is called: a write checks that it can
// reach its partitions before it is logged, and they stay loaded until it
// is applied. A partition that cannot be read fails the write.
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
		if p == nil || p.loader == nil {
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

// PartitionsOf returns the partition starts the rows of b fall in.
func (t *Table) PartitionsOf(b *column.Batch) []int64 {
	if t.Schema.TimestampCol < 0 || t.Schema.PartitionBy == model.PartitionNone {
		return []int64{0}
	}
	seen := map[int64]bool{}
	var out []int64
	for _, ts := range b.Vectors[t.Schema.TimestampCol].Int64 {
		if start := t.Schema.PartitionBy.PartitionStart(ts); !seen[start] {
			seen[start] = true
			out = append(out, start)
		}
	}
	return out
}

// ensure loads a partition that is on disk only. A failure (a checksum,
// a missing file) is kept in loadErr and reported by the snapshot.
func (p *Partition) ensure() {
	if p.loader == nil {
		return
	}
	p.loadMu.Lock()
	loadedNow := false
	if !p.loaded { // a failed load is tried again: a repaired file comes back
		series, err := p.loader()
		if err != nil {
			p.loadErr, p.failedAt = err, p.t.loadFailures.Add(1)
			if c := p.t.opts.Cold; c != nil {
				c.failures.Add(1)
			}
		} else {
			p.loadErr = nil
			p.fill(series)
			p.loaded, loadedNow = true, true
		}
	}
	loaded, bytes := p.loaded, p.bytes
	p.loadMu.Unlock()
	if c := p.t.opts.Cold; c != nil && loaded {
		if loadedNow {
			c.loads.Add(1)
		}
		c.touch(p, bytes)
	}
}

// fill builds the partition's series from rows in ingest form, in order.
func (p *Partition) fill(series []ExportedSeries) {
	t := p.t
	p.series, p.sorted, p.bytes = map[uint32]*Series{}, nil, 0
	for _, e := range series {
		n := e.Rows.Len()
		if n == 0 {
			continue
		}
		symIDs := make([][]uint32, len(t.Schema.Columns))
		for i, d := range t.Dicts {
			if d != nil {
				symIDs[i] = d.InternAll(make([]uint32, 0, n), e.Rows.Vectors[i].String)
			}
		}
		sym := uint32(0)
		switch {
		case t.Schema.SymbolCol < 0:
		case e.Null:
			sym = NullSymbol
		default:
			sym = t.Dicts[t.Schema.SymbolCol].Intern(e.Symbol)
		}
		rows := make([]int32, n)
		for i := range rows {
			rows[i] = int32(i)
		}
		s := p.seriesFor(sym)
		s.appendSized(t, e.Rows, symIDs, rows, true)
		for _, c := range s.Chunks {
			p.bytes += c.bytes()
		}
	}
}

// evict drops a clean loaded partition's rows from memory; it fails when
// the table is in use or the partition changed since it was sealed.
func (p *Partition) evict() (int64, bool) {
	if !p.t.mu.TryLock() {
		return 0, false
	}
	defer p.t.mu.Unlock()
	p.loadMu.Lock()
	defer p.loadMu.Unlock()
	if p.loader == nil || !p.loaded || p.dirty || p.sealedDir == "" || p.pins > 0 {
		return 0, false
	}
	freed := p.bytes
	p.series, p.sorted, p.loaded, p.bytes = map[uint32]*Series{}, nil, false, 0
	return freed, true
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
		if p.loader != nil && !p.dirty {
			continue
		}
		for _, s := range p.sorted {
			for _, c := range s.Chunks {
				n += c.bytes()
			}
		}
	}
	return n
}
