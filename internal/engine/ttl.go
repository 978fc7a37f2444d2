package engine

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/rdb"
)

// TTL is how long a table keeps its partitions: a partition is dropped
// once its whole time range is older than N Units before now.
type TTL struct {
	N    int64
	Unit string // HOUR, DAY, WEEK or MONTH
}

func (t TTL) String() string { return fmt.Sprintf("%d %sS", t.N, t.Unit) }

// cutoff returns the instant before which a partition must have ended to
// expire. Months are calendar months (UTC).
func (t TTL) cutoff(now time.Time) (int64, error) {
	now = now.UTC()
	switch t.Unit {
	case "HOUR":
		return now.Add(-time.Duration(t.N) * time.Hour).UnixNano(), nil
	case "DAY":
		return now.AddDate(0, 0, -int(t.N)).UnixNano(), nil
	case "WEEK":
		return now.AddDate(0, 0, -7*int(t.N)).UnixNano(), nil
	case "MONTH": // the same day n months back, the month's last day if it is shorter
		first := time.Date(now.Year(), now.Month()-time.Month(t.N), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 1, -1).Day()
		d := time.Date(first.Year(), first.Month(), min(now.Day(), last), now.Hour(), now.Minute(), now.Second(), now.Nanosecond(), time.UTC)
		return d.UnixNano(), nil
	}
	return 0, fmt.Errorf("unknown TTL unit %q", t.Unit)
}

var ttlUnitCodes = []string{"", "HOUR", "DAY", "WEEK", "MONTH"}

// encodeTTL: table | u8 unit (0: no TTL) | uvarint n.
func encodeTTL(table string, t TTL) []byte {
	code := 0
	for i, u := range ttlUnitCodes {
		if u == t.Unit && t.N > 0 {
			code = i
		}
	}
	dst := append(appendString(nil, table), byte(code))
	return binary.AppendUvarint(dst, uint64(t.N))
}

func decodeTTL(src []byte) (string, TTL, error) {
	r := &recordReader{src: src}
	name := r.string()
	code := r.byte()
	n := r.uvarint(1 << 32)
	if r.bad || len(r.src) != 0 || int(code) >= len(ttlUnitCodes) || (code != 0) != (n > 0) {
		return "", TTL{}, fmt.Errorf("%w: bad TTL record", column.ErrCorrupt)
	}
	return name, TTL{N: int64(n), Unit: ttlUnitCodes[code]}, nil
}

// SetTTL sets (or, with a zero TTL, removes) a table's TTL durably and
// expires its partitions at once; it returns what that freed.
func (e *Engine) SetTTL(table string, ttl TTL, now time.Time) (rdb.Reclaimed, error) {
	if ttl.N > 0 {
		if _, err := ttl.cutoff(now); err != nil {
			return rdb.Reclaimed{}, err
		}
	}
	e.seqMu.Lock()
	t, err := e.Table(table)
	if err != nil {
		e.seqMu.Unlock()
		return rdb.Reclaimed{}, err
	}
	name := t.Schema.Name
	lsn, err := e.log.Append(recSetTTL, encodeTTL(name, ttl))
	e.seqMu.Unlock()
	if err != nil {
		return rdb.Reclaimed{}, fmt.Errorf("set ttl of %s: %w", name, err)
	}
	if err := e.commit(lsn, func() { e.applyTTL(name, ttl) }); err != nil {
		return rdb.Reclaimed{}, fmt.Errorf("set ttl of %s: %w", name, err)
	}
	if ttl.N == 0 {
		return rdb.Reclaimed{}, nil
	}
	return e.expireTable(name, ttl, now)
}

func (e *Engine) applyTTL(name string, ttl TTL) {
	e.catMu.Lock()
	defer e.catMu.Unlock()
	if e.ttls == nil {
		e.ttls = map[string]TTL{}
	}
	if ttl.N == 0 {
		delete(e.ttls, strings.ToLower(name))
		return
	}
	e.ttls[strings.ToLower(name)] = ttl
}

// TTLs returns every table's TTL, by table name.
func (e *Engine) TTLs() map[string]TTL {
	e.catMu.RLock()
	defer e.catMu.RUnlock()
	out := make(map[string]TTL, len(e.ttls))
	for name, t := range e.ttls {
		out[name] = t
	}
	return out
}

// ExpireTTL drops the expired partitions of every table with a TTL; the
// maintenance loop calls it periodically. It returns what was freed, by
// table.
func (e *Engine) ExpireTTL(now time.Time) (map[string]rdb.Reclaimed, error) {
	ttls := e.TTLs()
	names := make([]string, 0, len(ttls))
	for name := range ttls {
		names = append(names, name)
	}
	sort.Strings(names)
	out := map[string]rdb.Reclaimed{}
	for _, name := range names {
		r, err := e.expireTable(name, ttls[name], now)
		if err != nil {
			return out, err
		}
		if r.Partitions > 0 {
			out[name] = r
		}
	}
	return out, nil
}

// expireTable logs and applies the drop of one table's partitions that
// ended before its TTL cutoff, if any. The record carries the cutoff, so
// replay drops the same partitions whatever the clock says then.
func (e *Engine) expireTable(name string, ttl TTL, now time.Time) (rdb.Reclaimed, error) {
	cutoff, err := ttl.cutoff(now)
	if err != nil {
		return rdb.Reclaimed{}, err
	}
	e.seqMu.Lock()
	t, err := e.Table(name)
	if err != nil || !t.HasPartitionBefore(cutoff) {
		e.seqMu.Unlock()
		return rdb.Reclaimed{}, nil // dropped meanwhile, or nothing expired
	}
	payload := binary.AppendVarint(appendString(nil, t.Schema.Name), cutoff)
	lsn, err := e.log.Append(recExpire, payload)
	e.seqMu.Unlock()
	if err != nil {
		return rdb.Reclaimed{}, fmt.Errorf("expire %s: %w", name, err)
	}
	var r rdb.Reclaimed
	err = e.commit(lsn, func() {
		if cur, err := e.Table(name); err == nil {
			r = cur.DropPartitionsBefore(cutoff)
		}
	})
	if err != nil {
		return rdb.Reclaimed{}, fmt.Errorf("expire %s: %w", name, err)
	}
	e.reclaimedMu.Lock()
	e.stats.TTLReclaimed.Add(r)
	e.reclaimedMu.Unlock()
	e.opts.Logger.Info("ttl expired partitions", "table", name, "ttl", ttl.String(), "partitions", r.Partitions, "rows", r.Rows, "bytes", r.Bytes)
	return r, nil
}

func (e *Engine) replayTTL(payload []byte) error {
	name, ttl, err := decodeTTL(payload)
	if err != nil {
		return err
	}
	if e.tables[strings.ToLower(name)] == nil {
		return fmt.Errorf("ttl of unknown table %q", name)
	}
	e.applyTTL(name, ttl)
	return nil
}

func (e *Engine) replayExpire(payload []byte) error {
	r := &recordReader{src: payload}
	name := r.string()
	cutoff := r.varint()
	if r.bad || len(r.src) != 0 {
		return fmt.Errorf("%w: bad expire record", column.ErrCorrupt)
	}
	t := e.tables[strings.ToLower(name)]
	if t == nil {
		return fmt.Errorf("expire of unknown table %q", name)
	}
	t.DropPartitionsBefore(cutoff)
	return nil
}
