package rdb

import (
	"math"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/symtab"
)

// NullSymbol is the series key of rows whose designated symbol is NULL.
const NullSymbol = math.MaxUint32

// Options configures a Table.
type Options struct {
	// ChunkRows is the largest chunk capacity; 0 means 65536.
	ChunkRows int
	// Cold keeps the sealed partitions read back from disk within a
	// memory budget; nil keeps every one loaded once read.
	Cold *ColdCache
}

const firstChunkRows = 1024

// Table is an in-memory table.
type Table struct {
	Schema *model.Schema
	// Dicts holds one dictionary per SYMBOL column (nil for other columns).
	Dicts []*symtab.Dict

	opts    Options
	mu      sync.RWMutex
	parts   map[int64]*Partition
	order   []*Partition // sorted by Start
	rows    int64
	version uint64 // incremented by every Append
	// loadFailures counts failed loads of sealed partitions, so that a
	// snapshot reports only the failures of its own lifetime.
	loadFailures atomic.Uint64
	// lineage is shared by a table and the copies that replace it
	// (Emptied, Altered), and by no table created separately.
	lineage *struct{ _ byte }
}

// Partition holds the rows of one time range.
type Partition struct {
	Start  int64 // first timestamp of the range (ns)
	series map[uint32]*Series
	sorted []*Series // by symbol id
	// sealedDir is the HDB directory that holds the partition's rows
	// ("" if none); dirty reports rows added, changed or removed since.
	sealedDir string
	dirty     bool

	t *Table
	// cold reads the rows back from the HDB (nil: the rows are only in
	// memory); loaded says whether all of them are in memory now (some
	// series may be without it), coldRows how many there are; see
	// cold.go for the locking.
	cold     *ColdSource
	coldIdx  map[uint32]int // series key → index in cold.Series, built on first use
	loadMu   sync.Mutex
	loaded   bool
	loadErr  error
	failedAt uint64 // Table.loadFailures when loading last failed
	lastFail error  // why, kept after a later read succeeds
	pins     int    // mutations between their check and their apply
	// deltaRows counts the rows written to a partition on disk while it
	// was not loaded; they live in delta series until it is.
	deltaRows int64
	coldRows  int64
	bytes     int64 // memory of the loaded rows, for the cold cache
}

// Series holds the rows of one symbol in one partition.
type Series struct {
	Symbol uint32
	Chunks []*Chunk
	rows   int
	part   *Partition
	// delta marks the series of a partition on disk that holds only the
	// rows written since it was sealed: its sealed rows, still on disk,
	// go before them when read (Series, AllSeries).
	delta bool
}

// Rows returns the number of rows of the series.
func (s *Series) Rows() int { return s.rows }

// NewTable returns an empty table.
func NewTable(s *model.Schema, opts Options) *Table {
	if opts.ChunkRows <= 0 {
		opts.ChunkRows = 65536
	}
	t := &Table{Schema: s, opts: opts, parts: map[int64]*Partition{}, Dicts: make([]*symtab.Dict, len(s.Columns)), lineage: new(struct{ _ byte })}
	for i, c := range s.Columns {
		if c.Type == model.TypeSymbol {
			t.Dicts[i] = symtab.New()
		}
	}
	return t
}

// Emptied returns an empty table with t's schema that replaces t (TRUNCATE).
func (t *Table) Emptied() *Table {
	n := NewTable(t.Schema, t.opts)
	n.lineage = t.lineage
	return n
}

// Replaces reports whether t is o or a copy made to replace it (Emptied,
// Altered): the same table to its users, not one dropped and created again.
func (t *Table) Replaces(o *Table) bool { return t.lineage == o.lineage }

// Rows returns the number of rows in the table.
func (t *Table) Rows() int64 {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.rows
}

// Append adds a batch in ingest form whose vectors follow the schema and
// have been validated (types match, designated timestamp not NULL).
func (t *Table) Append(b *column.Batch) {
	n := b.Len()
	if n == 0 {
		return
	}
	symIDs := t.intern(b)
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range t.route(b, symIDs) {
		r.series.appendRows(t, b, symIDs, r.rows)
		p := r.series.part
		p.dirty = true
		if p.cold != nil && !p.loaded {
			p.deltaRows += int64(len(r.rows))
		}
	}
	t.rows += int64(n)
	t.version++
}

// intern returns the dictionary ids of b's SYMBOL values, per column (nil
// for other columns).
func (t *Table) intern(b *column.Batch) [][]uint32 {
	symIDs := make([][]uint32, len(t.Schema.Columns))
	for i, d := range t.Dicts {
		if d != nil {
			symIDs[i] = d.InternAll(make([]uint32, 0, b.Len()), b.Vectors[i].String)
		}
	}
	return symIDs
}

type route struct {
	series *Series
	rows   []int32
}

