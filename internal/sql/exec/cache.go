package exec

import (
	"container/list"
	"strings"
	"sync"

	"github.com/zeptodb/zeptodb/internal/rdb"
)

// resultCache keeps the results of recent SELECTs, keyed by the statement
// text. An entry is valid only while its table is the same table object
// (not dropped and re-created) at the same version (no rows added since),
// so a write never has to find and evict entries: stale ones simply stop
// matching and age out. Results are immutable once built, so a cached
// one can be shared by concurrent readers.
type resultCache struct {
	mu      sync.Mutex
	max     int
	entries map[string]*list.Element
	lru     *list.List // front: most recently used
	hits    uint64
	misses  uint64
}

type cacheEntry struct {
	key     string
	table   *rdb.Table
	version uint64
	res     *Result
}

func newResultCache(max int) *resultCache {
	if max <= 0 {
		return nil
	}
	return &resultCache{max: max, entries: map[string]*list.Element{}, lru: list.New()}
}

// cacheKey normalizes a statement's text: surrounding blanks and a final
// semicolon do not make a different query.
func cacheKey(text string) string {
	return strings.TrimSuffix(strings.TrimSpace(text), ";")
}

// get returns the cached result for text if it is still valid; current
// looks up a table by name as it is now.
func (c *resultCache) get(text string, current func(*rdb.Table) bool) *Result {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[cacheKey(text)]
	if !ok {
		c.misses++
		return nil
	}
	e := el.Value.(*cacheEntry)
	if !current(e.table) || e.table.Version() != e.version {
		c.lru.Remove(el)
		delete(c.entries, e.key)
		c.misses++
		return nil
	}
	c.lru.MoveToFront(el)
	c.hits++
	return e.res
}

// maxCachedRows keeps large results (SELECT * of a whole table) out of
// the cache, so that it costs little memory.
const maxCachedRows = 10000

// put stores a result computed from table at version.
func (c *resultCache) put(text string, table *rdb.Table, version uint64, res *Result) {
	if c == nil || table == nil || res.Rows > maxCachedRows {
		return
	}
	key := cacheKey(text)
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		c.lru.Remove(el)
	}
	c.entries[key] = c.lru.PushFront(&cacheEntry{key: key, table: table, version: version, res: res})
	for c.lru.Len() > c.max {
		old := c.lru.Back()
		c.lru.Remove(old)
		delete(c.entries, old.Value.(*cacheEntry).key)
	}
}
