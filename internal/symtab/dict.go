package symtab

import "sync"

// Dict is a concurrent-safe symbol dictionary.
type Dict struct {
	mu   sync.RWMutex
	ids  map[string]uint32
	strs []string
}

// New returns an empty dictionary.
func New() *Dict { return &Dict{ids: make(map[string]uint32)} }

// Intern returns the id of s, adding it if new.
func (d *Dict) Intern(s string) uint32 {
	d.mu.RLock()
	id, ok := d.ids[s]
	d.mu.RUnlock()
	if ok {
		return id
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if id, ok := d.ids[s]; ok {
		return id
	}
	id = uint32(len(d.strs))
	d.ids[s] = id
	d.strs = append(d.strs, s)
	return id
}

// InternAll maps every string of src to its id, appending to dst. Runs of
// equal strings cost one lookup.
func (d *Dict) InternAll(dst []uint32, src []string) []uint32 {
	var last string
	var lastID uint32
	for i, s := range src {
		if i == 0 || s != last {
			last, lastID = s, d.Intern(s)
		}
		dst = append(dst, lastID)
	}
	return dst
}

// Lookup returns the id of s without adding it.
func (d *Dict) Lookup(s string) (uint32, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	id, ok := d.ids[s]
	return id, ok
}

// String returns the text of id, or "" for an unknown id.
func (d *Dict) String(id uint32) string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if int(id) < len(d.strs) {
		return d.strs[id]
	}
	return ""
}

// Strings returns the current id → text table. The returned slice is a
// snapshot: its first Len() entries never change.
func (d *Dict) Strings() []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.strs[:len(d.strs):len(d.strs)]
}

// Len returns the number of symbols.
func (d *Dict) Len() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return len(d.strs)
}