// route groups row numbers by destination series, keeping row order.
func (t *Table) route(b *column.Batch, symIDs [][]uint32) []route {
	n := b.Len()
	var ts []int64
	if t.Schema.TimestampCol >= 0 && t.Schema.PartitionBy != model.PartitionNone {
		ts = b.Vectors[t.Schema.TimestampCol].Int64
	}
	var syms []uint32
	var symNulls *column.Bitmap
	if c := t.Schema.SymbolCol; c >= 0 {
		syms, symNulls = symIDs[c], b.Vectors[c].Nulls
	}
	var routes []route
	slot := map[*Series]int{}
	var last *Series
	lastSlot := -1
	var lastStart int64
	var lastSym uint32
	for i := 0; i < n; i++ {
		var start int64
		if ts != nil {
			start = t.Schema.PartitionBy.PartitionStart(ts[i])
		}
		sym := uint32(0)
		if syms != nil {
			sym = syms[i]
			if symNulls.Get(i) {
				sym = NullSymbol
			}
		}
		if last != nil && start == lastStart && sym == lastSym {
			// Rows of one series often come together (a table built
			// from a scan): skip the two map lookups.
			routes[lastSlot].rows = append(routes[lastSlot].rows, int32(i))
			continue
		}
		lastStart, lastSym = start, sym
		s := t.series(start, sym)
		if s != last {
			k, ok := slot[s]
			if !ok {
				k = len(routes)
				slot[s] = k
				routes = append(routes, route{series: s})
			}
			last, lastSlot = s, k
		}
		routes[lastSlot].rows = append(routes[lastSlot].rows, int32(i))
	}
	return routes
}

// series returns the series for a partition start and symbol, creating
// both as needed. Caller holds t.mu for writing.
func (t *Table) series(start int64, sym uint32) *Series {
	p := t.parts[start]
	if p == nil {
		p = &Partition{Start: start, series: map[uint32]*Series{}, t: t, loaded: true}
		t.insertPartition(p)
	}
	if p.cold != nil && !p.loaded {
		// Rows for a partition on disk go to a delta without reading
		// it: late rows cost their own memory, not the partition's.
		p.loadMu.Lock()
		defer p.loadMu.Unlock()
		s := p.series[sym]
		if s == nil {
			_, onDisk := p.coldIndex()[sym]
			s = p.seriesFor(sym)
			s.delta = onDisk
		}
		return s
	}
	return p.seriesFor(sym)
}

// insertPartition adds p to the table's index. Caller holds t.mu for
// writing.
func (t *Table) insertPartition(p *Partition) {
	t.parts[p.Start] = p
	i := sort.Search(len(t.order), func(i int) bool { return t.order[i].Start > p.Start })
	t.order = append(t.order, nil)
	copy(t.order[i+1:], t.order[i:])
	t.order[i] = p
}

// seriesFor returns the series of sym in p, creating it.
func (p *Partition) seriesFor(sym uint32) *Series {
	s := p.series[sym]
	if s == nil {
		s = &Series{Symbol: sym, part: p}
		p.series[sym] = s
		i := sort.Search(len(p.sorted), func(i int) bool { return p.sorted[i].Symbol > sym })
		p.sorted = append(p.sorted, nil)
		copy(p.sorted[i+1:], p.sorted[i:])
		p.sorted[i] = s
	}
	return s
}

// rowCount returns the partition's rows, loaded or not. Caller holds t.mu.
func (p *Partition) rowCount() int64 {
	if p.cold != nil && !p.loaded {
		return p.coldRows + p.deltaRows
	}
	var n int64
	for _, s := range p.sorted {
		n += int64(s.rows)
	}
	return n
}

func (s *Series) appendRows(t *Table, b *column.Batch, symIDs [][]uint32, rows []int32) {
	s.appendSized(t, b, symIDs, rows, false)
}

// appendSized appends rows; with exact, new chunks are sized for the rows
// at hand (up to ChunkRows) instead of growing from 1K: a partition
// loaded whole (sealed) gets as few chunks as possible.
func (s *Series) appendSized(t *Table, b *column.Batch, symIDs [][]uint32, rows []int32, exact bool) {
	for len(rows) > 0 {
		var c *Chunk
		if k := len(s.Chunks); k > 0 && s.Chunks[k-1].free() > 0 {
			c = s.Chunks[k-1]
		} else {
			capacity := firstChunkRows << len(s.Chunks)
			if len(s.Chunks) >= 20 || capacity > t.opts.ChunkRows {
				capacity = t.opts.ChunkRows
			}
			if exact {
				capacity = min(len(rows), t.opts.ChunkRows)
			}
			c = newChunk(t.Schema, capacity)
			s.Chunks = append(s.Chunks, c)
		}
		k := min(c.free(), len(rows))
		c.appendRows(t.Schema, b, symIDs, rows[:k])
		rows = rows[k:]
		s.rows += k
	}
}
